"""Decision letters: list, read, download the PDF."""

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api_views import ScopedViewSet, error_example, errors

from .. import selectors
from ..exceptions import LetterNotReady
from ..filters import LetterFilter
from ..models import DecisionLetter, LetterStatus
from ..serializers import LetterSerializer
from .examples import LETTER

TAGS = ["letters"]


class LetterViewSet(ScopedViewSet):
    """Letters of limit decisions and reductions (approval, partial approval, refusal,
    reduction) as PDFs, in the insured's language."""

    queryset = DecisionLetter.objects.none()
    serializer_class = LetterSerializer
    filterset_class = LetterFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]

    def scoped_queryset(self):
        return selectors.letters_for(self.request.user)

    def perform_content_negotiation(self, request, force=False):
        # The download answers a PDF whatever the client's `Accept` says, and its errors
        # (not found, not ready) are JSON rather than a 406.
        force = force or self.action == "download"
        return super().perform_content_negotiation(request, force=force)

    @extend_schema(
        summary="List decision letters",
        description="The letters you may see; an insured user sees its company's ready ones. "
        "Filter by `policy`, `request`, `limit_id`, `kind` or `status`.",
        tags=TAGS,
        responses={200: LetterSerializer(many=True), **errors(400, 401)},
        examples=[OpenApiExample("An approval letter", value=LETTER)],
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context()
        return self.get_paginated_response(LetterSerializer(page, many=True, context=context).data)

    @extend_schema(
        summary="Read a decision letter",
        tags=TAGS,
        responses={200: LetterSerializer, **errors(401, 404)},
        examples=[OpenApiExample("An approval letter", value=LETTER)],
    )
    def retrieve(self, request, pk=None):
        context = self.get_serializer_context()
        return Response(LetterSerializer(self.get_object(), context=context).data)

    @extend_schema(
        summary="Download a decision letter",
        description="The PDF as an attachment once the letter is `ready`; 409 "
        "`letter_not_ready` while it is being prepared or if it failed.",
        tags=TAGS,
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, "The PDF."),
            **errors(401, 404, 409),
        },
        examples=[
            error_example(
                "Not ready", 409, "letter_not_ready", "This letter is still being prepared."
            )
        ],
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        letter = self.get_object()
        if letter.status != LetterStatus.READY or not letter.file:
            message = (
                _("The letter could not be prepared.")
                if letter.status == LetterStatus.FAILED
                else None
            )
            raise LetterNotReady(message, status=letter.status)
        return FileResponse(
            letter.file.open("rb"),
            as_attachment=True,
            filename=letter.filename,
            content_type="application/pdf",
        )
