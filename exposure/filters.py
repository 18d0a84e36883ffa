"""Query filters of the exposure API: the fields a user searches by. They narrow a queryset
the selectors have already scoped to the user, so they can never widen what it sees."""

from django.utils import timezone
from django_filters import rest_framework as filters

from .models import CreditNote, ExtensionRequest, ExtensionStatus, Invoice, Payment


class InvoiceFilter(filters.FilterSet):
    policy = filters.NumberFilter(field_name="policy__id", help_text="The policy id.")
    debtor = filters.NumberFilter(field_name="debtor__id", help_text="The debtor id.")
    number = filters.CharFilter(max_length=60, help_text="Your invoice number, exactly.")
    open = filters.BooleanFilter(
        method="filter_open", help_text="`true`: something is unpaid; `false`: paid."
    )
    disputed = filters.BooleanFilter(
        method="filter_disputed", help_text="`true`: the debtor disputes it now."
    )
    overdue = filters.BooleanFilter(
        method="filter_overdue",
        help_text="`true`: unpaid after its (extended) due date, today; `false`: paid or not "
        "yet due.",
    )
    due_date = filters.DateFromToRangeFilter(
        help_text="`due_date_after` / `due_date_before` (the due date now), both inclusive."
    )

    class Meta:
        model = Invoice
        fields = ("policy", "debtor", "number", "open", "disputed", "overdue", "due_date")

    def filter_open(self, queryset, name, value: bool):
        return queryset.filter(open_amount__gt=0) if value else queryset.filter(open_amount=0)

    def filter_disputed(self, queryset, name, value: bool):
        return queryset.filter(disputed_since__isnull=not value)

    def filter_overdue(self, queryset, name, value: bool):
        overdue = {"open_amount__gt": 0, "due_date__lt": timezone.localdate()}
        return queryset.filter(**overdue) if value else queryset.exclude(**overdue)


class ExtensionRequestFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ExtensionStatus.choices)
    invoice = filters.NumberFilter(field_name="invoice__id", help_text="The invoice id.")
    policy = filters.NumberFilter(field_name="invoice__policy__id", help_text="The policy id.")
    debtor = filters.NumberFilter(field_name="invoice__debtor__id", help_text="The debtor id.")

    class Meta:
        model = ExtensionRequest
        fields = ("status", "invoice", "policy", "debtor")


class PaymentFilter(filters.FilterSet):
    policy = filters.NumberFilter(field_name="policy__id", help_text="The policy id.")
    debtor = filters.NumberFilter(field_name="debtor__id", help_text="The debtor id.")
    received_on = filters.DateFromToRangeFilter(
        help_text="`received_on_after` / `received_on_before`, both inclusive."
    )

    class Meta:
        model = Payment
        fields = ("policy", "debtor", "received_on")


class CreditNoteFilter(filters.FilterSet):
    invoice = filters.NumberFilter(field_name="invoice__id", help_text="The invoice id.")
    policy = filters.NumberFilter(field_name="invoice__policy__id", help_text="The policy id.")
    debtor = filters.NumberFilter(field_name="invoice__debtor__id", help_text="The debtor id.")
    issued_on = filters.DateFromToRangeFilter(
        help_text="`issued_on_after` / `issued_on_before`, both inclusive."
    )

    class Meta:
        model = CreditNote
        fields = ("invoice", "policy", "debtor", "issued_on")
