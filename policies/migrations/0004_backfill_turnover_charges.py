"""Every declaration made before charges existed becomes its turnover-premium charge, on the
premium invoice that was issued for it. (Limit fees of earlier decisions are the limits
app's to record, through policies.services.policy_charge_record.)"""

from django.db import migrations


def backfill(apps, schema_editor):
    TurnoverDeclaration = apps.get_model("policies", "TurnoverDeclaration")
    PolicyCharge = apps.get_model("policies", "PolicyCharge")
    PolicyDocument = apps.get_model("policies", "PolicyDocument")
    invoices = dict(
        PolicyDocument.objects.filter(
            kind="premium_invoice", declaration__isnull=False
        ).values_list("declaration_id", "pk")
    )
    PolicyCharge.objects.bulk_create(
        [
            PolicyCharge(
                policy_id=d.policy_id,
                kind="turnover_premium",
                amount=d.premium,
                charged_on=d.declared_at.date(),
                period_start=d.period_start,
                period_end=d.period_end,
                reference=f"declaration:{d.pk}",
                declaration_id=d.pk,
                invoice_id=invoices.get(d.pk),
                created_by_id=d.declared_by_id,
            )
            for d in TurnoverDeclaration.objects.exclude(
                charges__kind="turnover_premium"
            ).iterator()
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("policies", "0003_policy_charges_and_money_rules")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
