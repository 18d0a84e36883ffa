"""A collections case as the API shows it: the overdue notification, the steps staff
recorded, and the plan (claims.services.collections.case_plan): every step done or to come,
who takes it and when, and the next action."""

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import FieldsBuiltOnce
from exposure.models import OverdueNotification
from exposure.serializers.common import day_input
from limits.serializers import DebtorBriefSerializer, amount_input
from policies.serializers import money_field

from ..models import CollectionStep, StepKind
from ..services.collections import case_plan
from .inputs import text_input
from .state import person

STEP_KINDS = ", ".join(f"`{value}`" for value in StepKind.values)


class CollectionStepSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=STEP_KINDS)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    fee = money_field(help_text=gettext_lazy("A collection demand's fee; 0 for the others."))
    pay_by = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("A collection demand: the day the debtor must pay by."),
    )
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = CollectionStep
        fields = (
            "id",
            "kind",
            "kind_label",
            "done_on",
            "fee",
            "pay_by",
            "note",
            "recorded_at",
            "recorded_by",
        )
        read_only_fields = fields

    def get_recorded_by(self, step: CollectionStep) -> str | None:
        return person(step.recorded_by, self.context)


class PlanStepSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=gettext_lazy(
            "A step (`reminder`, `demand`, `enforcement`, `objection`, `court`, "
            "`court_decision`) or what the debtor or the authority does (`pay`, `object`, "
            "`order`)."
        )
    )
    label = serializers.CharField()
    who = serializers.CharField(
        help_text=gettext_lazy("Who takes it: `insurer`, `insured`, `debtor`, `court`.")
    )
    who_label = serializers.CharField()
    done = serializers.BooleanField()
    done_on = serializers.DateField(allow_null=True)
    due_from = serializers.DateField(allow_null=True, help_text=gettext_lazy("Not before."))
    due_by = serializers.DateField(allow_null=True, help_text=gettext_lazy("At the latest."))


class CollectionCaseSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """An overdue notification as a collections case. Reads `today` from its context."""

    notification = serializers.IntegerField(source="pk", read_only=True)
    policy_number = serializers.CharField(source="policy.number", read_only=True)
    debtor = DebtorBriefSerializer(read_only=True)
    currency = serializers.CharField(source="policy.currency", read_only=True)
    overdue_amount = money_field(
        help_text=gettext_lazy("Unpaid past its due date on the day of notification.")
    )
    disputed = serializers.BooleanField(
        read_only=True, help_text=gettext_lazy("The debt is disputed.")
    )
    open = serializers.SerializerMethodField()
    steps = CollectionStepSerializer(source="collection_steps", many=True, read_only=True)
    plan = serializers.SerializerMethodField(
        help_text=gettext_lazy("Every step in order, done or to come.")
    )
    next_action = serializers.SerializerMethodField(
        help_text=gettext_lazy("The first step not yet done; null when none is left.")
    )

    class Meta:
        model = OverdueNotification
        fields = (
            "id",
            "notification",
            "policy",
            "policy_number",
            "debtor",
            "currency",
            "notified_on",
            "overdue_amount",
            "disputed",
            "open",
            "closed_on",
            "steps",
            "plan",
            "next_action",
        )
        read_only_fields = fields

    def get_open(self, notice: OverdueNotification) -> bool:
        return notice.closed_on is None

    def _plan(self, notice: OverdueNotification):
        cache = self.context.setdefault("_plans", {})
        if notice.pk not in cache:
            today = self.context.get("today") or timezone.localdate()
            cache[notice.pk] = case_plan(notice, today=today)
        return cache[notice.pk]

    @staticmethod
    def _step(step) -> dict:
        return {
            "code": str(step.code),
            "label": step.label,
            "who": step.who,
            "who_label": step.who_label,
            "done": step.done,
            "done_on": step.done_on,
            "due_from": step.due_from,
            "due_by": step.due_by,
        }

    @extend_schema_field(PlanStepSerializer(many=True))
    def get_plan(self, notice: OverdueNotification) -> list[dict]:
        steps = [self._step(s) for s in self._plan(notice).steps]
        return PlanStepSerializer(steps, many=True).data

    @extend_schema_field(PlanStepSerializer(allow_null=True))
    def get_next_action(self, notice: OverdueNotification) -> dict | None:
        step = self._plan(notice).next
        if step is None or notice.closed_on is not None:
            return None
        return PlanStepSerializer(self._step(step)).data


class CollectionStepInputSerializer(serializers.Serializer):
    # A string, not an enum (see ClaimDocumentInputSerializer.kind): the service refuses a
    # step it does not know, naming the field.
    kind = serializers.CharField(
        max_length=20,
        help_text=format_lazy("{} {}", gettext_lazy("The step taken:"), STEP_KINDS),
    )
    done_on = day_input(
        help_text=gettext_lazy("The day it was taken; not before the notification nor in future.")
    )
    note = text_input(gettext_lazy("What was done, what the debtor said."))
    fee = amount_input(
        required=False,
        help_text=gettext_lazy(
            "A collection demand's fee, as a string; default the country's statutory fee."
        ),
    )
