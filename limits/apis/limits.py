"""Limits in force on a date, their history, and reductions by the insured or the insurer."""

from datetime import date

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import INSURED, UNDERWRITING
from core.api_views import ScopedViewSet, error_example, errors

from .. import selectors, services
from ..filters import LimitFilter
from ..models import Limit, LimitChange
from ..serializers import (
    AsOfSerializer,
    LimitDetailSerializer,
    LimitReduceInputSerializer,
    LimitReductionSerializer,
    LimitSerializer,
)
from .examples import CHANGE_REDUCED, CHANGE_REDUCED_BY_INSURED, LIMIT, LIMIT_DETAIL

TAGS = ["limits"]
AS_OF = OpenApiParameter(
    name="as_of",
    type=OpenApiTypes.DATE,
    location=OpenApiParameter.QUERY,
    required=False,
    description="The date the amounts are read on (`YYYY-MM-DD`); default today. An "
    "insurer's reduction shows from its effective date, after the notice period.",
)
BELOW_CURRENT = error_example(
    "Not below the current limit",
    400,
    "limit_change_invalid",
    "The new amount must be below the current limit of 200000.00.",
    field="amount",
)


class LimitViewSet(ScopedViewSet):
    """The limit of each policy on each debtor, read on a date; an insured user sees its
    company's."""

    queryset = Limit.objects.none()
    serializer_class = LimitSerializer
    filterset_class = LimitFilter
    ordering_fields = ["amount", "effective_from", "expires_on", "debtor__name"]
    ordering = ["debtor__name", "id"]
    write_roles = {"reduce": INSURED, "insurer_reduce": UNDERWRITING}

    def as_of(self) -> date:
        """`?as_of=` (default today), checked once per request."""
        if not hasattr(self, "_as_of"):
            if self.action in ("list", "retrieve"):
                params = AsOfSerializer(data=self.request.query_params)
                params.is_valid(raise_exception=True)
                day = params.validated_data.get("as_of")
            else:
                day = None  # a change is made, and answered, as of today
            self._as_of = day or timezone.localdate()
        return self._as_of

    def scoped_queryset(self):
        return selectors.limits_as_of(selectors.limits_for(self.request.user), self.as_of())

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "as_of": self.as_of()}

    def reduction_response(self, limit_id: int, change: LimitChange) -> Response:
        today = timezone.localdate()
        limit = selectors.limits_as_of(
            selectors.limits_for(self.request.user).filter(pk=limit_id), today
        ).get()
        context = {**self.get_serializer_context(), "as_of": today}
        return Response(
            LimitReductionSerializer({"change": change, "limit": limit}, context=context).data
        )

    @extend_schema(
        summary="List limits on a date",
        description="The limits you may see with their amount, kind and conditions on "
        "`as_of` (default today). `in_force=true` keeps those above 0. Sort with `ordering` "
        "on `amount`, `effective_from`, `expires_on` or `debtor__name`.",
        tags=TAGS,
        parameters=[AS_OF],
        responses={200: LimitSerializer(many=True), **errors(400, 401)},
        examples=[
            OpenApiExample("A named limit", value=LIMIT),
            error_example(
                "Bad date", 400, "invalid", "Date has wrong format. Use YYYY-MM-DD.", "as_of"
            ),
        ],
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context()
        return self.get_paginated_response(LimitSerializer(page, many=True, context=context).data)

    @extend_schema(
        summary="Read a limit and its history",
        description="The limit on `as_of` (default today) and every change it has had: "
        "amount, effective date, reason, and who made it (`automatic` or a username).",
        tags=TAGS,
        parameters=[AS_OF],
        responses={200: LimitDetailSerializer, **errors(400, 401, 404)},
        examples=[OpenApiExample("A limit reduced by the insurer", value=LIMIT_DETAIL)],
    )
    def retrieve(self, request, pk=None):
        context = self.get_serializer_context()
        return Response(LimitDetailSerializer(self.get_object(), context=context).data)

    @extend_schema(
        summary="Reduce or cancel your own limit",
        description='Insured users lower a limit of their company at once (`amount` "0" '
        "cancels it); its fee stops with it. The answer holds the change and the limit today.",
        tags=TAGS,
        request=LimitReduceInputSerializer,
        responses={200: LimitReductionSerializer, **errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Reduce",
                value={"amount": "150000.00", "reason": "Fewer orders this season."},
                request_only=True,
            ),
            OpenApiExample(
                "Reduced at once",
                value={
                    "change": CHANGE_REDUCED_BY_INSURED,
                    "limit": {**LIMIT, "amount": "150000.00", "effective_from": "2026-03-15"},
                },
                response_only=True,
            ),
            BELOW_CURRENT,
        ],
    )
    @action(detail=True, methods=["post"])
    def reduce(self, request, pk=None):
        limit = self.get_object()
        serializer = LimitReduceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        change = services.limit_reduce_by_insured(
            actor=request.user,
            limit_id=limit.pk,
            amount=serializer.validated_data["amount"],
            reason=serializer.validated_data["reason"],
        )
        return self.reduction_response(limit.pk, change)

    @extend_schema(
        summary="Reduce or withdraw a limit (insurer)",
        description="Underwriters and administrators. The reduction takes effect after the "
        "policy's notice period (at once when the debtor is insolvent): `change."
        "effective_from` says when; until then `limit` still shows the old amount. A `reason` "
        "for the insured is required; the insured is told and gets a letter.",
        tags=TAGS,
        request=LimitReduceInputSerializer,
        responses={200: LimitReductionSerializer, **errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Reduce",
                value={"amount": "100000.00", "reason": "Rating fell to 35."},
                request_only=True,
            ),
            OpenApiExample(
                "Reduced from the end of the notice period",
                value={
                    "change": CHANGE_REDUCED,
                    "limit": {**LIMIT, "as_of": "2026-03-15"},
                },
                response_only=True,
            ),
            BELOW_CURRENT,
        ],
    )
    @action(detail=True, methods=["post"], url_path="insurer-reduce")
    def insurer_reduce(self, request, pk=None):
        limit = self.get_object()
        serializer = LimitReduceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        change = services.limit_reduce_by_insurer(
            actor=request.user,
            limit_id=limit.pk,
            amount=serializer.validated_data["amount"],
            reason=serializer.validated_data["reason"],
        )
        return self.reduction_response(limit.pk, change)
