"""Extension requests beyond the maximum extension period: list, read, and an underwriter's
decision."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import UNDERWRITING
from core.api_views import ScopedViewSet, error_example, errors

from .. import selectors, services
from ..filters import ExtensionRequestFilter
from ..models import ExtensionRequest
from ..serializers import ExtensionDecideInputSerializer, ExtensionRequestSerializer
from .examples import EXTENSION_GRANTED, EXTENSION_PENDING

TAGS = ["extension requests"]


class ExtensionRequestViewSet(ScopedViewSet):
    """Due dates beyond the maximum extension period that the insured asked the insurer to
    consent to (`POST /api/v1/invoices/{id}/extend/`)."""

    queryset = ExtensionRequest.objects.none()
    serializer_class = ExtensionRequestSerializer
    filterset_class = ExtensionRequestFilter
    ordering_fields = ["requested_at", "due_date", "decided_at"]
    ordering = ["requested_at", "id"]
    write_roles = {"decide": UNDERWRITING}

    def scoped_queryset(self):
        return selectors.extension_requests_for(self.request.user).select_related(
            "invoice__policy", "invoice__debtor", "requested_by", "decided_by"
        )

    @extend_schema(
        summary="List extension requests",
        description="Your company's requests (staff: all), oldest first unless `ordering` "
        "says otherwise (`requested_at`, `due_date`, `decided_at`; prefix `-` to reverse). "
        "Underwriters find those waiting with `status=pending`.",
        tags=TAGS,
        responses={200: ExtensionRequestSerializer(many=True), **errors(400, 401)},
        examples=[OpenApiExample("Waiting for the insurer", value=EXTENSION_PENDING)],
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ExtensionRequestSerializer(page, many=True).data)

    @extend_schema(
        summary="Read an extension request",
        description="The due date asked for, why, and the insurer's decision when there is "
        "one: `status` with its `reasons`.",
        tags=TAGS,
        responses={200: ExtensionRequestSerializer, **errors(401, 404)},
        examples=[
            OpenApiExample("Waiting for the insurer", value=EXTENSION_PENDING),
            OpenApiExample("Granted", value=EXTENSION_GRANTED),
        ],
    )
    def retrieve(self, request, pk=None):
        return Response(ExtensionRequestSerializer(self.get_object()).data)

    @extend_schema(
        summary="Decide an extension request",
        description="Underwriters and administrators grant (`grant: true`: the invoice's due "
        "date moves to the one asked for, and with it the end of the extension period and "
        "every deadline after it) or refuse a waiting request, with the `reason` the insured "
        "reads. Deciding a decided request answers 409.",
        tags=TAGS,
        request=ExtensionDecideInputSerializer,
        responses={200: ExtensionRequestSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Grant",
                value={"grant": True, "reason": "Long-standing debtor."},
                request_only=True,
            ),
            OpenApiExample("Granted", value=EXTENSION_GRANTED, response_only=True),
            error_example(
                "Already decided",
                409,
                "transition_not_allowed",
                "This change is not allowed in the current status.",
                field="status",
            ),
        ],
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        extension = self.get_object()
        serializer = ExtensionDecideInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.invoice_extension_decide(
            actor=request.user, request_id=extension.pk, **serializer.validated_data
        )
        return Response(ExtensionRequestSerializer(self.get_object()).data)
