from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from debtors.models import CreditReport, Debtor
from limits.models import DecisionTemplate, TemplateRule

_SE_NUMBERS = ["556677-8907", "559012-3450", "556123-4567", "556036-0793", "556000-0005"]


class DebtorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Debtor

    country = "SE"
    registration_number = factory.Sequence(lambda n: f"TEST{n:08d}")
    name = factory.Sequence(lambda n: f"Debtor {n} AB")
    legal_form = "AB"


class CreditReportFactory(factory.django.DjangoModelFactory):
    """A healthy debtor's report: passes the default template, rating 70 (band low, 5 %)."""

    class Meta:
        model = CreditReport
        skip_postgeneration_save = True

    debtor = factory.SubFactory(DebtorFactory)
    source = "test"
    as_of = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    rating = 70
    turnover = Decimal("10000000.00")
    result = Decimal("500000.00")
    equity_ratio = Decimal("35.00")
    registered_on = date(2010, 5, 1)
    legal_form = "AB"
    f_tax = True
    vat_registered = True
    employer_registered = True
    clean_audit = True
    debt_balance = Decimal("0")

    @factory.post_generation
    def _latest(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            Debtor.objects.filter(pk=obj.debtor_id).update(latest_report=obj)
            obj.debtor.latest_report = obj


def default_template(legal_form: str = "") -> DecisionTemplate:
    """The DOMAIN.md example template, partly approving above the guideline."""
    from limits.engine import DEFAULT_RULES

    template = DecisionTemplate.objects.create(legal_form=legal_form, name="Standard")
    TemplateRule.objects.bulk_create(
        TemplateRule(
            template=template,
            param=r.param.value,
            threshold=r.threshold,
            months=r.months,
            on_fail=r.on_fail.value,
        )
        for r in DEFAULT_RULES
    )
    return template
