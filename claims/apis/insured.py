"""The insured's actions on its claim: add a document (multipart), say the documents asked
for are there, withdraw the claim."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.access import CLAIMS, INSURED
from core.api_views import error_example, errors

from ..serializers import (
    ClaimDetailSerializer,
    ClaimDocumentInputSerializer,
    ClaimDocumentSerializer,
    ClaimDocumentsSentInputSerializer,
    ClaimWithdrawInputSerializer,
)
from ..services.claims import claim_document_add, claim_documents_sent, claim_withdraw
from .examples import CLAIM_DETAIL, DOCUMENT, NOT_ALLOWED_NOW

TAGS = ["claims"]


class InsuredActions:
    roles = {
        "documents": (*INSURED, *CLAIMS),
        "documents_sent": INSURED,
        "withdraw": INSURED,
    }

    @extend_schema(
        summary="Add a document to a claim",
        description="Insured users on their company's open claims (claims handlers too), as "
        "`multipart/form-data`: `kind` (which document of the checklist it is), `file` (PDF, "
        "PNG, JPEG, CSV, TXT, XLSX or DOCX, at most 10 MB) and an optional `note`. A closed "
        "claim answers 409.",
        tags=TAGS,
        request={"multipart/form-data": ClaimDocumentInputSerializer},
        responses={201: ClaimDocumentSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample("Added", value=DOCUMENT, response_only=True, status_codes=["201"]),
            error_example(
                "Not a file type a claim takes",
                400,
                "file_type",
                "Send a PDF, an image (PNG, JPEG), a spreadsheet or a text file; not invoices.zip.",
                field="file",
            ),
        ],
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def documents(self, request, pk=None):
        claim = self.get_object()
        serializer = ClaimDocumentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        document = claim_document_add(
            actor=request.user,
            claim_id=claim.pk,
            kind=data["kind"],
            upload=data["file"],
            note=data["note"],
        )
        return Response(ClaimDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Say the documents asked for are on the claim",
        description="Insured users, on a claim waiting for documents: it goes back to the "
        "claims handler's assessment. Another status answers 409.",
        tags=TAGS,
        request=ClaimDocumentsSentInputSerializer,
        responses={200: ClaimDetailSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Sent",
                value={"note": "The account statement and the delivery notes are on the claim."},
                request_only=True,
            ),
            OpenApiExample(
                "Assessed again",
                value={**CLAIM_DETAIL, "status": "assessment", "status_label": "Under assessment"},
                response_only=True,
            ),
            NOT_ALLOWED_NOW,
        ],
    )
    @action(detail=True, methods=["post"], url_path="documents-sent")
    def documents_sent(self, request, pk=None):
        claim = self.get_object()
        serializer = ClaimDocumentsSentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim_documents_sent(
            actor=request.user, claim_id=claim.pk, note=serializer.validated_data["note"]
        )
        return self.detail_response(claim.pk)

    @extend_schema(
        summary="Withdraw a claim",
        description="Insured users, before the claim is decided, with the `reason`. A "
        "decided claim answers 409.",
        tags=TAGS,
        request=ClaimWithdrawInputSerializer,
        responses={200: ClaimDetailSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Withdrawn",
                value={"reason": "The debtor paid in full."},
                request_only=True,
            ),
            OpenApiExample(
                "Withdrawn",
                value={
                    **CLAIM_DETAIL,
                    "status": "withdrawn",
                    "status_label": "Withdrawn",
                    "open": False,
                    "reasons": [
                        {"code": "withdrawn", "message": "The debtor paid in full.", "values": {}}
                    ],
                },
                response_only=True,
            ),
            NOT_ALLOWED_NOW,
        ],
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        claim = self.get_object()
        serializer = ClaimWithdrawInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim_withdraw(
            actor=request.user, claim_id=claim.pk, reason=serializer.validated_data["reason"]
        )
        return self.detail_response(claim.pk)
