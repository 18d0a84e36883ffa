"""Every write on limit requests, limits, templates and risk events."""

from .changes import limit_reduce_by_insured, limit_reduce_by_insurer
from .decisions import limit_request_decide
from .requests import limit_request_submit, limit_request_withdraw
from .risk import risk_events_alert

__all__ = [
    "limit_reduce_by_insured",
    "limit_reduce_by_insurer",
    "limit_request_decide",
    "limit_request_submit",
    "limit_request_withdraw",
    "risk_events_alert",
]
