"""The limits API: limit requests and their decisions, limits on a date, decision letters."""

from .letters import LetterViewSet
from .limits import LimitViewSet
from .requests import LimitRequestViewSet

__all__ = ["LetterViewSet", "LimitRequestViewSet", "LimitViewSet"]
