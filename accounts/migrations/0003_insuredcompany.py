"""The insured company moves from `policies` to `accounts` (the tenant belongs with who you are).

No row is copied: the model keeps its tables (`policies_insuredcompany` and
`policies_historicalinsuredcompany`), so this migration creates the models in Django's state
only and points `User.company` at them, again in state only. `policies.0006` then drops the
old models from its state. The content types (and with them the permissions and admin log
entries that refer to them) are relabelled from policies to accounts.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MOVED_MODELS = ("insuredcompany", "historicalinsuredcompany")


def _relabel_content_types(apps, *, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED_MODELS:
        if content_type.objects.filter(app_label=new, model=model).exists():
            continue  # already there (created by a post_migrate in between): keep it
        content_type.objects.filter(app_label=old, model=model).update(app_label=new)


def content_types_to_accounts(apps, schema_editor):
    _relabel_content_types(apps, old="policies", new="accounts")


def content_types_to_policies(apps, schema_editor):
    _relabel_content_types(apps, old="accounts", new="policies")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        # The tables exist, in their latest shape, before accounts takes them over.
        ("policies", "0005_whole_history_reasons"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="InsuredCompany",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        (
                            "country",
                            models.CharField(
                                help_text="ISO 3166 code, e.g. SE",
                                max_length=2,
                                verbose_name="country",
                            ),
                        ),
                        (
                            "registration_number",
                            models.CharField(max_length=40, verbose_name="registration number"),
                        ),
                        (
                            "vat_number",
                            models.CharField(blank=True, max_length=40, verbose_name="VAT number"),
                        ),
                        ("address", models.TextField(blank=True, verbose_name="address")),
                        (
                            "email",
                            models.EmailField(blank=True, max_length=254, verbose_name="email"),
                        ),
                        (
                            "language",
                            models.CharField(
                                choices=[("en", "English"), ("sv", "Svenska"), ("nl", "Nederlands")],
                                default="en",
                                max_length=8,
                                verbose_name="document language",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "verbose_name": "insured company",
                        "verbose_name_plural": "insured companies",
                        "db_table": "policies_insuredcompany",
                        "ordering": ["name"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("country", "registration_number"),
                                name="insured_company_unique_registration",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalInsuredCompany",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        (
                            "country",
                            models.CharField(
                                help_text="ISO 3166 code, e.g. SE",
                                max_length=2,
                                verbose_name="country",
                            ),
                        ),
                        (
                            "registration_number",
                            models.CharField(max_length=40, verbose_name="registration number"),
                        ),
                        (
                            "vat_number",
                            models.CharField(blank=True, max_length=40, verbose_name="VAT number"),
                        ),
                        ("address", models.TextField(blank=True, verbose_name="address")),
                        (
                            "email",
                            models.EmailField(blank=True, max_length=254, verbose_name="email"),
                        ),
                        (
                            "language",
                            models.CharField(
                                choices=[("en", "English"), ("sv", "Svenska"), ("nl", "Nederlands")],
                                default="en",
                                max_length=8,
                                verbose_name="document language",
                            ),
                        ),
                        ("created_at", models.DateTimeField(blank=True, editable=False)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.TextField(null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical insured company",
                        "verbose_name_plural": "historical insured companies",
                        "db_table": "policies_historicalinsuredcompany",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AlterField(
                    model_name="user",
                    name="company",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="users",
                        to="accounts.insuredcompany",
                        verbose_name="insured company",
                    ),
                ),
            ],
        ),
        migrations.RunPython(content_types_to_accounts, content_types_to_policies),
    ]
