"""Pieces the exposure API's input shares: the debtor named by id or by its registration
number, and dates."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from core.api_input import StrictIntegerField
from core.identifiers import normalise_registration_number
from core.text import plain_text
from debtors.models import Debtor
from limits.serializers import DEBTORS_API

# A date an invoice, a payment or a credit note can carry. Far beyond any business date, but
# within what date arithmetic on it (the deadlines after a due date) can hold.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)

Identity = tuple[str, str]  # (country, registration number as stored)


def day_input(**kwargs) -> serializers.DateField:
    """A date as input (`YYYY-MM-DD`), between EARLIEST_DAY and LATEST_DAY."""
    kwargs["validators"] = [
        *kwargs.get("validators", ()),
        MinValueValidator(EARLIEST_DAY),
        MaxValueValidator(LATEST_DAY),
    ]
    return serializers.DateField(**kwargs)


def debtor_ids_by_identity(identities: Iterable[Identity]) -> dict[Identity, int]:
    """The register's debtors with these identities, in one query."""
    wanted = set(identities)
    if not wanted:
        return {}
    rows = Debtor.objects.filter(
        registration_number__in={number for _country, number in wanted}
    ).values_list("country", "registration_number", "pk")
    return {(c, n): pk for c, n, pk in rows if (c, n) in wanted}


def not_registered(identity: Identity) -> dict:
    country, number = identity
    return {
        "debtor_registration_number": serializers.ErrorDetail(
            _(
                "No debtor %(country)s %(number)s is in the register. Register it at %(url)s "
                "first, then send this again."
            )
            % {"country": country, "number": number, "url": DEBTORS_API},
            code="debtor_not_registered",
        )
    }


class DebtorNamedInput(serializers.Serializer):
    """Input that names a debtor either by its register id (`debtor`) or, as an ERP knows
    its customers, by `debtor_country` + `debtor_registration_number` (in any usual
    spelling). `validate` leaves the id in `debtor`; with `resolve_at_once = False` it leaves
    the normalised identity in `debtor_identity` for the caller to look up with others."""

    resolve_at_once = True

    debtor = StrictIntegerField(
        min_value=1,
        required=False,
        help_text=gettext_lazy(
            "Debtor id in the register; or leave it out and send `debtor_country` and "
            "`debtor_registration_number`."
        ),
    )
    debtor_country = serializers.CharField(
        required=False,
        max_length=2,
        validators=[plain_text],
        help_text=gettext_lazy("ISO 3166 code, e.g. SE."),
    )
    debtor_registration_number = serializers.CharField(
        required=False,
        max_length=40,
        validators=[plain_text],
        help_text=gettext_lazy("Organisationsnummer, enterprise number, KvK number or VAT number."),
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        identity = self._identity(attrs)
        if identity is None:
            return attrs
        if not self.resolve_at_once:
            attrs["debtor_identity"] = identity
            return attrs
        found = debtor_ids_by_identity([identity])
        if identity not in found:
            raise serializers.ValidationError(not_registered(identity))
        attrs["debtor"] = found[identity]
        return attrs

    @staticmethod
    def _identity(attrs) -> Identity | None:
        """The debtor's normalised identity, None when named by id; a field error when
        named both ways, neither way, or by a registration number that cannot be one."""
        country = attrs.pop("debtor_country", "").strip().upper()
        number = attrs.pop("debtor_registration_number", "").strip()
        if "debtor" in attrs:
            if country or number:
                raise serializers.ValidationError(
                    {"debtor": _("Send either `debtor` or the debtor's country and number.")}
                )
            return None
        if not (country and number):
            raise serializers.ValidationError(
                {
                    field: serializers.ErrorDetail(
                        _("Send `debtor`, or `debtor_country` and `debtor_registration_number`."),
                        code="required",
                    )
                    for field, value in (
                        ("debtor_country", country),
                        ("debtor_registration_number", number),
                    )
                    if not value
                }
            )
        try:
            number = normalise_registration_number(country, number)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"debtor_registration_number": exc.messages}) from exc
        return country, number
