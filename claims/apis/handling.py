"""The claims handler's actions on a claim: take it up, ask for documents, decide, approve a
second time, record the payment, and the recoveries after it (read by whoever sees the
claim, recorded by claims handlers)."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import CLAIMS
from core.api_views import error_example, errors

from ..models import Recovery
from ..serializers import (
    ClaimAskDocumentsInputSerializer,
    ClaimDecideInputSerializer,
    ClaimDetailSerializer,
    ClaimPayInputSerializer,
    ClaimSecondApprovalInputSerializer,
    RecoveryInputSerializer,
    RecoveryLedgerSerializer,
    RecoverySerializer,
    ledger,
)
from ..services.claims import claim_assess, claim_documents_ask
from ..services.recoveries import recovery_record
from ..services.settlement import claim_decide, claim_pay, claim_second_approve
from .examples import CLAIM_DETAIL, CLAIM_PAID, LEDGER, NOT_ALLOWED_NOW, RECOVERY

TAGS = ["claims"]


def _as(status_value: str, label: str, **changes) -> dict:
    return {**CLAIM_DETAIL, "status": status_value, "status_label": label, **changes}


class HandlerActions:
    roles = dict.fromkeys(
        ("assess", "ask_documents", "decide", "second_approval", "pay", "recoveries"), CLAIMS
    )

    @extend_schema(
        summary="Take a claim up",
        description="Claims handlers and administrators: a filed claim goes under "
        "assessment. Another status answers 409.",
        tags=TAGS,
        request=None,
        responses={200: ClaimDetailSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Under assessment",
                value=_as("assessment", "Under assessment"),
                response_only=True,
            ),
            NOT_ALLOWED_NOW,
        ],
    )
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        claim = self.get_object()
        claim_assess(actor=request.user, claim_id=claim.pk)
        return self.detail_response(claim.pk)

    @extend_schema(
        summary="Ask the insured for documents",
        description="Claims handlers and administrators, on a claim filed or under "
        "assessment: name the `kinds` needed and/or say in the `message` what is missing. "
        "The claim waits for the insured, who is told in the inbox and by email.",
        tags=TAGS,
        request=ClaimAskDocumentsInputSerializer,
        responses={200: ClaimDetailSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Two documents",
                value={
                    "kinds": ["account_statement", "proof_of_delivery"],
                    "message": "Please add the signed delivery notes for F-2.",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Waiting for documents",
                value=_as(
                    "waiting_documents",
                    "Waiting for documents",
                    documents_requested=["account_statement", "proof_of_delivery"],
                    documents_message="Please add the signed delivery notes for F-2.",
                ),
                response_only=True,
            ),
            NOT_ALLOWED_NOW,
        ],
    )
    @action(detail=True, methods=["post"], url_path="ask-documents")
    def ask_documents(self, request, pk=None):
        claim = self.get_object()
        serializer = ClaimAskDocumentsInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim_documents_ask(actor=request.user, claim_id=claim.pk, **serializer.validated_data)
        return self.detail_response(claim.pk)

    @extend_schema(
        summary="Decide a claim",
        description="Claims handlers and administrators, on a claim filed or under "
        "assessment: `approve` at the calculated indemnity, `adjust` to `amount` with the "
        "`reason`, or `refuse` with the `reason`. The calculation of the day is kept with "
        "the claim. Above the policy's four-eyes amount the claim waits for a second "
        "approval by another handler. `nothing_to_pay`, `not_positive`, "
        "`above_max_liability`, `not_adjusted` answer 400; another status 409.",
        tags=TAGS,
        request=ClaimDecideInputSerializer,
        responses={200: ClaimDetailSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample("Approve", value={"decision": "approve"}, request_only=True),
            OpenApiExample(
                "Adjust",
                value={
                    "decision": "adjust",
                    "amount": "30000.00",
                    "reason": "F-2 was partly delivered after the stop.",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Approved",
                value=_as(
                    "approved",
                    "Approved",
                    open=True,
                    calculated_amount="36000.00",
                    indemnity="36000.00",
                    calculation_settled=True,
                ),
                response_only=True,
            ),
            error_example(
                "Adjusted above what is left",
                400,
                "above_max_liability",
                "Only 20000.00 of the policy year's maximum liability is left.",
                field="amount",
            ),
            NOT_ALLOWED_NOW,
        ],
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        claim = self.get_object()
        serializer = ClaimDecideInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        claim_decide(
            actor=request.user,
            claim_id=claim.pk,
            decision=data["decision"],
            reason=data["reason"],
            amount=data.get("amount"),
        )
        return self.detail_response(claim.pk)

    @extend_schema(
        summary="Approve a settlement a second time",
        description="Claims handlers and administrators other than the one who decided "
        "(else 409 `four_eyes`), on a claim waiting for a second approval: `agree` settles it "
        "as decided; otherwise it goes back to assessment with the `reason`.",
        tags=TAGS,
        request=ClaimSecondApprovalInputSerializer,
        responses={200: ClaimDetailSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample("Agree", value={"agree": True}, request_only=True),
            OpenApiExample(
                "Send back",
                value={"agree": False, "reason": "Check the delivery date of F-2."},
                request_only=True,
            ),
            OpenApiExample(
                "Approved",
                value=_as("approved", "Approved", indemnity="60000.00"),
                response_only=True,
            ),
            error_example(
                "The same handler",
                409,
                "four_eyes",
                "A second approval must come from another claims handler.",
                field="claim",
            ),
        ],
    )
    @action(detail=True, methods=["post"], url_path="second-approval")
    def second_approval(self, request, pk=None):
        claim = self.get_object()
        serializer = ClaimSecondApprovalInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim_second_approve(actor=request.user, claim_id=claim.pk, **serializer.validated_data)
        return self.detail_response(claim.pk)

    @extend_schema(
        summary="Record the payment of a claim",
        description="Claims handlers and administrators, on an approved or adjusted claim: "
        "the collections case closes and the settlement statement is prepared in the "
        "insured's language (see `statements`).",
        tags=TAGS,
        request=ClaimPayInputSerializer,
        responses={200: ClaimDetailSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Paid", value={"paid_on": "2026-10-07", "reference": "PAY-1"}, request_only=True
            ),
            OpenApiExample("Paid", value=CLAIM_PAID, response_only=True),
            NOT_ALLOWED_NOW,
        ],
    )
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        claim = self.get_object()
        serializer = ClaimPayInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim_pay(actor=request.user, claim_id=claim.pk, **serializer.validated_data)
        return self.detail_response(claim.pk)

    @extend_schema(
        methods=["GET"],
        summary="Read a claim's recoveries",
        description="The ledger: every recovery after payment with its split, and the totals.",
        tags=TAGS,
        responses={200: RecoveryLedgerSerializer, **errors(401, 404)},
        examples=[OpenApiExample("One recovery", value=LEDGER)],
    )
    @extend_schema(
        methods=["POST"],
        summary="Record a recovery",
        description="Claims handlers and administrators, on a paid claim (else 409 "
        "`not_paid`): money received from the debtor after the payment, split between "
        "insurer and insured (the part on the insured loss by the insured percentage, the "
        "excess to the insured, never more back to the insurer than it paid). A recovery "
        "statement is prepared.",
        tags=TAGS,
        request=RecoveryInputSerializer,
        responses={201: RecoverySerializer, **errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "From the estate",
                value={
                    "amount": "10000.00",
                    "received_on": "2026-11-02",
                    "source": "Dividend from the bankruptcy estate",
                },
                request_only=True,
            ),
            OpenApiExample("Split", value=RECOVERY, response_only=True, status_codes=["201"]),
            error_example(
                "Not paid",
                409,
                "not_paid",
                "Recoveries are recorded on a paid claim; this one is Approved.",
                field="claim",
            ),
        ],
    )
    @action(detail=True, methods=["get", "post"])
    def recoveries(self, request, pk=None):
        claim = self.get_object()
        if request.method == "GET":
            rows = Recovery.objects.filter(claim=claim).select_related("recorded_by")
            return Response(RecoveryLedgerSerializer(ledger(claim, rows)).data)
        serializer = RecoveryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        recovery = recovery_record(
            actor=request.user, claim_id=claim.pk, **serializer.validated_data
        )
        recovery = Recovery.objects.select_related("recorded_by").get(pk=recovery.pk)
        return Response(RecoverySerializer(recovery).data, status=status.HTTP_201_CREATED)
