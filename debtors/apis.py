"""The debtor register API: find, read and register debtors; refresh one from the
information provider."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import EVERYONE, UNDERWRITING
from core.api_views import ScopedViewSet, error_example, errors
from core.exceptions import Conflict

from . import services
from .filters import DebtorFilter
from .models import Debtor
from .providers import configured_provider
from .selectors import RiskAccess
from .serializers import DebtorCreateInputSerializer, DebtorDetailSerializer, DebtorSerializer

TAGS = ["debtors"]
DEBTOR = {
    "id": 88,
    "country": "SE",
    "registration_number": "556677-8907",
    "name": "Byggvaror i Norr AB",
    "legal_form": "AB",
    "city": "Umeå",
}
REPORT = {
    "id": 410,
    "source": "import:reports-2026-03.csv",
    "as_of": "2026-03-31",
    "imported_at": "2026-04-01T06:00:12+02:00",
    "rating": 72,
    "payment_remarks": [],
    "debt_balance": "0.00",
    "debt_balance_history": [{"date": "2024-05-02", "amount": "8400.00"}],
    "payment_orders": [],
    "failed_distraints": [],
    "turnover": "48000000.00",
    "result": "2100000.00",
    "equity_ratio": "31.50",
    "employees": 42,
    "accounts_closed_on": "2025-12-31",
    "registered_on": "2004-09-15",
    "legal_form": "AB",
    "f_tax": True,
    "vat_registered": True,
    "employer_registered": True,
    "board_changed_on": None,
    "clean_audit": True,
}
DETAIL_VISIBLE = {
    **DEBTOR,
    "risk_visible": True,
    "insolvent_since": None,
    "latest_report": REPORT,
    "rating_band": {"code": "low", "label": "Low risk"},
}
DETAIL_HIDDEN = {
    **DEBTOR,
    "risk_visible": False,
    "insolvent_since": None,
    "latest_report": None,
    "rating_band": None,
}
BAD_CHECK_DIGIT = error_example(
    "Wrong check digit",
    400,
    "invalid_registration_number",
    "556677-8908 is not a valid Swedish organisation number: the check digit is wrong.",
    field="registration_number",
)
ALREADY_REGISTERED = OpenApiExample(
    "Already registered",
    value={
        "code": "debtor_exists",
        "message": "Byggvaror i Norr AB (SE 556677-8907) is already in the register.",
        "errors": [
            {
                "field": "registration_number",
                "code": "debtor_exists",
                "message": "Byggvaror i Norr AB (SE 556677-8907) is already in the register.",
                "values": {"debtor_id": 88},
            }
        ],
    },
    response_only=True,
    status_codes=["409"],
)


class ProviderUnavailable(Conflict):
    code = "provider_unavailable"


class DebtorViewSet(ScopedViewSet):
    """One register of debtors shared by all policies. Everyone finds and reads debtors'
    identity; risk data is shown to staff, and to an insured user on the debtors its company
    holds a limit on. Any user may register a debtor; underwriters refresh one from the
    information provider."""

    queryset = Debtor.objects.none()
    serializer_class = DebtorSerializer
    filterset_class = DebtorFilter
    ordering_fields = ["name", "country", "registration_number", "created_at"]
    ordering = ["name", "id"]
    write_roles = {"create": EVERYONE, "refresh": UNDERWRITING}
    access: RiskAccess  # who may see risk data: given by the URL conf (see with_access)

    @classmethod
    def with_access(cls, access: RiskAccess) -> type["DebtorViewSet"]:
        """This viewset with the rule of who may see risk data (a router takes a class)."""
        return type(cls.__name__, (cls,), {"access": access})

    def scoped_queryset(self):
        # The register's identity data is for every user (see selectors); risk data is
        # filtered per debtor in detail_response.
        return Debtor.objects.select_related("latest_report")

    def detail_response(self, debtor: Debtor, status_code=status.HTTP_200_OK) -> Response:
        visible = self.access.may_see(self.request.user, debtor)
        data = DebtorDetailSerializer(debtor, context={"risk_visible": visible}).data
        return Response(data, status=status_code)

    @extend_schema(
        summary="Find debtors",
        description="Every debtor in the register, by name unless `ordering` says otherwise "
        "(`name`, `country`, `registration_number`, `created_at`; `-` for descending). "
        "`search` matches part of the name or the number; `country` filters.",
        tags=TAGS,
        responses={200: DebtorSerializer(many=True), **errors(400, 401)},
        examples=[OpenApiExample("A debtor", value=DEBTOR)],
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(DebtorSerializer(page, many=True).data)

    @extend_schema(
        summary="Read a debtor",
        description="Identity for everyone. Staff, and insured users whose company holds a "
        "limit on the debtor, also get the latest credit report and its rating band "
        "(`risk_visible: true`); for others those fields are null.",
        tags=TAGS,
        responses={200: DebtorDetailSerializer, **errors(401, 404)},
        examples=[
            OpenApiExample("With risk data", value=DETAIL_VISIBLE),
            OpenApiExample("Identity only (no limit on it)", value=DETAIL_HIDDEN),
        ],
    )
    def retrieve(self, request, pk=None):
        return self.detail_response(self.get_object())

    @extend_schema(
        summary="Register a debtor",
        description="Adds a company to the register. The number is checked (check digits "
        "where it has them) and stored in its normal form. 400 names `registration_number` "
        "when it is not valid; 409 `debtor_exists` when the company is already registered, "
        "with its id in `errors[0].values.debtor_id`.",
        tags=TAGS,
        request=DebtorCreateInputSerializer,
        responses={201: DebtorDetailSerializer, **errors(400, 401, 409)},
        examples=[
            OpenApiExample(
                "A Swedish company",
                value={
                    "country": "SE",
                    "registration_number": "5566778907",
                    "name": "Byggvaror i Norr AB",
                    "legal_form": "AB",
                    "city": "Umeå",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Registered",
                value={**DETAIL_HIDDEN, "risk_visible": True},
                response_only=True,
                status_codes=["201"],
            ),
            BAD_CHECK_DIGIT,
            ALREADY_REGISTERED,
        ],
    )
    def create(self, request):
        serializer = DebtorCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        debtor = services.debtor_register(actor=request.user, **serializer.validated_data)
        return self.detail_response(debtor, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Refresh a debtor from the information provider",
        description="Underwriters and administrators. Fetches the debtor's data from the "
        "configured information provider and adds it as a credit report (source "
        "`provider:<name>`); a newer report may record risk events. 409 "
        "`provider_unavailable` when no provider is configured or it has nothing on the "
        "debtor.",
        tags=TAGS,
        request=None,
        responses={200: DebtorDetailSerializer, **errors(401, 403, 404, 409)},
        examples=[
            OpenApiExample("Refreshed", value=DETAIL_VISIBLE, response_only=True),
            error_example(
                "Nothing at the provider",
                409,
                "provider_unavailable",
                "The information provider has no data on this debtor.",
            ),
        ],
    )
    @action(detail=True, methods=["post"])
    def refresh(self, request, pk=None):
        debtor = self.get_object()
        if configured_provider() is None:
            raise ProviderUnavailable(_("No information provider is configured."))
        report = services.debtor_refresh(actor=request.user, debtor=debtor)
        if report is None:
            raise ProviderUnavailable(_("The information provider has no data on this debtor."))
        debtor.refresh_from_db()
        return self.detail_response(debtor)
