"""The bench-only URL conf: the app's URLs plus a bare DRF single-row lookup, the bare-stack
figure an API call is judged against in the same run, with the same client, authentication,
permissions and throttling (the project's DRF defaults)."""

from django.urls import path
from rest_framework import generics, serializers

from config.urls import urlpatterns as app_urlpatterns
from debtors.models import Debtor

BARE_LOOKUP = "/bench/bare-debtor/{pk}/"


class BareDebtorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Debtor
        fields = ("id", "country", "registration_number", "name")


class BareDebtorLookup(generics.RetrieveAPIView):
    queryset = Debtor.objects.all()
    serializer_class = BareDebtorSerializer


urlpatterns = [
    path("bench/bare-debtor/<int:pk>/", BareDebtorLookup.as_view()),
    *app_urlpatterns,
]
