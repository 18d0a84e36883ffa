"""API pieces every app shares: the error shape as documented in the schema, error
examples, and a viewset base whose reads are scoped by a selector and whose writes are
allowed per action to the roles in `write_roles`."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers, viewsets
from rest_framework.filters import OrderingFilter

from core.api import HasRole
from core.api_input import StrictJSONParser


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text=_("The input field, or null."))
    code = serializers.CharField()
    message = serializers.CharField()
    values = serializers.DictField(required=False, help_text=_("Values the message refers to."))


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API (see core.api)."""

    code = serializers.CharField(help_text=_("Stable, machine-readable code."))
    message = serializers.CharField(help_text=_("Human-readable message."))
    errors = ErrorItemSerializer(many=True)


READ_ACTIONS = frozenset({"list", "retrieve", "download", "metadata"})

_ERROR_DESCRIPTIONS = {
    400: "Invalid input; `errors[].field` names each field at fault.",
    401: "No or invalid credentials.",
    403: "Your role may not do this.",
    404: "No such resource, or not one you may see.",
    409: "Conflicts with the current state.",
    429: "Too many requests: wait the seconds that `Retry-After` gives.",
}


def errors(*codes: int) -> dict:
    return {code: OpenApiResponse(ErrorSerializer, _ERROR_DESCRIPTIONS[code]) for code in codes}


def error_example(name: str, status_code: int, code: str, message: str, field=None):
    return OpenApiExample(
        name,
        value={
            "code": code,
            "message": message,
            "errors": [{"field": field, "code": code, "message": message}],
        },
        response_only=True,
        status_codes=[str(status_code)],
    )


class ScopedViewSet(viewsets.GenericViewSet):
    """Reads scoped by a selector; roles per action: reads for every authenticated user,
    each write for `write_roles[action]`. Subclasses define `scoped_queryset()`: the rows
    the requesting user may see."""

    permission_classes = [HasRole]
    parser_classes = [StrictJSONParser]  # JSON in and out, no JSON floats (API.md)
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    write_roles: dict[str, tuple[str, ...]] = {}

    @property
    def allowed_roles(self):
        # No action: a method the endpoint does not offer, which answers 405, not 403.
        if self.action is None or self.action in READ_ACTIONS:
            return None
        return self.write_roles.get(self.action, ())

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation, no user
            return self.queryset
        return self.scoped_queryset()


# Policies -------------------------------------------------------------------------------------
