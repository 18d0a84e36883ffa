"""Idempotency keys for creating calls an ERP may retry (API.md).

A client sends `Idempotency-Key: <its own unique string>` with a create. The first successful
response is kept for 24 hours under (user, key) together with a fingerprint of the request
(method, path and body). Within that time:

- the same key with the same body answers with the kept response again, and creates nothing;
- the same key with another body, or on another endpoint, answers 409 `idempotency_key_reused`;
- the same key while the first request is still running answers 409
  `idempotency_request_in_progress`, so two retries racing each other create one row.

Only successful (2xx) responses are kept: a refused request changed nothing, so retrying it
with the same key (for instance after fixing the body) runs it again.
"""

import functools
import hashlib
import json

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from core.exceptions import Conflict, DomainError

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEEP_SECONDS = 24 * 60 * 60
# How long a request may run before its key is free again (a crashed worker never answers).
IN_PROGRESS_SECONDS = 60
MAX_KEY_LENGTH = 255
_KEPT_HEADERS = ("Location",)

PARAMETER = OpenApiParameter(
    name=HEADER,
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "A unique string of your choice (at most 255 printable ASCII characters, e.g. a UUID). "
        "Retrying with the same key and body within 24 hours returns the first response "
        "without creating anything again (marked `Idempotent-Replayed: true`); the same key "
        "with a different body is refused with 409 `idempotency_key_reused`."
    ),
)


class IdempotencyKeyInvalid(DomainError):
    code = "idempotency_key_invalid"
    default_message = _("The Idempotency-Key header must be 1–255 printable ASCII characters.")


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    default_message = _(
        "This Idempotency-Key was already used with a different request. Use a new key for a "
        "new request."
    )


class IdempotencyRequestInProgress(Conflict):
    code = "idempotency_request_in_progress"
    default_message = _(
        "A request with this Idempotency-Key is still being processed. Retry in a moment."
    )


def _valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and all(" " <= ch <= "~" for ch in key)


def _cache_key(user_id, key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"idempotency:{user_id}:{digest}"


def _canonical_body(data) -> object:
    if hasattr(data, "getlist"):  # a QueryDict from a form or multipart body
        return {name: data.getlist(name) for name in sorted(data)}
    return data


def request_fingerprint(request) -> str:
    """What makes two requests "the same": method, path and body, whatever the key order."""
    body = json.dumps(
        _canonical_body(request.data), sort_keys=True, separators=(",", ":"), cls=JSONEncoder
    )
    raw = f"{request.method}\n{request.path}\n{body}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _replay(stored: dict) -> Response:
    headers = {**stored["headers"], REPLAYED_HEADER: "true"}
    return Response(stored["body"], status=stored["status"], headers=headers)


def _keep(cache_key: str, fingerprint: str, response) -> None:
    body = json.loads(json.dumps(response.data, cls=JSONEncoder))
    headers = {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)}
    cache.set(
        cache_key,
        {
            "fingerprint": fingerprint,
            "state": "done",
            "status": response.status_code,
            "body": body,
            "headers": headers,
        },
        KEEP_SECONDS,
    )


def idempotent(handler):
    """Decorates a DRF view handler (e.g. a viewset's `create`) to honour `Idempotency-Key`.

    It runs after authentication, permissions and throttling, so keys are per user and a
    refused caller never reaches the store."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return handler(view, request, *args, **kwargs)
        if not _valid_key(key):
            raise IdempotencyKeyInvalid(field=HEADER)

        cache_key = _cache_key(request.user.pk, key)
        fingerprint = request_fingerprint(request)
        marker = {"fingerprint": fingerprint, "state": "in_progress"}
        # `add` is atomic (SET NX on Redis): of two racing requests only one goes on.
        if not cache.add(cache_key, marker, IN_PROGRESS_SECONDS):
            stored = cache.get(cache_key)
            if stored is not None and stored["fingerprint"] != fingerprint:
                raise IdempotencyKeyReused(field=HEADER)
            if stored is None or stored["state"] == "in_progress":
                raise IdempotencyRequestInProgress(field=HEADER)
            return _replay(stored)

        try:
            response = handler(view, request, *args, **kwargs)
        except BaseException:
            cache.delete(cache_key)
            raise
        if 200 <= response.status_code < 300:
            _keep(cache_key, fingerprint, response)
        else:
            cache.delete(cache_key)
        return response

    return wrapper
