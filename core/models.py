"""A record of every scheduled job run, readable by staff."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition


class JobRun(models.Model):
    name = models.CharField(_("job"), max_length=100)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """A message in a user's in-app inbox; the same text goes out by email."""

    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.subject


class ExchangeRate(models.Model):
    """Reference data: what one unit of a currency is worth in SEK, at a stated date. Used
    where a rule is written in SEK (the guideline cap, the young-company limit)."""

    currency = models.CharField(_("currency"), max_length=3, unique=True)
    sek_per_unit = models.DecimalField(_("SEK per unit"), max_digits=14, decimal_places=6)
    as_of = models.DateField(_("rate date"))
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency"]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.sek_per_unit} SEK ({self.as_of})"


def remember_related(instance: models.Model, name: str, rows) -> None:
    """Tell the reverse relation `name` of `instance` what it holds, as prefetch_related
    would: a service that has just written the rows hands them to the response without a
    query to read them back."""
    manager = getattr(instance, name)
    queryset = manager.model.objects.filter(pk__in=[row.pk for row in rows])
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[manager.field.remote_field.cache_name] = queryset


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    CHECKING = "checking", _("Checking the lines")
    WRITING = "writing", _("Importing")
    DONE = "done", _("Imported")
    REFUSED = "refused", _("Nothing imported: the file has errors")
    FAILED = "failed", _("Failed")


FINISHED_IMPORTS = (ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED)


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all", _("All or nothing: import only if every line is right")
    GOOD_LINES = "good", _("Import the good lines and report the others")


def _import_path(job: "ImportJob", filename: str) -> str:
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.csv"


class ImportJob(models.Model):
    """An uploaded file and its import (core.imports): read in chunks by a Celery task, its
    progress and result readable while it runs, every bad line kept as an ImportLineError."""

    kind = models.CharField(_("kind"), max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    file = models.FileField(_("file"), upload_to=_import_path, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200)
    file_size = models.BigIntegerField(_("size in bytes"), default=0)
    mode = models.CharField(_("mode"), max_length=10, choices=ImportMode.choices)
    options = models.JSONField(_("options"), default=dict, blank=True)
    status = FSMField(_("status"), default=ImportStatus.QUEUED, choices=ImportStatus.choices)
    progress = models.PositiveSmallIntegerField(_("progress (percent)"), default=0)
    lines_read = models.PositiveIntegerField(_("lines read"), default=0)
    lines_imported = models.PositiveIntegerField(_("lines imported"), default=0)
    lines_skipped = models.PositiveIntegerField(_("lines already imported"), default=0)
    lines_failed = models.PositiveIntegerField(_("lines with errors"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    failure = models.TextField(_("failure"), blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_IMPORTS

    @transition(field=status, source=ImportStatus.QUEUED, target=ImportStatus.CHECKING)
    def start(self):
        self.started_at = timezone.now()

    @transition(field=status, source=ImportStatus.CHECKING, target=ImportStatus.WRITING)
    def write(self):
        pass

    @transition(field=status, source=ImportStatus.WRITING, target=ImportStatus.DONE)
    def finish(self):
        self.finished_at = timezone.now()

    @transition(field=status, source=ImportStatus.CHECKING, target=ImportStatus.REFUSED)
    def refuse(self):
        self.finished_at = timezone.now()

    @transition(
        field=status,
        source=[ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.WRITING],
        target=ImportStatus.FAILED,
    )
    def fail(self):
        self.finished_at = timezone.now()


class ImportLineError(models.Model):
    """One error of one line of an import: where, why, and the line as it was read."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="line_errors")
    line = models.PositiveIntegerField(_("line"))
    column = models.CharField(_("column"), max_length=100, blank=True)
    code = models.CharField(_("error code"), max_length=40)
    message = models.TextField(_("reason"))
    content = models.TextField(_("line content"), blank=True)

    class Meta:
        verbose_name = _("import error")
        verbose_name_plural = _("import errors")
        ordering = ["job", "line", "id"]
        indexes = [models.Index(fields=["job", "line"])]

    def __str__(self) -> str:
        from core.imports.lines import LineError

        return str(LineError(self.line, self.column or None, self.message, self.code))
