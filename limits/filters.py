"""Query filters of the limits API: the fields a user searches by. They narrow a queryset the
selectors have already scoped to the user, so they can never widen what it sees."""

from django_filters import rest_framework as filters

from .models import (
    DecisionLetter,
    LetterKind,
    LetterStatus,
    Limit,
    LimitKind,
    LimitRequest,
    RequestKind,
    RequestStatus,
)


class LimitRequestFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=RequestStatus.choices)
    policy = filters.NumberFilter(field_name="policy__id", help_text="The policy id.")
    debtor = filters.NumberFilter(field_name="debtor__id", help_text="The debtor id.")
    kind = filters.ChoiceFilter(choices=RequestKind.choices)
    submitted_at = filters.DateFromToRangeFilter(
        help_text="`submitted_at_after` / `submitted_at_before` (dates), both inclusive."
    )

    class Meta:
        model = LimitRequest
        fields = ("status", "policy", "debtor", "kind", "submitted_at")


class LimitFilter(filters.FilterSet):
    """Filters on a queryset annotated by selectors.limits_as_of (`amount`, `limit_kind` on
    the `as_of` date)."""

    policy = filters.NumberFilter(field_name="policy__id", help_text="The policy id.")
    debtor = filters.NumberFilter(field_name="debtor__id", help_text="The debtor id.")
    kind = filters.ChoiceFilter(
        field_name="limit_kind",
        choices=LimitKind.choices,
        help_text="`named` or `dcl`, on the `as_of` date.",
    )
    in_force = filters.BooleanFilter(
        method="filter_in_force",
        help_text="`true`: an amount above 0 on the `as_of` date; `false`: none in force.",
    )

    class Meta:
        model = Limit
        fields = ("policy", "debtor", "kind", "in_force")

    def filter_in_force(self, queryset, name, value: bool):
        return queryset.filter(amount__gt=0) if value else queryset.filter(amount__lte=0)


class LetterFilter(filters.FilterSet):
    policy = filters.NumberFilter(field_name="policy__id", help_text="The policy id.")
    request = filters.NumberFilter(field_name="request__id", help_text="The limit request id.")
    # Not `limit`: that is the page size of the API's pagination.
    limit_id = filters.NumberFilter(field_name="limit__id", help_text="The limit id.")
    kind = filters.ChoiceFilter(choices=LetterKind.choices)
    status = filters.ChoiceFilter(choices=LetterStatus.choices)

    class Meta:
        model = DecisionLetter
        fields = ("policy", "request", "limit_id", "kind", "status")
