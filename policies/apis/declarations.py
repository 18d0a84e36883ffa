"""Turnover declarations: list, read, and declare (with Idempotency-Key)."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.access import INSURED
from core import idempotency
from core.api_views import ScopedViewSet, error_example, errors

from .. import selectors, services
from ..filters import DeclarationFilter
from ..models import TurnoverDeclaration
from ..serializers import (
    DeclarationCreateInputSerializer,
    DeclarationSerializer,
)

DECLARATION_EXAMPLE = {
    "id": 7,
    "policy": 12,
    "policy_number": "CI-2026-000012",
    "currency": "SEK",
    "period_start": "2026-01-01",
    "period_end": "2026-01-31",
    "turnover": "4000000.00",
    "premium_rate": "2.0000",
    "premium": "8000.00",
    "due_date": "2026-03-02",
    "declared_at": "2026-02-10T10:15:00+01:00",
    "is_late": False,
    "note": "",
}


class DeclarationViewSet(ScopedViewSet):
    """Turnover declarations: an insured user declares its company's periods; staff read."""

    queryset = TurnoverDeclaration.objects.none()
    serializer_class = DeclarationSerializer
    filterset_class = DeclarationFilter
    ordering_fields = ["period_start", "declared_at", "due_date"]
    write_roles = {"create": INSURED}

    def scoped_queryset(self):
        return selectors.declarations_for(self.request.user)

    @extend_schema(
        summary="List turnover declarations",
        description="Your company's declarations (staff: all). Sort with `ordering` on "
        "`period_start`, `declared_at` or `due_date`.",
        tags=["declarations"],
        responses={200: DeclarationSerializer(many=True), **errors(400, 401)},
        examples=[OpenApiExample("A declaration", value=DECLARATION_EXAMPLE)],
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(DeclarationSerializer(page, many=True).data)

    @extend_schema(
        summary="Read a turnover declaration",
        tags=["declarations"],
        responses={200: DeclarationSerializer, **errors(401, 404)},
        examples=[OpenApiExample("A declaration", value=DECLARATION_EXAMPLE)],
    )
    def retrieve(self, request, pk=None):
        return Response(DeclarationSerializer(self.get_object()).data)

    @extend_schema(
        summary="Declare a period's turnover",
        description="Insured users, for their company's issued policies, once the period "
        "has ended; the last periods also after the policy has expired (late after their due "
        "date). The premium is the turnover × the policy's rate (‰); a premium invoice "
        "follows as a document. `turnover` is a decimal string. Send an `Idempotency-Key` "
        "to retry safely.",
        tags=["declarations"],
        parameters=[idempotency.PARAMETER],
        request=DeclarationCreateInputSerializer,
        responses={201: DeclarationSerializer, **errors(400, 401, 403, 409)},
        examples=[
            OpenApiExample(
                "January",
                value={
                    "policy": 12,
                    "period_start": "2026-01-01",
                    "turnover": "4000000.00",
                    "note": "",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Declared", value=DECLARATION_EXAMPLE, response_only=True, status_codes=["201"]
            ),
            error_example(
                "Period already declared",
                409,
                "declaration_exists",
                "This period has already been declared.",
                field="period_start",
            ),
            error_example(
                "Key reused with another body",
                409,
                "idempotency_key_reused",
                "This Idempotency-Key was already used with a different request.",
                field=idempotency.HEADER,
            ),
        ],
    )
    @idempotency.idempotent
    def create(self, request):
        serializer = DeclarationCreateInputSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        declaration = services.declaration_submit(
            actor=request.user,
            policy_id=data["policy"].pk,
            period_start=data["period_start"],
            turnover=data["turnover"],
            note=data["note"],
        )
        return Response(DeclarationSerializer(declaration).data, status=status.HTTP_201_CREATED)


# Documents ------------------------------------------------------------------------------------
