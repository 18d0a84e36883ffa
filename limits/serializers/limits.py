"""Limits in force on a date, their changes, and reductions."""

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.text import plain_multiline_text
from policies.serializers import money_field

from ..models import ChangeKind, Limit, LimitChange, LimitKind
from .common import DebtorBriefSerializer, amount_input


class LimitChangeSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ChangeKind.choices, read_only=True)
    limit_kind = serializers.ChoiceField(choices=LimitKind.choices, read_only=True)
    by = serializers.SerializerMethodField(
        help_text=gettext_lazy("`automatic`, or the username of who made the change.")
    )

    class Meta:
        model = LimitChange
        fields = (
            "id",
            "kind",
            "limit_kind",
            "amount",
            "effective_from",
            "expires_on",
            "max_terms_days",
            "request",
            "reason",
            "recorded_at",
            "by",
        )
        read_only_fields = fields

    def get_by(self, change: LimitChange) -> str:
        return change.recorded_by.username if change.recorded_by_id else "automatic"


class LimitSerializer(serializers.ModelSerializer):
    """A limit as it stood on `as_of` (selectors.limits_as_of). Needs `as_of` in its context."""

    policy_number = serializers.CharField(source="policy.number", read_only=True)
    debtor = DebtorBriefSerializer(read_only=True)
    currency = serializers.CharField(source="policy.currency", read_only=True)
    amount = money_field(help_text=gettext_lazy("The limit on `as_of`; 0 when none was in force."))
    limit_kind = serializers.ChoiceField(
        choices=LimitKind.choices,
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("`named` (decided by the insurer) or `dcl` (discretionary)."),
    )
    effective_from = serializers.DateField(
        read_only=True, allow_null=True, help_text=gettext_lazy("Since when this amount holds.")
    )
    expires_on = serializers.DateField(read_only=True, allow_null=True)
    max_terms_days = serializers.IntegerField(read_only=True, allow_null=True)
    under_review = serializers.SerializerMethodField(
        help_text=gettext_lazy("A risk event put the limit up for an underwriter's review.")
    )
    as_of = serializers.SerializerMethodField()

    class Meta:
        model = Limit
        fields = (
            "id",
            "policy",
            "policy_number",
            "debtor",
            "currency",
            "amount",
            "limit_kind",
            "effective_from",
            "expires_on",
            "max_terms_days",
            "under_review",
            "as_of",
        )
        read_only_fields = fields

    def get_under_review(self, limit: Limit) -> bool:
        return limit.review_requested_at is not None

    @extend_schema_field(OpenApiTypes.DATE)
    def get_as_of(self, limit: Limit) -> str:
        return self.context["as_of"].isoformat()


class LimitDetailSerializer(LimitSerializer):
    history = serializers.SerializerMethodField()

    class Meta(LimitSerializer.Meta):
        fields = (*LimitSerializer.Meta.fields, "history")
        read_only_fields = fields

    @extend_schema_field(LimitChangeSerializer(many=True))
    def get_history(self, limit: Limit) -> list[dict]:
        """Every change, oldest first: amounts, effective dates, why and by whom."""
        changes = limit.changes.select_related("recorded_by").order_by("effective_from", "id")
        return LimitChangeSerializer(changes, many=True).data


class LimitReductionSerializer(serializers.Serializer):
    """A reduction: the change written, and the limit as it stands today."""

    change = LimitChangeSerializer()
    limit = LimitSerializer()


class LimitReduceInputSerializer(serializers.Serializer):
    amount = amount_input(
        help_text=gettext_lazy('The new, lower amount as a string; "0" cancels the limit.')
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        default="",
        validators=[plain_multiline_text],
    )


class AsOfSerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False)
