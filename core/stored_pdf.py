"""Every stored PDF (schedule, endorsement, premium invoice, decision letter, later settlement
statements) is rendered once, by this helper, and never changed.

The row has `status` (pending, ready, failed), `file`, `sha256`, `rendered_at`, `error` and a
`filename` property. The helper locks the row; a ready row is returned as it is; otherwise the
PDF is rendered, stored with its checksum and the row marked ready. On an error the row is
marked failed with the error, in its own transaction so the mark survives, and the error is
raised again for the task to retry.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

M = TypeVar("M", bound=models.Model)

PENDING, READY, FAILED = "pending", "ready", "failed"


def render_once(queryset: models.QuerySet[M], pk: int, render: Callable[[M], bytes]) -> M:
    """Render the PDF of row `pk` of `queryset` with `render(row)` unless it is ready."""
    model = queryset.model
    try:
        with transaction.atomic():
            row = queryset.select_for_update(of=("self",)).get(pk=pk)
            if row.status == READY:
                return row
            pdf = render(row)
            row.sha256 = hashlib.sha256(pdf).hexdigest()
            row.file.save(row.filename, ContentFile(pdf), save=False)
            row.status, row.rendered_at, row.error = READY, timezone.now(), ""
            row.save(update_fields=["file", "sha256", "status", "rendered_at", "error"])
            return row
    except model.DoesNotExist:
        raise
    except Exception as exc:
        model.objects.filter(pk=pk).exclude(status=READY).update(
            status=FAILED, error=repr(exc)[:2000]
        )
        raise
