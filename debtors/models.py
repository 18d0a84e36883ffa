"""The one register of debtors (buyers) shared by all policies."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .identifiers import normalise_registration_number


class Debtor(models.Model):
    country = models.CharField(_("country"), max_length=2)
    registration_number = models.CharField(_("registration number"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=40, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("debtor")
        verbose_name_plural = _("debtors")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "registration_number"], name="debtor_unique_registration"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country} {self.registration_number})"

    def clean(self):
        try:
            self.registration_number = normalise_registration_number(
                self.country, self.registration_number
            )
        except ValidationError as exc:
            raise ValidationError({"registration_number": exc.messages}) from exc
