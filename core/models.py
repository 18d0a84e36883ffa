"""A record of every scheduled job run, readable by staff."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
