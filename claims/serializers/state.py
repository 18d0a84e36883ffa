"""A claim's state as something to read rather than prose: its `reasons` (code, message,
values) and the steps of its status history, from the claim's simple-history rows."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from accounts.models import Role
from core.currencies import format_money

from ..models import Claim, ClaimStatus, DocumentKind
from ..selectors import pages


def person(user, context: dict | None = None) -> str | None:
    """A user as the claim shows them to the reader in `context` (the serializer's): by name,
    except that an insured reads staff as "Claims handler", as on the pages
    (claims.selectors.pages.person); None for nobody."""
    if user is None:
        return None
    request = (context or {}).get("request")
    viewer = getattr(request, "user", None)
    return pages.person(user, for_insured=getattr(viewer, "role", None) == Role.INSURED)


def _kind_labels(kinds) -> str:
    return ", ".join(str(DocumentKind(k).label) for k in kinds if k in DocumentKind.values)


def _reason(code: str, message: str, **values) -> dict:
    return {"code": code, "message": str(message), "values": values}


def claim_reasons(claim: Claim, checklist: list[tuple[str, str, bool]]) -> list[dict]:
    """Why the claim is where it is, and what it waits for."""
    reasons = []
    status = claim.status
    missing = [kind for kind, _label, present in checklist if not present]
    if status in (ClaimStatus.FILED, ClaimStatus.ASSESSMENT, ClaimStatus.WAITING_DOCUMENTS):
        if status == ClaimStatus.WAITING_DOCUMENTS:
            reasons.append(
                _reason(
                    "documents_requested",
                    claim.documents_message
                    or _("The claims handler asked for: %(kinds)s.")
                    % {"kinds": _kind_labels(claim.documents_requested)},
                    kinds=list(claim.documents_requested),
                )
            )
        if missing:
            reasons.append(
                _reason(
                    "documents_missing",
                    _("Not yet on the claim: %(kinds)s.") % {"kinds": _kind_labels(missing)},
                    kinds=missing,
                )
            )
    elif status == ClaimStatus.SECOND_APPROVAL:
        reasons.append(
            _reason(
                "four_eyes",
                _(
                    "The indemnity of %(indemnity)s is above the four-eyes amount of "
                    "%(limit)s: a second claims handler must approve it."
                )
                % {
                    "indemnity": format_money(claim.indemnity, claim.currency),
                    "limit": format_money(claim.policy.four_eyes_amount, claim.currency),
                },
                indemnity=str(claim.indemnity),
                four_eyes_amount=str(claim.policy.four_eyes_amount),
            )
        )
    elif status == ClaimStatus.APPROVED:
        reasons.append(
            _reason(
                "approved",
                claim.decision_reason or _("Approved as calculated."),
                indemnity=str(claim.indemnity),
            )
        )
    elif status == ClaimStatus.ADJUSTED:
        reasons.append(
            _reason(
                "adjusted",
                claim.decision_reason,
                calculated_amount=str(claim.calculated_amount),
                indemnity=str(claim.indemnity),
            )
        )
    elif status == ClaimStatus.REFUSED:
        reasons.append(_reason("refused", claim.decision_reason))
    elif status == ClaimStatus.PAID:
        reasons.append(
            _reason(
                "paid",
                _("%(indemnity)s paid on %(day)s.")
                % {
                    "indemnity": format_money(claim.indemnity, claim.currency),
                    "day": claim.paid_on.isoformat(),
                },
                indemnity=str(claim.indemnity),
                paid_on=claim.paid_on.isoformat(),
                reference=claim.payment_reference,
            )
        )
    elif status == ClaimStatus.WITHDRAWN:
        last = claim.history.order_by("-history_date", "-history_id").first()
        reasons.append(_reason("withdrawn", last.history_change_reason if last else ""))
    return reasons


class ClaimReasonSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=gettext_lazy(
            "`documents_requested` (values: `kinds`), `documents_missing` (`kinds`), "
            "`four_eyes` (`indemnity`, `four_eyes_amount`), `approved` (`indemnity`), "
            "`adjusted` (`calculated_amount`, `indemnity`), `refused`, `paid` (`indemnity`, "
            "`paid_on`, `reference`), `withdrawn`."
        )
    )
    message = serializers.CharField(help_text=gettext_lazy("The reason in your language."))
    values = serializers.DictField(help_text=gettext_lazy("The figures the message refers to."))


def claim_history(claim: Claim, context: dict | None = None) -> list[dict]:
    """Each change of the claim, oldest first: its status then, when, who, why."""
    rows = claim.history.select_related("history_user").order_by("history_date", "history_id")
    return [
        {
            "status": row.status,
            "status_label": str(ClaimStatus(row.status).label),
            "at": row.history_date,
            "who": person(row.history_user, context) or _("automatic"),
            "reason": row.history_change_reason or "",
        }
        for row in rows
    ]


class ClaimHistoryStepSerializer(serializers.Serializer):
    status = serializers.CharField(help_text=gettext_lazy("The claim's status after the step."))
    status_label = serializers.CharField()
    at = serializers.DateTimeField()
    who = serializers.CharField(
        help_text=gettext_lazy("Who took the step, by name; `automatic` for the system.")
    )
    reason = serializers.CharField(help_text=gettext_lazy("Why, whole; may be empty."))
