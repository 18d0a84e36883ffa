"""Limit requests: list, read, submit (decided at once where the template can; with
Idempotency-Key), withdraw, and an underwriter's decision."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import INSURED, UNDERWRITING
from core import idempotency
from core.api_views import ScopedViewSet, error_example, errors

from .. import selectors, services
from ..filters import LimitRequestFilter
from ..models import LimitRequest
from ..serializers import (
    LimitRequestCreateInputSerializer,
    LimitRequestDecideInputSerializer,
    LimitRequestSerializer,
)
from .examples import (
    REQUEST_APPROVED,
    REQUEST_DECIDED_BY_UNDERWRITER,
    REQUEST_PARTLY_APPROVED,
    REQUEST_REFERRED,
    REQUEST_WITHDRAWN,
)

TAGS = ["limit requests"]


class LimitRequestViewSet(ScopedViewSet):
    """Limit requests: an insured user asks for limits on its company's policies; the credit
    decision template decides at once where it can, underwriters decide the rest."""

    queryset = LimitRequest.objects.none()
    serializer_class = LimitRequestSerializer
    filterset_class = LimitRequestFilter
    ordering_fields = ["submitted_at", "amount"]
    ordering = ["-submitted_at", "-id"]
    write_roles = {"create": INSURED, "withdraw": INSURED, "decide": UNDERWRITING}

    def scoped_queryset(self):
        return selectors.limit_requests_for(self.request.user).prefetch_related(
            "letters", "limit_changes"
        )

    def respond(self, limit_request: LimitRequest, status_code=status.HTTP_200_OK) -> Response:
        data = LimitRequestSerializer(limit_request, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    @extend_schema(
        summary="List limit requests",
        description="Your company's requests (staff: all), newest first unless `ordering` "
        "says otherwise (`submitted_at`, `amount`; prefix `-` to reverse).",
        tags=TAGS,
        responses={200: LimitRequestSerializer(many=True), **errors(400, 401)},
        examples=[OpenApiExample("An approved request", value=REQUEST_APPROVED)],
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context()
        return self.get_paginated_response(
            LimitRequestSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        summary="Read a limit request",
        description="The request, its decision when there is one (amount, reasons, "
        "conditions) and its decision letters.",
        tags=TAGS,
        responses={200: LimitRequestSerializer, **errors(401, 404)},
        examples=[
            OpenApiExample("Approved at once", value=REQUEST_APPROVED),
            OpenApiExample("Referred to an underwriter", value=REQUEST_REFERRED),
        ],
    )
    def retrieve(self, request, pk=None):
        return self.respond(self.get_object())

    @extend_schema(
        summary="Request a credit limit",
        description="Insured users, on their company's issued policies. Name the debtor by "
        "its register id (`debtor`) or by `debtor_country` + `debtor_registration_number`; a "
        "debtor not in the register is refused: register it at `/api/v1/debtors/` first. "
        "`amount` is a decimal string in the policy currency.\n\n"
        "The answer carries the decision when it was made in the same call: `approved` "
        "(within the guideline, or a discretionary limit), `partly_approved` (at the "
        "guideline), `refused`, or `referred` to an underwriter with every failing parameter "
        "in `reasons`. One request at a time may wait per policy and debtor (409 "
        "`limit_request_pending`). Send an `Idempotency-Key` to retry safely.",
        tags=TAGS,
        parameters=[idempotency.PARAMETER],
        request=LimitRequestCreateInputSerializer,
        responses={201: LimitRequestSerializer, **errors(400, 401, 403, 409)},
        examples=[
            OpenApiExample(
                "By debtor id",
                value={
                    "policy": 12,
                    "debtor": 88,
                    "kind": "new",
                    "amount": "200000.00",
                    "payment_terms_days": 30,
                    "reference": "ERP-4711",
                },
                request_only=True,
            ),
            OpenApiExample(
                "By registration number",
                value={
                    "policy": 12,
                    "debtor_country": "SE",
                    "debtor_registration_number": "5566778907",
                    "amount": "900000.00",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Approved at once",
                value=REQUEST_APPROVED,
                response_only=True,
                status_codes=["201"],
            ),
            OpenApiExample(
                "Partly approved at the guideline",
                value=REQUEST_PARTLY_APPROVED,
                response_only=True,
                status_codes=["201"],
            ),
            OpenApiExample(
                "Referred to an underwriter",
                value=REQUEST_REFERRED,
                response_only=True,
                status_codes=["201"],
            ),
            error_example(
                "Debtor not in the register",
                400,
                "debtor_not_registered",
                "No debtor SE 556677-8907 is in the register. Register it at /api/v1/debtors/ "
                "first, then ask again.",
                field="debtor_registration_number",
            ),
            error_example(
                "A request is already waiting",
                409,
                "limit_request_pending",
                "A request on this debtor is already waiting for a decision.",
                field="debtor",
            ),
        ],
    )
    @idempotency.idempotent
    def create(self, request):
        serializer = LimitRequestCreateInputSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        limit_request = services.limit_request_submit(
            actor=request.user,
            policy_id=data["policy"],
            debtor_id=data["debtor"],
            amount=data["amount"],
            kind=data["kind"],
            payment_terms_days=data["payment_terms_days"],
            reference=data["reference"],
        )
        return self.respond(limit_request, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Withdraw a limit request",
        description="Insured users, on their company's requests that wait for a decision. "
        "A decided request cannot be withdrawn (409).",
        tags=TAGS,
        request=None,
        responses={200: LimitRequestSerializer, **errors(401, 403, 404, 409)},
        examples=[
            OpenApiExample("Withdrawn", value=REQUEST_WITHDRAWN, response_only=True),
            error_example(
                "Already decided",
                409,
                "limit_request_decided",
                "This request has already been decided or withdrawn.",
                field="status",
            ),
        ],
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        limit_request = self.get_object()
        services.limit_request_withdraw(actor=request.user, request_id=limit_request.pk)
        return self.respond(self.get_object())

    @extend_schema(
        summary="Decide a limit request",
        description="Underwriters and administrators decide a waiting request: `approve` "
        "(the amount asked), `partly_approve` (with `amount`) or `refuse`, with the `reason` "
        "the insured reads and optional conditions (`max_terms_days`, `expires_on`). The "
        "decision becomes the limit in force at once, with a letter. Deciding a decided "
        "request answers 409.",
        tags=TAGS,
        request=LimitRequestDecideInputSerializer,
        responses={200: LimitRequestSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Partly approve with conditions",
                value={
                    "outcome": "partly_approve",
                    "amount": "50000.00",
                    "reason": "Weak rating; terms limited.",
                    "max_terms_days": 60,
                    "expires_on": "2026-12-31",
                },
                request_only=True,
            ),
            OpenApiExample("Decided", value=REQUEST_DECIDED_BY_UNDERWRITER, response_only=True),
            error_example(
                "Already decided",
                409,
                "limit_request_decided",
                "This request has already been decided or withdrawn.",
                field="status",
            ),
        ],
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        limit_request = self.get_object()
        serializer = LimitRequestDecideInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.limit_request_decide(
            actor=request.user,
            request_id=limit_request.pk,
            outcome=data["outcome"],
            amount=data.get("amount"),
            reason=data["reason"],
            max_terms_days=data.get("max_terms_days"),
            expires_on=data.get("expires_on"),
        )
        return self.respond(self.get_object())
