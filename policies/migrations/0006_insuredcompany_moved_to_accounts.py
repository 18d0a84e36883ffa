"""The insured company now lives in `accounts` (see accounts.0003): the policy's foreign keys
point at `accounts.InsuredCompany` and the old models leave policies' state. Nothing changes
in the database: the tables, their rows and the constraints stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0005_whole_history_reasons"),
        ("accounts", "0003_insuredcompany"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="policy",
                    name="insured",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="policies",
                        to="accounts.insuredcompany",
                        verbose_name="insured company",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalpolicy",
                    name="insured",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="accounts.insuredcompany",
                        verbose_name="insured company",
                    ),
                ),
                migrations.DeleteModel(name="HistoricalInsuredCompany"),
                migrations.DeleteModel(name="InsuredCompany"),
            ],
        ),
    ]
