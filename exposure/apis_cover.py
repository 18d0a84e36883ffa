"""The cover check (ask, read a stored answer, list them) and overdue notifications (list,
notify with Idempotency-Key, read one with its invoices and timeline)."""

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.access import INSURED
from core import idempotency
from core.api_views import ScopedViewSet, error_example, errors
from limits.apis.examples import DEBTOR

from .models import CoverCheck, Invoice, OverdueNotification
from .selectors import cover_checks_for, notification_milestones, notifications_for
from .serializers_cover import (
    CoverCheckInputSerializer,
    CoverCheckSerializer,
    OverdueNotificationCreateInputSerializer,
    OverdueNotificationDetailSerializer,
    OverdueNotificationSerializer,
)
from .services.cover import cover_check
from .services.notifications import overdue_notify

# Examples -------------------------------------------------------------------------------------

COVER_YES = {
    "id": "5b7f2a4e-3c1d-4e8a-9f60-2b1d7c9e0a11",
    "policy": 12,
    "policy_number": "CI-2026-000012",
    "debtor": DEBTOR,
    "amount": "30000.00",
    "currency": "SEK",
    "terms_days": 30,
    "delivery_date": "2026-06-15",
    "covered": True,
    "covered_amount": "30000.00",
    "cover_left": "40000.00",
    "limit_amount": "50000.00",
    "reasons": [],
    "asked_at": "2026-06-15T09:12:03.201544+02:00",
    "asked_by": "erp.integration",
}
COVER_PARTLY = {
    **COVER_YES,
    "id": "0e3c9d55-7a2b-4f1e-8c4d-6a9b1e2f3c44",
    "amount": "65000.00",
    "covered": False,
    "covered_amount": "40000.00",
    "reasons": [
        {
            "code": "limit_exceeded",
            "message": "The amount is 25 000,00 kr above the cover left (40 000,00 kr of the "
            "50 000,00 kr limit).",
            "values": {"by": "25000.00", "left": "40000.00", "limit": "50000.00"},
        }
    ],
}
COVER_NO = {
    **COVER_YES,
    "id": "9a1d3f7e-2b4c-4d6e-8f0a-1c3e5a7b9d22",
    "covered": False,
    "covered_amount": "0.00",
    "cover_left": "0.00",
    "terms_days": 120,
    "reasons": [
        {
            "code": "terms_too_long",
            "message": "Payment terms of 120 days are longer than the policy's maximum credit "
            "period of 90 days.",
            "values": {"terms": 120, "max": 90},
        },
        {
            "code": "stop_delivery",
            "message": "Stop delivery since 2026-05-31: An invoice is unpaid past the maximum "
            "extension period.",
            "values": {"since": "2026-05-31", "why": "past_extension"},
        },
        {
            "code": "insurer_reduction",
            "message": "The insurer reduces the limit to 20 000,00 kr from 2026-07-15: "
            "deliveries from that day are covered only within the new amount.",
            "values": {"amount": "20000.00", "from": "2026-07-15"},
        },
    ],
}
NOTIFICATION = {
    "id": 71,
    "policy": 12,
    "policy_number": "CI-2026-000012",
    "debtor": DEBTOR,
    "currency": "SEK",
    "notified_on": "2026-06-15",
    "reason": "cash_flow",
    "reason_label": "The debtor lacks money",
    "details": "Says the money comes next month.",
    "disputed": False,
    "overdue_amount": "10000.00",
    "exposure_amount": "20000.00",
    "deadline": "2026-08-29",
    "late": False,
    "cover_lost": "0.00",
    "open": True,
    "closed_on": None,
    "created_at": "2026-06-15T10:02:11.412000+02:00",
    "created_by": "anna.finance",
}
NOTIFICATION_DETAIL = {
    **NOTIFICATION,
    "invoices": [
        {
            "id": 4101,
            "number": "F-1001",
            "delivery_date": "2026-05-01",
            "original_due_date": "2026-05-31",
            "due_date": "2026-05-31",
            "open_amount": "10000.00",
        }
    ],
    "timeline": [
        {
            "code": "notified",
            "label": "Notified overdue",
            "date": "2026-06-15",
            "term": "",
            "term_label": "",
            "days": None,
        },
        {
            "code": "notification_deadline",
            "label": "Overdue notification deadline",
            "date": "2026-08-29",
            "term": "notification_deadline_days",
            "term_label": "overdue notification deadline",
            "days": 30,
        },
        {
            "code": "waiting_period_end",
            "label": "End of the waiting period",
            "date": "2026-12-12",
            "term": "waiting_period_days",
            "term_label": "waiting period",
            "days": 180,
        },
        {
            "code": "claim_filing_deadline",
            "label": "Claim filing deadline",
            "date": "2027-02-10",
            "term": "claim_filing_days",
            "term_label": "claim filing deadline after the waiting period",
            "days": 60,
        },
    ],
}
NOTIFICATION_LATE = {
    **NOTIFICATION_DETAIL,
    "deadline": "2026-05-29",
    "late": True,
    "cover_lost": "10000.00",
}
NOT_REGISTERED = error_example(
    "Debtor not in the register",
    400,
    "debtor_not_registered",
    "No debtor SE 556036-0793 is in the register. Register it at /api/v1/debtors/ first, "
    "then send this again.",
    field="debtor_registration_number",
)
KEY_REUSED = error_example(
    "Key reused with another body",
    409,
    idempotency.IdempotencyKeyReused.code,
    "This Idempotency-Key was already used with a different request.",
    field=idempotency.HEADER,
)


# Filters --------------------------------------------------------------------------------------


class CoverCheckFilter(filters.FilterSet):
    policy = filters.NumberFilter(field_name="policy__id", help_text="The policy id.")
    debtor = filters.NumberFilter(field_name="debtor__id", help_text="The debtor id.")
    covered = filters.BooleanFilter(help_text="`true`: covered answers; `false`: the others.")
    delivery_date = filters.DateFromToRangeFilter(
        help_text="`delivery_date_after` / `delivery_date_before`, both inclusive."
    )

    class Meta:
        model = CoverCheck
        fields = ("policy", "debtor", "covered", "delivery_date")


class OverdueNotificationFilter(filters.FilterSet):
    policy = filters.NumberFilter(field_name="policy__id", help_text="The policy id.")
    debtor = filters.NumberFilter(field_name="debtor__id", help_text="The debtor id.")
    late = filters.BooleanFilter(help_text="`true`: notified after the deadline.")
    open = filters.BooleanFilter(
        method="filter_open", help_text="`true`: not closed; `false`: closed."
    )
    notified_on = filters.DateFromToRangeFilter(
        help_text="`notified_on_after` / `notified_on_before`, both inclusive."
    )

    class Meta:
        model = OverdueNotification
        fields = ("policy", "debtor", "late", "open", "notified_on")

    def filter_open(self, queryset, name, value: bool):
        return queryset.filter(closed_on__isnull=value)


# Cover check ----------------------------------------------------------------------------------

COVER_TAGS = ["cover check"]


class CoverCheckViewSet(ScopedViewSet):
    """ "May I deliver this amount to this debtor on these terms?": yes or no with every
    reason, stored with an id your ERP keeps as proof of what was answered."""

    queryset = CoverCheck.objects.none()
    serializer_class = CoverCheckSerializer
    filterset_class = CoverCheckFilter
    ordering_fields = ["asked_at", "amount", "delivery_date"]
    ordering = ["-asked_at"]
    write_roles = {"create": INSURED}

    def scoped_queryset(self):
        return cover_checks_for(self.request.user)

    @extend_schema(
        summary="List cover checks",
        description="Your company's stored answers (staff: all), newest first unless "
        "`ordering` says otherwise (`asked_at`, `amount`, `delivery_date`; prefix `-` to "
        "reverse). Filter by `policy`, `debtor`, `covered` and the delivery date range.",
        tags=COVER_TAGS,
        responses={200: CoverCheckSerializer(many=True), **errors(400, 401)},
        examples=[OpenApiExample("A covered delivery", value=COVER_YES)],
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(CoverCheckSerializer(page, many=True).data)

    @extend_schema(
        summary="Read a cover check",
        description="A stored answer, as it was given: proof of what was said at the time of "
        "delivery. Reasons read in your language.",
        tags=COVER_TAGS,
        responses={200: CoverCheckSerializer, **errors(401, 404)},
        examples=[
            OpenApiExample("Covered", value=COVER_YES),
            OpenApiExample("Not covered, with every reason", value=COVER_NO),
        ],
    )
    def retrieve(self, request, pk=None):
        return Response(CoverCheckSerializer(self.get_object()).data)

    @extend_schema(
        summary="Check cover before delivering",
        description="Insured users, on their company's policies: may this `amount` be "
        "delivered to this debtor on `terms_days` days' terms, on `delivery_date` (default "
        "today)? Name the debtor by its register id (`debtor`) or by `debtor_country` + "
        "`debtor_registration_number`. The answer is stored and has an `id`: keep it with "
        "the order as proof.\n\n"
        "`covered` is true when the whole amount is covered. Otherwise `reasons` says why, "
        "each with a stable `code`, a `message` in your language and its figures in `values`: "
        "`policy_not_in_force`, `country_not_covered`, `terms_too_long`, "
        "`terms_above_limit`, `stop_delivery`, `no_limit`, `limit_expired`, "
        "`limit_exceeded` (then `covered_amount` is the part within the cover left). "
        "`insurer_reduction` only informs of a reduction to come. Safe to call on every "
        "order; an `Idempotency-Key` makes a retry return the first answer.",
        tags=COVER_TAGS,
        parameters=[idempotency.PARAMETER],
        request=CoverCheckInputSerializer,
        responses={201: CoverCheckSerializer, **errors(400, 401, 403, 409)},
        examples=[
            OpenApiExample(
                "By debtor id",
                value={"policy": 12, "debtor": 88, "amount": "30000.00", "terms_days": 30},
                request_only=True,
            ),
            OpenApiExample(
                "By registration number, for a later delivery",
                value={
                    "policy": 12,
                    "debtor_country": "SE",
                    "debtor_registration_number": "5566778907",
                    "amount": "65000.00",
                    "terms_days": 60,
                    "delivery_date": "2026-07-01",
                },
                request_only=True,
            ),
            OpenApiExample("Covered", value=COVER_YES, response_only=True, status_codes=["201"]),
            OpenApiExample(
                "Partly: above the cover left",
                value=COVER_PARTLY,
                response_only=True,
                status_codes=["201"],
            ),
            OpenApiExample(
                "Not covered, with every reason",
                value=COVER_NO,
                response_only=True,
                status_codes=["201"],
            ),
            NOT_REGISTERED,
            error_example(
                "Amount not above 0",
                400,
                "not_positive",
                "Enter an amount above 0.",
                field="amount",
            ),
            KEY_REUSED,
        ],
    )
    @idempotency.idempotent
    def create(self, request):
        serializer = CoverCheckInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        check = cover_check(
            actor=request.user,
            policy_id=data["policy"],
            debtor_id=data["debtor"],
            amount=data["amount"],
            terms_days=data["terms_days"],
            delivery_date=data.get("delivery_date"),
        )
        return Response(CoverCheckSerializer(check).data, status=status.HTTP_201_CREATED)


# Overdue notifications ------------------------------------------------------------------------

NOTIFICATION_TAGS = ["overdue notifications"]


class OverdueNotificationViewSet(ScopedViewSet):
    """The insured tells the insurer a debtor does not pay: the overdue invoices and the
    whole exposure are recorded, checked against the notification deadline, and the
    waiting period starts."""

    queryset = OverdueNotification.objects.none()
    serializer_class = OverdueNotificationSerializer
    filterset_class = OverdueNotificationFilter
    ordering_fields = ["notified_on", "overdue_amount", "exposure_amount", "deadline"]
    ordering = ["-notified_on", "-id"]
    write_roles = {"create": INSURED}

    def scoped_queryset(self):
        notices = notifications_for(self.request.user).select_related("created_by")
        if self.action == "list":
            return notices
        return notices.prefetch_related(
            Prefetch("invoices", Invoice.objects.order_by("original_due_date", "id"))
        )

    def detail_data(self, notice: OverdueNotification) -> dict:
        context = {"milestones": notification_milestones}
        return OverdueNotificationDetailSerializer(notice, context=context).data

    @extend_schema(
        summary="List overdue notifications",
        description="Your company's notifications (staff: all), newest first unless "
        "`ordering` says otherwise (`notified_on`, `overdue_amount`, `exposure_amount`, "
        "`deadline`; prefix `-` to reverse). Filter by `policy`, `debtor`, `late`, `open` and "
        "the notification date range.",
        tags=NOTIFICATION_TAGS,
        responses={200: OverdueNotificationSerializer(many=True), **errors(400, 401)},
        examples=[OpenApiExample("Notified in time", value=NOTIFICATION)],
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(OverdueNotificationSerializer(page, many=True).data)

    @extend_schema(
        summary="Read an overdue notification",
        description="The notification's figures as of its day (overdue, whole exposure, the "
        "deadline, `late` and the `cover_lost` by a late notice), its invoices with what is "
        "unpaid on them now, and its `timeline`: the deadline, the notification, the end of "
        "the waiting period and the claim filing deadline, each with its policy term.",
        tags=NOTIFICATION_TAGS,
        responses={200: OverdueNotificationDetailSerializer, **errors(401, 404)},
        examples=[
            OpenApiExample("Notified in time", value=NOTIFICATION_DETAIL),
            OpenApiExample("Notified late", value=NOTIFICATION_LATE),
        ],
    )
    def retrieve(self, request, pk=None):
        return Response(self.detail_data(self.get_object()))

    @extend_schema(
        summary="Notify a debtor overdue",
        description="Insured users, under their company's issued (or expired) policies. Name "
        "the debtor by `debtor` or by `debtor_country` + `debtor_registration_number`. Every "
        "invoice of the debtor unpaid after its due date on `notified_on` (default today) is "
        "notified, and the whole exposure recorded. A notice after the deadline is recorded "
        "`late` with the cover it costs. From the notification, deliveries to the debtor are "
        "not covered (stop delivery) until everything overdue is paid.\n\n"
        "Nothing overdue answers 400 `nothing_overdue`; a debtor already notified answers "
        "409 `already_notified`. Send an `Idempotency-Key` to retry safely.",
        tags=NOTIFICATION_TAGS,
        parameters=[idempotency.PARAMETER],
        request=OverdueNotificationCreateInputSerializer,
        responses={201: OverdueNotificationDetailSerializer, **errors(400, 401, 403, 409)},
        examples=[
            OpenApiExample(
                "By registration number",
                value={
                    "policy": 12,
                    "debtor_country": "SE",
                    "debtor_registration_number": "5566778907",
                    "reason": "cash_flow",
                    "details": "Says the money comes next month.",
                },
                request_only=True,
            ),
            OpenApiExample(
                "By debtor id, told earlier by phone",
                value={
                    "policy": 12,
                    "debtor": 88,
                    "reason": "dispute",
                    "disputed": True,
                    "notified_on": "2026-06-12",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Notified in time",
                value=NOTIFICATION_DETAIL,
                response_only=True,
                status_codes=["201"],
            ),
            OpenApiExample(
                "Notified late",
                value=NOTIFICATION_LATE,
                response_only=True,
                status_codes=["201"],
            ),
            error_example(
                "Nothing overdue",
                400,
                "nothing_overdue",
                "Nothing of this debtor is overdue under this policy: there is nothing to notify.",
                field="debtor",
            ),
            NOT_REGISTERED,
            error_example(
                "Already notified",
                409,
                "already_notified",
                "This debtor was already notified overdue on 2026-06-01.",
                field="debtor",
            ),
            KEY_REUSED,
        ],
    )
    @idempotency.idempotent
    def create(self, request):
        serializer = OverdueNotificationCreateInputSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        notice = overdue_notify(
            actor=request.user,
            policy_id=data["policy"],
            debtor_id=data["debtor"],
            reason=data["reason"],
            details=data["details"],
            disputed=data["disputed"],
            notified_on=data.get("notified_on"),
        )
        notice = self.scoped_queryset().get(pk=notice.pk)  # with its invoices, in order
        return Response(self.detail_data(notice), status=status.HTTP_201_CREATED)
