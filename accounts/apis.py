from drf_spectacular.utils import OpenApiExample, extend_schema
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
        return super().post(request, *args, **kwargs)
