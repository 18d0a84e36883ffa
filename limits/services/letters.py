"""Decision letters: the row is written with the decision, the PDF rendered after commit."""

from django.db import transaction

from ..models import DecisionLetter, LetterKind


def letter_queue(
    *, policy, kind: str, request=None, limit=None, change=None, render_after_commit: bool = True
) -> DecisionLetter:
    """Write the letter row; render it after commit (unless the caller's own after-commit task
    does: `render_after_commit=False`)."""
    from ..tasks import decision_letter_render_task

    letter = DecisionLetter.objects.create(
        policy=policy,
        kind=kind,
        request=request,
        limit=limit,
        change=change,
        language=policy.insured.language,
    )
    if render_after_commit:
        transaction.on_commit(lambda: decision_letter_render_task.delay(letter.pk))
    return letter


LETTER_FOR_STATUS = {
    "approved": LetterKind.APPROVAL,
    "partly_approved": LetterKind.PARTIAL_APPROVAL,
    "refused": LetterKind.REFUSAL,
}
