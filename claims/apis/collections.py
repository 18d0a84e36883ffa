"""Collections cases: each overdue notification with the steps recorded on it and its plan;
claims handlers record the steps."""

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import CLAIMS
from core.api_views import ScopedViewSet, error_example, errors
from exposure.models import OverdueNotification
from exposure.selectors import notifications_for

from ..filters import CollectionCaseFilter
from ..models import CollectionStep
from ..serializers import CollectionCaseSerializer, CollectionStepInputSerializer
from ..services.collections import collection_step_record
from .examples import CASE

TAGS = ["collections"]


class CollectionViewSet(ScopedViewSet):
    """Each overdue notification opens a collections case: reminder, collection demand
    with its fee and days to pay, enforcement application, the debtor's days to object,
    dispute and court. Staff record the steps; the insured reads its own cases."""

    queryset = OverdueNotification.objects.none()
    serializer_class = CollectionCaseSerializer
    filterset_class = CollectionCaseFilter
    ordering_fields = ["notified_on", "overdue_amount", "closed_on"]
    # Open cases first (PostgreSQL sorts NULL first when descending), newest first.
    ordering = ["-closed_on", "-notified_on", "-id"]
    write_roles = {"steps": CLAIMS}

    def scoped_queryset(self):
        return notifications_for(self.request.user).prefetch_related(
            Prefetch(
                "collection_steps",
                CollectionStep.objects.select_related("recorded_by").order_by("done_on", "id"),
            )
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    @extend_schema(
        summary="List collections cases",
        description="Every overdue notification as a collections case, open cases first: "
        "your company's (staff: all). Each with the steps recorded, the `plan` (each step "
        "done or to come, who takes it, from or by when) and the `next_action`. Sort with "
        "`ordering` (`notified_on`, `overdue_amount`, `closed_on`; prefix `-` to reverse); "
        "filter by `open`, `policy`, `debtor` and the notification date range.",
        tags=TAGS,
        responses={200: CollectionCaseSerializer(many=True), **errors(400, 401)},
        examples=[OpenApiExample("A reminder sent", value=CASE)],
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context()
        return self.get_paginated_response(
            CollectionCaseSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        summary="Read a collections case",
        description="The case of an overdue notification (its id): steps recorded, plan "
        "and next action.",
        tags=TAGS,
        responses={200: CollectionCaseSerializer, **errors(401, 404)},
        examples=[OpenApiExample("A reminder sent", value=CASE)],
    )
    def retrieve(self, request, pk=None):
        context = self.get_serializer_context()
        return Response(CollectionCaseSerializer(self.get_object(), context=context).data)

    @extend_schema(
        summary="Record a collections step",
        description="Claims handlers and administrators, on an open case. The order and the "
        "periods are checked against the debtor country's collection rules: a collection "
        "demand carries its fee (the statutory fee unless given) and the day to pay by; an "
        "enforcement application comes no earlier than the period after the demand "
        "(`too_early`); the objection follows the enforcement application and the court's "
        "decision the court (`out_of_order`); a closed case answers `closed`.",
        tags=TAGS,
        request=CollectionStepInputSerializer,
        responses={201: CollectionCaseSerializer, **errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "A collection demand",
                value={"kind": "demand", "done_on": "2026-04-12", "note": "By letter"},
                request_only=True,
            ),
            OpenApiExample("Recorded", value=CASE, response_only=True, status_codes=["201"]),
            error_example(
                "Enforcement too early",
                400,
                "too_early",
                "The enforcement authority takes an application no earlier than 12 days "
                "after the collection demand: from 2026-04-24.",
                field="done_on",
            ),
        ],
    )
    @action(detail=True, methods=["post"])
    def steps(self, request, pk=None):
        notice = self.get_object()
        serializer = CollectionStepInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        collection_step_record(
            actor=request.user, notification_id=notice.pk, **serializer.validated_data
        )
        notice = self.scoped_queryset().get(pk=notice.pk)
        context = self.get_serializer_context()
        return Response(
            CollectionCaseSerializer(notice, context=context).data, status=status.HTTP_201_CREATED
        )
