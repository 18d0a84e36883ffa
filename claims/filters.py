"""Query filters of the claims API: the fields a user searches claims and collections cases
by. They narrow a queryset the selectors have already scoped to the user, so they can never
widen what it sees."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from exposure.models import OverdueNotification

from .models import OPEN_STATUSES, Cause, Claim, ClaimStatus


class ClaimFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ClaimStatus.choices)
    open = filters.BooleanFilter(
        method="filter_open",
        help_text=_("`true`: filed and not yet paid, refused or withdrawn; `false`: the others."),
    )
    cause = filters.ChoiceFilter(choices=Cause.choices)
    policy = filters.NumberFilter(field_name="policy__id", help_text=_("The policy id."))
    policy_number = filters.CharFilter(
        field_name="policy__number", max_length=40, help_text=_("The policy number, exactly.")
    )
    debtor = filters.NumberFilter(field_name="debtor__id", help_text=_("The debtor id."))
    debtor_registration_number = filters.CharFilter(
        field_name="debtor__registration_number",
        max_length=40,
        help_text=_("The debtor's registration number as the register stores it."),
    )
    debtor_name = filters.CharFilter(
        field_name="debtor__name",
        lookup_expr="icontains",
        max_length=200,
        help_text=_("A part of the debtor's name, in any case."),
    )
    filed_on = filters.DateFromToRangeFilter(
        help_text=_("`filed_on_after` / `filed_on_before`, both inclusive.")
    )

    class Meta:
        model = Claim
        fields = (
            "status",
            "open",
            "cause",
            "policy",
            "policy_number",
            "debtor",
            "debtor_registration_number",
            "debtor_name",
            "filed_on",
        )

    def filter_open(self, queryset, name, value: bool):
        statuses = [s.value for s in OPEN_STATUSES]
        if value:
            return queryset.filter(status__in=statuses)
        return queryset.exclude(status__in=statuses)


class CollectionCaseFilter(filters.FilterSet):
    open = filters.BooleanFilter(
        method="filter_open", help_text=_("`true`: cases still open; `false`: closed ones.")
    )
    policy = filters.NumberFilter(field_name="policy__id", help_text=_("The policy id."))
    debtor = filters.NumberFilter(field_name="debtor__id", help_text=_("The debtor id."))
    notified_on = filters.DateFromToRangeFilter(
        help_text=_("`notified_on_after` / `notified_on_before`, both inclusive.")
    )

    class Meta:
        model = OverdueNotification
        fields = ("open", "policy", "debtor", "notified_on")

    def filter_open(self, queryset, name, value: bool):
        return queryset.filter(closed_on__isnull=value)
