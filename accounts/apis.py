from axes.helpers import get_cool_off
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import AnonRateThrottle


class TokenThrottle(AnonRateThrottle):
    rate = "30/min"


class TokenObtainApi(ObtainAuthToken):
    """Username + password → the user's API token (created on first use)."""

    throttle_classes = [TokenThrottle]

    @extend_schema(
        summary="Obtain an API token",
        description="Send `username` and `password`; use the token as "
        "`Authorization: Token <key>`. Repeated failures lock the account for a while.",
        tags=["auth"],
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
