from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExposureConfig(AppConfig):
    name = "exposure"
    verbose_name = _("Exposure")

    def ready(self):
        from . import csv_import  # noqa: F401  registers the invoice importer
