"""Query filters of the debtor API: the fields a user finds a debtor by."""

from django_filters import rest_framework as filters

from . import selectors
from .models import Debtor


class DebtorFilter(filters.FilterSet):
    search = filters.CharFilter(
        method="filter_search",
        help_text="Part of the name or of the registration number, in any usual spelling "
        "(`5566778907` finds `556677-8907`).",
    )
    country = filters.CharFilter(
        field_name="country", lookup_expr="iexact", help_text="ISO 3166 code, e.g. SE."
    )

    class Meta:
        model = Debtor
        fields = ("search", "country")

    def filter_search(self, queryset, name, value: str):
        return selectors.debtor_search(queryset, value)
