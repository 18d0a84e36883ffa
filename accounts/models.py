"""Who you are: users and their roles, and the insured company they belong to (the tenant)."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.identifiers import normalise_vat_number
from core.text import ADDRESS_MAX, plain_multiline_text, plain_text

LANGUAGE_CHOICES = [("en", "English"), ("sv", "Svenska"), ("nl", "Nederlands")]


class Role(models.TextChoices):
    INSURED = "insured", _("Insured user")
    UNDERWRITER = "underwriter", _("Underwriter")
    CLAIMS = "claims", _("Claims handler")
    ADMIN = "admin", _("Administrator")


STAFF_ROLES = frozenset({Role.UNDERWRITER, Role.CLAIMS, Role.ADMIN})


class InsuredCompany(models.Model):
    """The insured company: the tenant its users act for, and the holder of its policies.

    Moved here from `policies`; its tables keep their names, so no row was copied."""

    name = models.CharField(_("name"), max_length=200, validators=[plain_text])
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code, e.g. SE"))
    registration_number = models.CharField(
        _("registration number"), max_length=40, validators=[plain_text]
    )
    vat_number = models.CharField(
        _("VAT number"), max_length=40, blank=True, validators=[plain_text]
    )
    address = models.TextField(
        _("address"),
        blank=True,
        max_length=ADDRESS_MAX,
        validators=[MaxLengthValidator(ADDRESS_MAX), plain_multiline_text],
    )
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(
        _("document language"), max_length=8, choices=LANGUAGE_CHOICES, default="en"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(table_name="policies_historicalinsuredcompany")

    class Meta:
        db_table = "policies_insuredcompany"
        verbose_name = _("insured company")
        verbose_name_plural = _("insured companies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "registration_number"],
                name="insured_company_unique_registration",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.vat_number and self.country:
            try:
                self.vat_number = normalise_vat_number(self.country, self.vat_number)
            except ValidationError as exc:
                raise ValidationError({"vat_number": exc.messages}) from exc


class User(AbstractUser):
    """A person using the system. An insured user belongs to exactly one insured company."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.INSURED)
    company = models.ForeignKey(
        InsuredCompany,
        verbose_name=_("insured company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    language = models.CharField(_("language"), max_length=8, blank=True, default="")
    last_seen_home = models.DateTimeField(_("last visit of the home page"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="insured_user_has_company",
                condition=(
                    Q(role=Role.INSURED, company__isnull=False)
                    | (~Q(role=Role.INSURED) & Q(company__isnull=True))
                ),
                violation_error_message=_(
                    "An insured user belongs to one company; staff belong to none."
                ),
            )
        ]

    @property
    def is_insured(self) -> bool:
        return self.role == Role.INSURED

    @property
    def is_underwriter(self) -> bool:
        return self.role in (Role.UNDERWRITER, Role.ADMIN)

    @property
    def is_claims_handler(self) -> bool:
        return self.role in (Role.CLAIMS, Role.ADMIN)

    @property
    def is_insurer_staff(self) -> bool:
        return self.role in STAFF_ROLES
