"""Limit fees of decisions made before fees were charged rows: one limit-fee charge per
decided named-limit request (not a discretionary limit), on the policy's next invoice."""

from django.db import migrations
from django.utils import timezone

DECIDED = ("approved", "partly_approved", "refused")


def charge_past_decisions(apps, schema_editor):
    LimitRequest = apps.get_model("limits", "LimitRequest")
    PolicyCharge = apps.get_model("policies", "PolicyCharge")
    charged = set(
        PolicyCharge.objects.filter(kind="limit_fee").values_list("reference", flat=True)
    )
    decided = LimitRequest.objects.filter(status__in=DECIDED, is_dcl=False).select_related(
        "policy", "debtor"
    )
    rows = []
    for request in decided.iterator():
        reference = f"limit-request:{request.pk}"
        if reference in charged:
            continue
        day = timezone.localdate(request.decided_at or request.submitted_at)
        rows.append(
            PolicyCharge(
                policy=request.policy,
                kind="limit_fee",
                amount=request.policy.limit_fee,
                charged_on=day,
                period_start=day,
                period_end=day,
                description=request.debtor.name[:500],
                reference=reference,
                created_by=request.decided_by,
            )
        )
    PolicyCharge.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("limits", "0004_whole_history_reasons"),
        ("policies", "0005_whole_history_reasons"),
    ]

    operations = [migrations.RunPython(charge_past_decisions, migrations.RunPython.noop)]
