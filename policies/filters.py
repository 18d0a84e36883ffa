"""Query filters of the policy API: the fields a user searches by. They narrow a queryset the
selectors have already scoped to the user, so they can never widen what it sees."""

from django.db.models import F, Q
from django_filters import rest_framework as filters

from . import selectors
from .models import DocumentKind, Policy, PolicyDocument, PolicyStatus, TurnoverDeclaration


class PolicyFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=PolicyStatus.choices)
    currency = filters.CharFilter(lookup_expr="iexact", help_text="ISO 4217 code, e.g. SEK.")
    insured = filters.NumberFilter(field_name="insured__id", help_text="The insured company's id.")
    start_date = filters.DateFromToRangeFilter(
        help_text="`start_date_after` / `start_date_before`, both inclusive."
    )
    q = filters.CharFilter(
        method="search", help_text="Part of the policy number or the insured's name."
    )

    class Meta:
        model = Policy
        fields = ("status", "currency", "insured", "start_date", "q")

    def search(self, queryset, name, value: str):
        return selectors.policy_search(queryset, q=value.strip())


class DeclarationFilter(filters.FilterSet):
    policy = filters.NumberFilter(field_name="policy__id", help_text="The policy id.")
    period_start = filters.DateFromToRangeFilter(
        help_text="`period_start_after` / `period_start_before`, both inclusive."
    )
    late = filters.BooleanFilter(
        method="filter_late", help_text="`true`: declared after the due date; `false`: on time."
    )

    class Meta:
        model = TurnoverDeclaration
        fields = ("policy", "period_start", "late")

    def filter_late(self, queryset, name, value: bool):
        # The calendar day of the declaration in the site's time zone, as DOMAIN.md counts days.
        late = Q(declared_at__date__gt=F("due_date"))
        return queryset.filter(late) if value else queryset.exclude(late)


class DocumentFilter(filters.FilterSet):
    policy = filters.NumberFilter(field_name="policy__id", help_text="The policy id.")
    kind = filters.ChoiceFilter(choices=DocumentKind.choices)

    class Meta:
        model = PolicyDocument
        fields = ("policy", "kind")
