"""Claims: list, read whole, file (with Idempotency-Key), preview what a claim would pay
today, download a statement. The insured's actions are in `insured`, the claims handler's in
`handling`."""

from datetime import date

from django.db.models import Prefetch
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import EVERYONE, INSURED
from core import idempotency
from core.api_views import ScopedViewSet, error_example, errors
from core.exceptions import NotFound
from debtors.models import Debtor
from exposure import timeline
from policies.models import Policy, PolicyStatus

from ..exceptions import ClaimInvalid, StatementNotReady
from ..filters import ClaimFilter
from ..models import Claim, ClaimDocument, ClaimStatement, Recovery, StatementStatus
from ..selectors import (
    calculate,
    claims_for,
    loss_date_of,
    open_notification,
    policy_year_number,
)
from ..serializers import (
    ClaimDetailSerializer,
    ClaimFileInputSerializer,
    ClaimPreviewInputSerializer,
    ClaimPreviewSerializer,
    ClaimSerializer,
)
from ..services.claims import claim_file
from .examples import CLAIM, CLAIM_DETAIL, CLAIM_PAID, KEY_REUSED, PREVIEW
from .handling import HandlerActions
from .insured import InsuredActions

TAGS = ["claims"]


class ClaimViewSet(InsuredActions, HandlerActions, ScopedViewSet):
    """The insured's claims on debtors that did not pay, from filing to payment and the
    recoveries after it, each with its calculation line by line."""

    queryset = Claim.objects.none()
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    ordering_fields = ["filed_on", "status", "claimed_amount", "indemnity", "number"]
    ordering = ["-filed_on", "-id"]
    write_roles = {
        "create": INSURED,
        "preview": EVERYONE,
        **InsuredActions.roles,
        **HandlerActions.roles,
    }

    @property
    def allowed_roles(self):
        if self.action == "statement" or (
            self.action == "recoveries" and self.request.method == "GET"
        ):
            return None  # reads, for whoever may see the claim
        return super().allowed_roles

    def perform_content_negotiation(self, request, force=False):
        # The statement answers a PDF whatever `Accept` says; its errors are JSON.
        return super().perform_content_negotiation(
            request, force=force or self.action == "statement"
        )

    def scoped_queryset(self):
        claims = claims_for(self.request.user)
        if self.action == "list":
            return claims
        return with_details(claims)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def detail_response(self, claim_id: int, status_code=status.HTTP_200_OK) -> Response:
        claim = with_details(claims_for(self.request.user)).get(pk=claim_id)
        data = ClaimDetailSerializer(claim, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    @extend_schema(
        summary="List claims",
        description="Your company's claims (staff: all), newest filing first unless "
        "`ordering` says otherwise (`filed_on`, `status`, `claimed_amount`, `indemnity`, "
        "`number`; prefix `-` to reverse). Filter by `status`, `open`, `cause`, `policy`, "
        "`policy_number`, `debtor`, `debtor_registration_number`, `debtor_name` and the "
        "filing date range.",
        tags=TAGS,
        responses={200: ClaimSerializer(many=True), **errors(400, 401)},
        examples=[OpenApiExample("Filed", value=CLAIM)],
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ClaimSerializer(page, many=True).data)

    @extend_schema(
        summary="Read a claim",
        description="The claim with its `status` and the `reasons` for it, its calculation "
        "line by line (as settled once decided, live before), the documents its cause needs "
        "(`checklist`) and those on it, every step of its life (`history`), its statements "
        "and its recoveries.",
        tags=TAGS,
        responses={200: ClaimDetailSerializer, **errors(401, 404)},
        examples=[
            OpenApiExample("Filed, documents missing", value=CLAIM_DETAIL),
            OpenApiExample("Paid, with a recovery", value=CLAIM_PAID),
        ],
    )
    def retrieve(self, request, pk=None):
        return Response(
            ClaimDetailSerializer(self.get_object(), context=self.get_serializer_context()).data
        )

    @extend_schema(
        summary="File a claim",
        description="Insured users, on a debtor notified overdue under their company's "
        "issued (or expired) policy; name the debtor by `debtor` or by `debtor_country` + "
        "`debtor_registration_number`. The cause of loss: `insolvency` (with its kind and "
        "date), `protracted_default` once the waiting period has ended, `political` where "
        "the policy covers it; within the claim filing deadline. A refusal names the field "
        "and the date: `waiting_period` (values: `may_file_from`), "
        "`filing_deadline_passed` (`deadline`), `not_notified`, `not_covered`, "
        "`policy_not_in_force`; a claim already open on the debtor answers 409 `claim_open`. "
        "Send an `Idempotency-Key` to retry safely.",
        tags=TAGS,
        parameters=[idempotency.PARAMETER],
        request=ClaimFileInputSerializer,
        responses={201: ClaimDetailSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Protracted default",
                value={
                    "policy": 12,
                    "debtor": 88,
                    "cause": "protracted_default",
                    "evidence": "No payment since January; reminders and the collection "
                    "demand unanswered.",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Bankruptcy, by registration number",
                value={
                    "policy": 12,
                    "debtor_country": "SE",
                    "debtor_registration_number": "5566778907",
                    "cause": "insolvency",
                    "insolvency_kind": "bankruptcy",
                    "loss_date": "2026-06-20",
                    "evidence": "Declared bankrupt by Stockholm District Court.",
                },
                request_only=True,
            ),
            OpenApiExample("Filed", value=CLAIM_DETAIL, response_only=True, status_codes=["201"]),
            error_example(
                "Waiting period not ended",
                400,
                "waiting_period",
                "A claim for protracted default may be filed once the waiting period has "
                "ended, on 2026-09-28.",
                field="cause",
            ),
            error_example(
                "Filing deadline passed",
                400,
                "filing_deadline_passed",
                "The claim filing deadline was 2026-11-27: a claim filed later is refused.",
                field="filed_on",
            ),
            error_example(
                "A claim already open",
                409,
                "claim_open",
                "A claim on this debtor is already open under this policy.",
                field="debtor",
            ),
            KEY_REUSED,
        ],
    )
    @idempotency.idempotent
    def create(self, request):
        serializer = ClaimFileInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        claim = claim_file(
            actor=request.user,
            policy_id=data["policy"],
            debtor_id=data["debtor"],
            cause=data["cause"],
            evidence=data["evidence"],
            loss_date=data.get("loss_date"),
            insolvency_kind=data["insolvency_kind"],
        )
        return self.detail_response(claim.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Preview what a claim would pay today",
        description="Without filing anything: the calculation a claim on the debtor would "
        "get today, invoice by invoice and step by step, the same one the claims handler "
        "decides on. Insured users on their company's policies, staff on any.",
        tags=TAGS,
        request=ClaimPreviewInputSerializer,
        responses={200: ClaimPreviewSerializer, **errors(400, 401, 403)},
        examples=[
            OpenApiExample(
                "Protracted default",
                value={"policy": 12, "debtor": 88, "cause": "protracted_default"},
                request_only=True,
            ),
            OpenApiExample("What it would pay", value=PREVIEW, response_only=True),
            error_example(
                "Policy not in force",
                400,
                "policy_not_in_force",
                "Claims are filed under an issued policy; this one is Draft.",
                field="policy",
            ),
        ],
    )
    @action(detail=False, methods=["post"])
    def preview(self, request):
        serializer = ClaimPreviewInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        policy = Policy.objects.get(pk=data["policy"])
        if policy.status not in (PolicyStatus.ISSUED, PolicyStatus.EXPIRED):
            raise ClaimInvalid(
                _("Claims are filed under an issued policy; this one is %(status)s.")
                % {"status": policy.get_status_display()},
                field="policy",
                code="policy_not_in_force",
            )
        debtor = Debtor.objects.get(pk=data["debtor"])
        today = timezone.localdate()
        notice = open_notification(policy.pk, debtor.pk)
        cause = data.get("cause")
        loss_date = data.get("loss_date") or preview_loss_date(policy, debtor, notice, cause, today)
        preview = {
            "policy": policy,
            "debtor": debtor,
            "cause": cause,
            "loss_date": loss_date,
            "policy_year": policy_year_number(policy, loss_date),
            "notification": notice.pk if notice else None,
            "calculation": calculate(policy, debtor.pk, today=today, loss_date=loss_date),
        }
        return Response(ClaimPreviewSerializer(preview).data)

    @extend_schema(
        summary="Download a claim statement",
        description="A settlement or recovery statement of the claim as a PDF, in the "
        "insured's language, once it is `ready`; 409 `not_ready` while it is being prepared "
        "or if it failed.",
        tags=TAGS,
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, "The PDF."),
            **errors(401, 404, 409),
        },
        examples=[
            error_example(
                "Not ready",
                409,
                "not_ready",
                "The statement is still being prepared. Try again in a moment.",
                field="statement",
            )
        ],
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"statements/(?P<statement_id>[0-9]{1,18})",
        url_name="statement",
    )
    def statement(self, request, pk=None, statement_id=None):
        claim = self.get_object()
        statement = ClaimStatement.objects.filter(claim=claim, pk=statement_id).first()
        if statement is None:
            raise NotFound(field="statement")
        if statement.status != StatementStatus.READY or not statement.file:
            message = (
                _("The statement could not be prepared.")
                if statement.status == StatementStatus.FAILED
                else None
            )
            raise StatementNotReady(message, field="statement", status=statement.status)
        return FileResponse(
            statement.file.open("rb"),
            as_attachment=True,
            filename=statement.filename,
            content_type="application/pdf",
        )


def preview_loss_date(policy, debtor, notice, cause: str | None, today: date) -> date:
    """The date of loss a claim would take (claims.selectors.loss_date_of), today while it
    is unknown."""
    if notice is None:
        return today
    return (
        loss_date_of(
            cause or "",
            notified_on=notice.notified_on,
            terms=timeline.Terms.of(policy),
            insolvent_since=debtor.insolvent_since,
        )
        or today
    )


def with_details(claims):
    """What the claim detail shows beside the claim, in one query per relation."""
    return claims.select_related("decided_by", "second_approved_by", "paid_by").prefetch_related(
        Prefetch("documents", ClaimDocument.objects.select_related("uploaded_by")),
        Prefetch("statements", ClaimStatement.objects.order_by("created_at", "id")),
        Prefetch("recoveries", Recovery.objects.select_related("recorded_by")),
    )
