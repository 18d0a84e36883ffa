from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INSURED = "insured", _("Insured user")
    UNDERWRITER = "underwriter", _("Underwriter")
    CLAIMS = "claims", _("Claims handler")
    ADMIN = "admin", _("Administrator")


STAFF_ROLES = frozenset({Role.UNDERWRITER, Role.CLAIMS, Role.ADMIN})


class User(AbstractUser):
    """A person using the system. An insured user belongs to exactly one insured company."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.INSURED)
    company = models.ForeignKey(
        "policies.InsuredCompany",
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
