"""Policies: list, read, create, change terms, issue and cancel."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import UNDERWRITING
from core.api_views import ScopedViewSet, error_example, errors

from .. import selectors, services
from ..filters import PolicyFilter
from ..models import Policy
from ..serializers import (
    CancelInputSerializer,
    PolicyCreateInputSerializer,
    PolicyDetailSerializer,
    PolicyListSerializer,
    PolicyTermsInputSerializer,
    ReasonInputSerializer,
)

INSURED_EXAMPLE = {
    "id": 3,
    "name": "Nordic Steel AB",
    "country": "SE",
    "registration_number": "5560000001",
}
POLICY_LIST_EXAMPLE = {
    "id": 12,
    "number": "CI-2026-000012",
    "status": "issued",
    "insured": INSURED_EXAMPLE,
    "currency": "SEK",
    "start_date": "2026-01-01",
    "end_date": "2026-12-31",
}
POLICY_DETAIL_EXAMPLE = {
    **POLICY_LIST_EXAMPLE,
    "insured_percentage": "90.00",
    "intervention_threshold": "500.00",
    "max_credit_period_days": 90,
    "max_extension_days": 60,
    "notification_deadline_days": 30,
    "waiting_period_days": 180,
    "claim_filing_days": 60,
    "claim_filing_insolvency_days": 180,
    "reduction_notice_days": 30,
    "discretionary_limit": "10000.00",
    "dcl_report_max_age_months": 12,
    "dcl_duration_months": 12,
    "max_liability_multiple": "30.00",
    "premium_rate": "2.0000",
    "minimum_premium": "2500.00",
    "limit_fee": "25.00",
    "declaration_frequency": "monthly",
    "declaration_due_days": 30,
    "covered_countries": ["BE", "DE", "FI", "NL", "SE"],
    "political_risk": False,
    "four_eyes_amount": "50000.00",
    "vat_insured": False,
    "created_at": "2025-12-10T09:30:00+01:00",
    "issued_at": "2025-12-12T14:05:00+01:00",
    "documents": [
        {
            "id": 40,
            "policy": 12,
            "kind": "schedule",
            "version": 1,
            "status": "ready",
            "language": "sv",
            "created_at": "2025-12-12T14:05:00+01:00",
            "rendered_at": "2025-12-12T14:05:03+01:00",
            "download_url": "https://insurer.example/api/v1/documents/40/download/",
        }
    ],
    "premium": {
        "declared_turnover": "4000000.00",
        "turnover_premium": "8000.00",
        "minimum_premium": "2500.00",
        "minimum_adjustment": "0.00",
        "premium": "8000.00",
        "limit_decisions": 0,
        "limit_fees": "0.00",
        "total": "8000.00",
        "max_liability": "240000.00",
    },
    "years": [
        {
            "number": 1,
            "start": "2026-01-01",
            "end": "2026-12-31",
            "complete": False,
            "declared_turnover": "4000000.00",
            "turnover_premium": "8000.00",
            "minimum_premium": "2500.00",
            "minimum_adjustment": "0.00",
            "minimum_topup_charged": "0.00",
            "premium": "8000.00",
            "limit_decisions": 0,
            "limit_fees": "0.00",
            "total": "8000.00",
            "max_liability": "240000.00",
        }
    ],
    "outstanding_declarations": [
        {
            "period_start": "2026-03-01",
            "period_end": "2026-03-31",
            "due_date": "2026-04-30",
            "state": "due",
        }
    ],
}


class PolicyViewSet(ScopedViewSet):
    """Policies: everyone reads what they may see (an insured only its company's issued
    policies); underwriters and administrators draft, edit, issue and cancel."""

    queryset = Policy.objects.none()
    filterset_class = PolicyFilter
    ordering_fields = ["number", "start_date", "end_date", "status"]
    write_roles = {
        "create": UNDERWRITING,
        "partial_update": UNDERWRITING,
        "issue": UNDERWRITING,
        "cancel": UNDERWRITING,
    }

    def scoped_queryset(self):
        return selectors.policies_for(self.request.user)

    def get_serializer_class(self):
        return PolicyListSerializer if self.action == "list" else PolicyDetailSerializer

    def detail_response(self, policy: Policy, status_code=status.HTTP_200_OK) -> Response:
        context = {"request": self.request, "today": timezone.localdate()}
        return Response(PolicyDetailSerializer(policy, context=context).data, status=status_code)

    @extend_schema(
        summary="List policies",
        description="The policies you may see, newest start first unless `ordering` says "
        "otherwise (`number`, `start_date`, `end_date`, `status`; prefix `-` to reverse).",
        tags=["policies"],
        responses={200: PolicyListSerializer(many=True), **errors(400, 401)},
        examples=[OpenApiExample("An issued policy", value=POLICY_LIST_EXAMPLE)],
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(PolicyListSerializer(page, many=True).data)

    @extend_schema(
        summary="Read a policy",
        description="Every term, the documents, the current policy year's premium so far, "
        "every policy year (`years`: minimum premium, top-up and maximum liability apply per "
        "policy year) and the declarations that are due or late. Amounts are decimal strings "
        "in `currency`.",
        tags=["policies"],
        responses={200: PolicyDetailSerializer, **errors(401, 404)},
        examples=[OpenApiExample("An issued policy", value=POLICY_DETAIL_EXAMPLE)],
    )
    def retrieve(self, request, pk=None):
        return self.detail_response(self.get_object())

    @extend_schema(
        summary="Draft a policy",
        description="A draft policy for an insured company; every term left out takes its "
        "default. Underwriters and administrators only.",
        tags=["policies"],
        request=PolicyCreateInputSerializer,
        responses={201: PolicyDetailSerializer, **errors(400, 401, 403)},
        examples=[
            OpenApiExample(
                "Draft with a few terms",
                value={
                    "insured": 3,
                    "start_date": "2026-01-01",
                    "currency": "SEK",
                    "premium_rate": "1.8000",
                    "discretionary_limit": "20000.00",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Created draft",
                value={**POLICY_DETAIL_EXAMPLE, "status": "draft", "issued_at": None},
                response_only=True,
                status_codes=["201"],
            ),
            error_example(
                "Unknown currency",
                400,
                "invalid",
                "XYZ is not the ISO 4217 code of a currency in use.",
                field="currency",
            ),
        ],
    )
    def create(self, request):
        serializer = PolicyCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        terms = dict(serializer.validated_data)
        policy = services.policy_create(
            actor=request.user,
            insured=terms.pop("insured"),
            start_date=terms.pop("start_date"),
            reason=terms.pop("reason", ""),
            **terms,
        )
        return self.detail_response(policy, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change policy terms",
        description="Send only the terms that change. On an issued policy a `reason` is "
        "required and an endorsement document follows; its `currency` is fixed (409). "
        "Underwriters and administrators only.",
        tags=["policies"],
        request=PolicyTermsInputSerializer,
        responses={200: PolicyDetailSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Raise the DCL",
                value={"discretionary_limit": "25000.00", "reason": "Renewal negotiation"},
                request_only=True,
            ),
            OpenApiExample("Changed policy", value=POLICY_DETAIL_EXAMPLE, response_only=True),
            error_example(
                "Reason missing",
                400,
                "reason_required",
                "Give a reason for this change.",
                field="reason",
            ),
            error_example(
                "Currency of an issued policy",
                409,
                "policy_term_fixed",
                "The currency is fixed once the policy is issued: every amount of the policy "
                "is in it.",
                field="currency",
            ),
        ],
    )
    def partial_update(self, request, pk=None):
        policy = self.get_object()
        serializer = PolicyTermsInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        terms = dict(serializer.validated_data)
        policy = services.policy_update_terms(
            actor=request.user, policy_id=policy.pk, reason=terms.pop("reason", ""), **terms
        )
        return self.detail_response(policy)

    @extend_schema(
        summary="Issue a draft policy",
        description="Draft → issued: the policy starts to cover and its schedule PDF is "
        "prepared. Underwriters and administrators only.",
        tags=["policies"],
        request=ReasonInputSerializer,
        responses={200: PolicyDetailSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample("Issue", value={"reason": "Signed proposal"}, request_only=True),
            OpenApiExample("Issued policy", value=POLICY_DETAIL_EXAMPLE, response_only=True),
            error_example(
                "Already issued",
                409,
                "policy_transition_not_allowed",
                "A issued policy cannot be issued.",
                field="status",
            ),
        ],
    )
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        policy = self.get_object()
        serializer = ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        policy = services.policy_issue(
            actor=request.user,
            policy_id=policy.pk,
            reason=serializer.validated_data.get("reason", ""),
        )
        return self.detail_response(policy)

    @extend_schema(
        summary="Cancel a policy",
        description="A draft or issued policy is cancelled; a reason is required. "
        "Underwriters and administrators only.",
        tags=["policies"],
        request=CancelInputSerializer,
        responses={200: PolicyDetailSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample("Cancel", value={"reason": "Not taken up"}, request_only=True),
            OpenApiExample(
                "Cancelled policy",
                value={**POLICY_DETAIL_EXAMPLE, "status": "cancelled"},
                response_only=True,
            ),
        ],
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        policy = self.get_object()
        serializer = CancelInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        policy = services.policy_cancel(
            actor=request.user, policy_id=policy.pk, reason=serializer.validated_data["reason"]
        )
        return self.detail_response(policy)


# Declarations ---------------------------------------------------------------------------------
