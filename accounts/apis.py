from axes.helpers import get_cool_off
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken

from core.api_input import StrictJSONParser
from core.api_views import errors
from core.throttling import AddressRateThrottle


class TokenThrottle(AddressRateThrottle):
    """Password guesses per client address (see core.throttling for how it is found)."""

    scope = "auth_token"
    rate = "30/min"


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        read_only=True, help_text=gettext_lazy("Send it as `Authorization: Token <token>`.")
    )


class TokenObtainApi(ObtainAuthToken):
    """Username + password → the user's API token (created on first use)."""

    # The endpoint takes a password, never a token or a session: credentials sent along are
    # ignored, and the throttle counts every request from the address.
    authentication_classes = []
    throttle_classes = [TokenThrottle]
    # JSON only, like the rest of the API (DRF's view also takes forms and multipart, which
    # the schema would list and a generated client would send).
    parser_classes = [StrictJSONParser]

    @extend_schema(
        summary="Obtain an API token",
        description="Send `username` and `password`; use the token as "
        "`Authorization: Token <key>`. Repeated failures lock the account for a while.",
        tags=["auth"],
        request=AuthTokenSerializer,
        responses={
            200: TokenSerializer,
            **errors(400, 429),
        },
        examples=[
            OpenApiExample(
                "Demo insured",
                value={"username": "insured", "password": "demo-pass-2026"},
                request_only=True,
            ),
            OpenApiExample(
                "Token",
                value={"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"},
                response_only=True,
            ),
        ],
    )
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except exceptions.ValidationError:
            # After repeated failures even the right password is refused: say so, with 429
            # and Retry-After as for any throttled call, not as a wrong password (400).
            if getattr(request, "axes_locked_out", False):
                cool_off = get_cool_off(request)
                raise exceptions.Throttled(
                    wait=cool_off.total_seconds() if cool_off else None,
                    detail=_("Too many failed sign-in attempts. Try again later."),
                ) from None
            raise
