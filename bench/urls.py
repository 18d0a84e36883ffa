"""The bench-only URL conf: the app's URLs plus a bare DRF single-row lookup and a bare DRF list
of 50 claims, the bare-stack figures an API call or page is judged against in the same run,
with the same client, authentication, permissions, throttling and pagination (the project's
DRF defaults)."""

from django.urls import path
from rest_framework import generics, serializers

from claims.models import Claim
from config.urls import urlpatterns as app_urlpatterns
from debtors.models import Debtor

BARE_LOOKUP = "/bench/bare-debtor/{pk}/"
BARE_CLAIMS = "/bench/bare-claims/?limit=50"


class BareDebtorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Debtor
        fields = ("id", "country", "registration_number", "name")


class BareDebtorLookup(generics.RetrieveAPIView):
    queryset = Debtor.objects.all()
    serializer_class = BareDebtorSerializer


class BareClaimSerializer(serializers.ModelSerializer):
    class Meta:
        model = Claim
        fields = ("id", "number", "status", "filed_on", "claimed_amount")


class BareClaimList(generics.ListAPIView):
    """A page of claims by their own columns: no joins, no scoping, no filters."""

    queryset = Claim.objects.order_by("-id")
    serializer_class = BareClaimSerializer
    filter_backends = []


urlpatterns = [
    path("bench/bare-debtor/<int:pk>/", BareDebtorLookup.as_view()),
    path("bench/bare-claims/", BareClaimList.as_view()),
    *app_urlpatterns,
]
