"""The form a claims handler records a collections step with. It reads what was typed (the
date, the fee in the page's language); the order and periods of the steps are the service's
rules (claims.services.collections), whose errors come back on the field they name."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from exposure.forms import amount_field, date_field, reason_field

from .models import StepKind


class CollectionStepForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Step"), choices=[("", _("Choose the step")), *StepKind.choices]
    )
    done_on = date_field(_("Date"), initial=timezone.localdate)
    fee = amount_field(
        _("Fee"),
        positive=False,
        required=False,
        help_text=_(
            "Only for a collection demand. Left empty, the statutory fee of the debtor's "
            "country applies where it is in the policy's currency."
        ),
    )
    note = reason_field(_("Note"), required=False)

    def __init__(self, *args, currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if currency:
            self.fields["fee"].label = _("Fee (%(currency)s)") % {"currency": currency}
