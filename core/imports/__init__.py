"""Imports of CSV files, once for every kind (docs/architecture.md, "Imports"): the upload is
stored as an ImportJob, a Celery task reads it in chunks, hands each line to the importer the
app registered, keeps every bad line with its number, column and reason, and writes the good
rows chunk by chunk, all or nothing or the good lines only."""

from .importers import Importer, importer_for, register
from .lines import LineError

__all__ = ["Importer", "LineError", "importer_for", "register"]
