"""Policy documents: list, read, download the PDF."""

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api_views import ScopedViewSet, error_example, errors

from .. import selectors
from ..exceptions import DocumentNotReady
from ..filters import DocumentFilter
from ..models import DocumentStatus, PolicyDocument
from ..serializers import (
    DocumentSerializer,
)
from .policies import POLICY_DETAIL_EXAMPLE

DOCUMENT_EXAMPLE = POLICY_DETAIL_EXAMPLE["documents"][0]


class DocumentViewSet(ScopedViewSet):
    """Policy documents (schedule, endorsements, premium invoices) as PDFs."""

    queryset = PolicyDocument.objects.none()
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    ordering_fields = ["created_at", "version"]

    def scoped_queryset(self):
        return selectors.documents_for(self.request.user)

    def perform_content_negotiation(self, request, force=False):
        # The download answers a PDF whatever the client's `Accept` says, and its errors
        # (not found, not ready) are JSON rather than a 406.
        force = force or self.action == "download"
        return super().perform_content_negotiation(request, force=force)

    @extend_schema(
        summary="List policy documents",
        description="The documents you may see; an insured user sees its company's ready ones.",
        tags=["documents"],
        responses={200: DocumentSerializer(many=True), **errors(400, 401)},
        examples=[OpenApiExample("A policy schedule", value=DOCUMENT_EXAMPLE)],
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context()
        return self.get_paginated_response(
            DocumentSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        summary="Read a policy document",
        tags=["documents"],
        responses={200: DocumentSerializer, **errors(401, 404)},
        examples=[OpenApiExample("A policy schedule", value=DOCUMENT_EXAMPLE)],
    )
    def retrieve(self, request, pk=None):
        return Response(
            DocumentSerializer(self.get_object(), context=self.get_serializer_context()).data
        )

    @extend_schema(
        summary="Download a policy document",
        description="The PDF as an attachment once the document is `ready`; 409 "
        "`document_not_ready` while it is being prepared or if it failed.",
        tags=["documents"],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, "The PDF."),
            **errors(401, 404, 409),
        },
        examples=[
            error_example(
                "Not ready",
                409,
                "document_not_ready",
                "The document is still being prepared.",
            )
        ],
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        document = self.get_object()
        if document.status != DocumentStatus.READY or not document.file:
            message = (
                _("The document could not be prepared.")
                if document.status == DocumentStatus.FAILED
                else _("The document is still being prepared.")
            )
            raise DocumentNotReady(message, status=document.status)
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.filename,
            content_type="application/pdf",
        )
