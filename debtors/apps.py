from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebtorsConfig(AppConfig):
    name = "debtors"
    verbose_name = _("Debtors")

    def ready(self):
        from . import csv_import  # noqa: F401  registers the credit report importer
