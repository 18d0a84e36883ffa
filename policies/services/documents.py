"""Policy documents: the schedule, endorsement and premium invoice rows, each a new version
written under the policy's row lock with the policy's history snapshot, and their PDF rendered
once after commit and never changed (core.stored_pdf)."""

from django.db import transaction
from django.db.models import Max

from core.stored_pdf import render_once

from ..models import Policy, PolicyDocument


def _document_queue(
    policy: Policy, *, kind: str, actor, reason: str = "", previous_snapshot=None, declaration=None
) -> PolicyDocument:
    """Write the document row (under the policy's row lock) and render it after commit."""
    from ..tasks import policy_document_render_task

    last = (
        PolicyDocument.objects.filter(policy=policy, kind=kind).aggregate(v=Max("version"))["v"]
        or 0
    )
    document = PolicyDocument.objects.create(
        policy=policy,
        kind=kind,
        version=last + 1,
        language=policy.insured.language,
        policy_snapshot=policy.history.latest(),
        previous_snapshot=previous_snapshot,
        declaration=declaration,
        reason=reason or "",
        created_by=actor,
    )
    transaction.on_commit(lambda: policy_document_render_task.delay(document.pk))
    return document


def document_render(*, document_id: int) -> PolicyDocument:
    """Render a pending document once; a rendered one is never changed (core.stored_pdf)."""
    from ..pdf import render_policy_document

    return render_once(PolicyDocument.objects.all(), document_id, render_policy_document)
