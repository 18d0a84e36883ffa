"""What the claims API takes: filing a claim, the insured's and the claims handler's actions
on it, a recovery. They check types only; every rule lives in claims.services, whose errors
reach the client through core.api.exception_handler."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from core.text import REASON_MAX, plain_multiline_text, plain_text
from exposure.serializers.common import DebtorNamedInput, day_input
from limits.serializers import VisibleIdField, amount_input
from policies.selectors import policies_for

from ..models import Cause, DocumentKind, InsolvencyKind
from ..services.settlement import DECISIONS

DOCUMENT_KINDS = ", ".join(f"`{value}`" for value in DocumentKind.values)


def text_input(help_text, *, required=False, max_length=REASON_MAX) -> serializers.CharField:
    return serializers.CharField(
        required=required,
        allow_blank=not required,
        default=serializers.empty if required else "",
        max_length=max_length,
        validators=[plain_multiline_text],
        help_text=help_text,
    )


class ClaimFileInputSerializer(DebtorNamedInput):
    policy = VisibleIdField(policies_for, help_text=gettext_lazy("Policy id."))
    cause = serializers.ChoiceField(
        choices=Cause.choices,
        help_text=gettext_lazy(
            "`insolvency` (give `insolvency_kind`, and `loss_date` unless the register knows "
            "the date), `protracted_default` (once the waiting period has ended; the date of "
            "loss is its end) or `political` (where the policy covers it; give `loss_date`)."
        ),
    )
    evidence = text_input(
        gettext_lazy("What happened: the event, and the evidence you have."), required=True
    )
    loss_date = day_input(
        required=False, help_text=gettext_lazy("The date of loss; not in the future.")
    )
    insolvency_kind = serializers.ChoiceField(
        choices=InsolvencyKind.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("For an insolvency: which one."),
    )


class ClaimDocumentInputSerializer(serializers.Serializer):
    # A string, not an enum: an enum named `kind` would rename the API's other ones. The
    # service refuses a kind it does not know, naming the field.
    kind = serializers.CharField(
        max_length=20,
        help_text=format_lazy("{} {}", gettext_lazy("Which document this is:"), DOCUMENT_KINDS),
    )
    file = serializers.FileField(
        help_text=gettext_lazy("PDF, PNG, JPEG, CSV, TXT, XLSX or DOCX; at most 10 MB.")
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        validators=[plain_text],
    )


class ClaimDocumentsSentInputSerializer(serializers.Serializer):
    note = text_input(gettext_lazy("Anything the claims handler should know."))


class ClaimWithdrawInputSerializer(serializers.Serializer):
    reason = text_input(gettext_lazy("Why the claim is withdrawn."), required=True)


class ClaimAskDocumentsInputSerializer(serializers.Serializer):
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=DocumentKind.choices),
        required=False,
        default=list,
        max_length=len(DocumentKind.choices),
        help_text=gettext_lazy("The kinds of document needed."),
    )
    message = text_input(
        gettext_lazy("What is missing, for the insured; required when no kind is named.")
    )


class ClaimDecideInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[(d, d) for d in DECISIONS],
        help_text=gettext_lazy(
            "`approve` at the calculated indemnity, `adjust` to `amount` with the `reason`, or "
            "`refuse` with the `reason`."
        ),
    )
    reason = text_input(gettext_lazy("Required to adjust or refuse; the insured reads it."))
    amount = amount_input(
        required=False,
        help_text=gettext_lazy("To adjust: the indemnity, above 0, as a string."),
    )


class ClaimSecondApprovalInputSerializer(serializers.Serializer):
    agree = serializers.BooleanField(
        help_text=gettext_lazy(
            "`true`: agree with the settlement; `false`: send the claim back to assessment "
            "with the `reason`."
        )
    )
    reason = text_input(gettext_lazy("Required when you do not agree."))


class ClaimPayInputSerializer(serializers.Serializer):
    paid_on = day_input(
        required=False,
        help_text=gettext_lazy("The day it was paid; default today, not in the future."),
    )
    reference = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        validators=[plain_text],
        help_text=gettext_lazy("The payment's reference."),
    )


class RecoveryInputSerializer(serializers.Serializer):
    amount = amount_input(help_text=gettext_lazy("Above 0, as a string, in the claim's currency."))
    received_on = day_input(
        help_text=gettext_lazy("The day it was received; after the payment, not in the future.")
    )
    source = text_input(gettext_lazy("Who paid it: the debtor, its estate, a guarantor."))
