"""API plumbing: the one error shape, and role permissions.

Every error answers with the same JSON:
    {"code": "validation_error", "message": "...", "errors": [{"field": "currency",
     "code": "invalid", "message": "..."}]}
"""

import copy

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, permissions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import DomainError


def _flatten(detail, field=None) -> list[dict]:
    """Turn DRF's nested detail into a flat list of {field, code, message}."""
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            name = key if key != "non_field_errors" else None
            path = f"{field}.{name}" if field and name else (name or field)
            out.extend(_flatten(value, path))
        return out
    if isinstance(detail, list):
        out = []
        for index, item in enumerate(detail):
            path = field
            if isinstance(item, dict) and field:
                path = f"{field}[{index}]"
            out.extend(_flatten(item, path))
        return out
    return [{"field": field, "code": getattr(detail, "code", "invalid"), "message": str(detail)}]


def error_body(code: str, message: str, errors: list[dict] | None = None) -> dict:
    return {"code": code, "message": message, "errors": errors or []}


def django_validation_errors(exc: DjangoValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {
                "field": None if f == "__all__" else f,
                "code": e.code or "invalid",
                "message": " ".join(e.messages),
            }
            for f, errs in exc.error_dict.items()
            for e in errs
        ]
    return [
        {"field": None, "code": e.code or "invalid", "message": " ".join(e.messages)}
        for e in exc.error_list
    ]


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        errors = [
            {
                "field": exc.field,
                "code": exc.code,
                "message": str(exc.message),
                **({"values": exc.values} if exc.values else {}),
            }
        ]
        return Response(error_body(exc.code, str(exc.message), errors), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        errors = django_validation_errors(exc)
        return Response(
            error_body("validation_error", _("The input is not valid."), errors),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = error_body("validation_error", _("The input is not valid."), _flatten(exc.detail))
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        body = error_body(code, str(detail))
    response.data = body
    return response


# Errors Django answers before (or instead of) a DRF view: a path under /api/ that no route
# matches (`/api/v1/policies/0.5/`, `/api/v2/`), a request Django refuses outright, a crash.
# Under /api/ they answer in the one error shape; elsewhere Django's pages answer as before.
API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _api_error(exc_class: type[exceptions.APIException], status_code: int) -> JsonResponse:
    detail = exc_class.default_detail
    return JsonResponse(error_body(exc_class.default_code, str(detail)), status=status_code)


def handler400(request, exception=None):
    if _is_api(request):
        return _api_error(exceptions.ParseError, 400)
    return defaults.bad_request(request, exception)


def handler403(request, exception=None):
    if _is_api(request):
        return _api_error(exceptions.PermissionDenied, 403)
    return defaults.permission_denied(request, exception)


def handler404(request, exception=None):
    if _is_api(request):
        return _api_error(exceptions.NotFound, 404)
    return defaults.page_not_found(request, exception)


class ApiNotFoundMiddleware:
    """Under DEBUG (`make run`) Django answers a path no route matches with its technical 404
    page and never asks handler404: under /api/ that page becomes the API's JSON 404 too.
    Listed before CommonMiddleware, so a path missing its slash is still redirected first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and _is_api(request)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return _api_error(exceptions.NotFound, 404)
        return response


def handler500(request):
    if _is_api(request):
        return _api_error(exceptions.APIException, 500)
    return defaults.server_error(request)


class HasRole(permissions.BasePermission):
    """Allows the roles named on the view as `allowed_roles` (all authenticated if unset)."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        roles = getattr(view, "allowed_roles", None)
        return roles is None or user.role in roles


class FieldsBuiltOnce:
    """For a ModelSerializer whose fields depend on neither the instance nor the context:
    DRF builds a ModelSerializer's fields from the model for every instance (most of the time
    of a small response); this builds them once per class and hands each instance a copy."""

    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()
            cls._fields_built_once = built
        return copy.deepcopy(built)
