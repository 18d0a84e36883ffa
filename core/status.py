"""One way to change a status, for every model that has one (policies, limit requests, limit
reviews, and later claims).

The allowed transitions are declared next to the model with django-fsm's `@transition`. A
change locks the row, checks the declaration, applies it with the fields that go with it and
saves, and django-simple-history writes the history row (old and new values, who, when and
the whole reason) in the same transaction. A refused change raises a domain exception.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models, transaction
from django_fsm import can_proceed

from .exceptions import DomainError, TransitionNotAllowed

M = TypeVar("M", bound=models.Model)


def save_with_history(obj: M, *, actor, reason: str) -> M:
    """Save `obj` so that its history row names `actor` (None: the system) and `reason`,
    whole."""
    obj._history_user = actor
    obj._change_reason = reason or ""
    obj.save()
    return obj


def apply_transition(
    obj: M,
    name: str,
    *,
    actor,
    reason: str,
    refused: Callable[[M], DomainError] | None = None,
    clean: bool = False,
    **fields: Any,
) -> M:
    """Apply the transition `name` to `obj`, which the caller has locked (or just built),
    set `fields` and save with history. Raises `refused(obj)` (default: TransitionNotAllowed)
    when the declared transitions do not allow it from the current status; with `clean`, the
    row is validated (`full_clean`) in its new state before it is saved."""
    method = getattr(obj, name)
    if not can_proceed(method):
        if refused is not None:
            raise refused(obj)
        raise TransitionNotAllowed(field="status", status=_state(obj, method))
    method()
    for field, value in fields.items():
        setattr(obj, field, value)
    if clean:
        obj.full_clean()
    return save_with_history(obj, actor=actor, reason=reason)


@transaction.atomic
def transition(
    queryset: models.QuerySet[M],
    pk: int,
    name: str,
    *,
    actor,
    reason: str,
    refused: Callable[[M], DomainError] | None = None,
    clean: bool = False,
    **fields: Any,
) -> M:
    """Lock the row `pk` of `queryset` and apply the transition `name` (see apply_transition)."""
    obj = queryset.select_for_update(of=("self",)).get(pk=pk)
    return apply_transition(
        obj, name, actor=actor, reason=reason, refused=refused, clean=clean, **fields
    )


def _state(obj, method) -> str:
    return str(getattr(obj, method._django_fsm.field.name, ""))
