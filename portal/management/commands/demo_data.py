"""Loads the demo data `make run` starts with. Running it again changes nothing."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from core.models import ExchangeRate
from debtors.services import credit_report_add, debtor_register, risk_event_record
from policies import services
from policies.models import DeclarationFrequency, TurnoverDeclaration
from policies.premium import declaration_periods
from portal.management.demo_claims import load_claims

DEMO_PASSWORD = "demo-pass-2026"
DEMO_USERS = [
    ("insured", Role.INSURED, "Karin", "Lund"),
    ("underwriter", Role.UNDERWRITER, "Pieter", "de Vries"),
    ("claims", Role.CLAIMS, "Anna", "Berg"),
    ("admin", Role.ADMIN, "Ada", "Admin"),
    # A second claims handler: settlements above the four-eyes amount need two.
    ("claims2", Role.CLAIMS, "Erik", "Holm"),
]
# Fictitious companies; the numbers carry valid check digits.
DEMO_DEBTORS = [
    ("SE", "556677-8907", "Göta Byggvaror AB", "AB", "Göteborg"),
    ("SE", "559012-3450", "Norrlands Trävaru AB", "AB", "Umeå"),
    ("BE", "0456.789.034", "Brabant Staalhandel NV", "NV", "Leuven"),
    ("NL", "68750110", "Van Dijk Installatietechniek B.V.", "B.V.", "Utrecht"),
    ("NL", "34123456", "Hollandse Machinebouw B.V.", "B.V.", "Rotterdam"),
]


class Command(BaseCommand):
    help = "Load the demo insured company, its policies, debtors, claims and the demo users."

    def handle(self, *args, **options):
        if User.objects.filter(username="insured").exists():
            self.stdout.write("Demo data already loaded.")
        else:
            with transaction.atomic():
                statements = self._load()
            self._render(statements)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(
            f"Users (password {DEMO_PASSWORD}): " + ", ".join(u for u, *_ in DEMO_USERS)
        )

    def _load(self):
        from accounts.services import insured_company_create

        users = {}
        for username, role, first, last in DEMO_USERS[1:]:
            users[username] = self._user(username, role, first, last)
        underwriter = users["underwriter"]
        company = insured_company_create(
            actor=underwriter,
            name="Nordisk Stålhandel AB",
            country="SE",
            registration_number="556123-4567",
            vat_number="SE556123456701",
            address="Industrigatan 12\n417 05 Göteborg",
            email="ekonomi@nordiskstal.example",
            language="sv",
        )
        users["insured"] = self._user("insured", Role.INSURED, "Karin", "Lund", company)

        debtors = {
            name: debtor_register(
                actor=underwriter,
                country=country,
                registration_number=number,
                name=name,
                legal_form=form,
                city=city,
            )
            for country, number, name, form, city in DEMO_DEBTORS
        }

        today = timezone.localdate()
        sek = services.policy_create(
            actor=underwriter,
            insured=company,
            start_date=date(today.year, 1, 1),
            currency="SEK",
            intervention_threshold=Decimal("5000"),
            discretionary_limit=Decimal("100000"),
            minimum_premium=Decimal("25000"),
            limit_fee=Decimal("250"),
            four_eyes_amount=Decimal("500000"),
            reason="Demo: Swedish domestic and EU sales",
        )
        services.policy_issue(actor=underwriter, policy_id=sek.pk)
        eur_start = (today - relativedelta(months=7)).replace(day=1)
        eur = services.policy_create(
            actor=underwriter,
            insured=company,
            start_date=eur_start,
            currency="EUR",
            declaration_frequency=DeclarationFrequency.QUARTERLY,
            reason="Demo: export sales in euro",
        )
        services.policy_issue(actor=underwriter, policy_id=eur.pk)
        services.policy_create(
            actor=underwriter,
            insured=company,
            start_date=date(today.year + 1, 1, 1),
            currency="SEK",
            reason="Demo: renewal for next year",
        )

        # Past declarations, made on time, except the last ended period of each policy.
        insured = users["insured"]
        for policy, turnover in ((sek, Decimal("4150000.00")), (eur, Decimal("385000.00"))):
            ended = [
                p
                for p in declaration_periods(
                    policy.start_date,
                    policy.end_date,
                    policy.declaration_frequency,
                    policy.declaration_due_days,
                )
                if p.end < today
            ]
            for i, period in enumerate(ended[:-1]):
                declaration = services.declaration_submit(
                    actor=insured,
                    policy_id=policy.pk,
                    period_start=period.start,
                    turnover=turnover + Decimal(37500 * (i % 4)),
                )
                # Demo history: these were declared ten days after each period ended.
                TurnoverDeclaration.objects.filter(pk=declaration.pk).update(
                    declared_at=timezone.make_aware(
                        datetime.combine(period.end + timedelta(days=10), time(9, 0))
                    )
                )
        self._limits(insured, underwriter, sek, eur, debtors)
        self._exposure(insured, underwriter, sek, eur, debtors)
        return load_claims(
            insured=insured, underwriter=underwriter, handler=users["claims"], sek=sek, eur=eur
        )

    def _render(self, statements: list[int]) -> None:
        """The claim statements, rendered now rather than when the worker starts (the task
        queued on commit then finds them ready)."""
        from claims.pdf import statement_render

        for pk in statements:
            try:
                statement_render(statement_id=pk)
            except Exception as exc:  # the queued task renders it again
                self.stderr.write(f"Claim statement {pk} not rendered yet: {exc!r}")

    def _limits(self, insured, underwriter, sek, eur, debtors):
        """Reference data, credit reports and a few limit requests: one approved at once, one
        discretionary, one referred and waiting in the underwriter's queue; an insurer
        reduction waiting for its notice period."""
        from limits import services as limit_services
        from limits.engine import DEFAULT_RULES, Param, Rule
        from limits.models import DecisionTemplate, TemplateRule

        today = timezone.localdate()
        ExchangeRate.objects.update_or_create(
            currency="EUR",
            defaults={
                "sek_per_unit": Decimal("11.50"),
                "as_of": today,
                "source": "Demo reference rate",
            },
        )
        general = DecisionTemplate.objects.create(legal_form="", name="General template")
        ab = DecisionTemplate.objects.create(legal_form="AB", name="Swedish limited company (AB)")
        ab_rules = (*DEFAULT_RULES, Rule(Param.EMPLOYER), Rule(Param.BOARD_CHANGE, months=12))
        for template, rules in ((general, DEFAULT_RULES), (ab, ab_rules)):
            TemplateRule.objects.bulk_create(
                TemplateRule(
                    template=template,
                    param=r.param.value,
                    threshold=r.threshold,
                    months=r.months,
                    on_fail=r.on_fail.value,
                )
                for r in rules
            )

        reports = {
            "Göta Byggvaror AB": {
                "rating": 72,
                "turnover": "48000000",
                "result": "2100000",
                "equity_ratio": "31.5",
                "registered_on": date(2004, 3, 1),
            },
            "Norrlands Trävaru AB": {
                "rating": 34,
                "turnover": "12500000",
                "result": "-350000",
                "equity_ratio": "8.2",
                "registered_on": date(2015, 9, 1),
                "payment_remarks": [
                    {"date": (today - timedelta(days=95)).isoformat(), "amount": "18400.00"}
                ],
            },
            "Brabant Staalhandel NV": {
                "rating": 81,
                "turnover": "210000000",
                "result": "9400000",
                "equity_ratio": "42.0",
                "registered_on": date(1998, 6, 15),
            },
            "Van Dijk Installatietechniek B.V.": {
                "rating": 58,
                "turnover": "30000000",
                "result": "800000",
                "equity_ratio": "22.0",
                "registered_on": date(2017, 2, 1),
            },
        }
        for name, figures in reports.items():
            debtor = debtors[name]
            figures = {k: (Decimal(v) if isinstance(v, str) else v) for k, v in figures.items()}
            credit_report_add(
                debtor=debtor,
                source="Demo credit bureau file",
                as_of=today - timedelta(days=20),
                legal_form=debtor.legal_form,
                f_tax=True,
                vat_registered=True,
                employer_registered=True,
                clean_audit=True,
                debt_balance=Decimal(0),
                accounts_closed_on=date(today.year - 1, 12, 31),
                employees=40,
                **figures,
            )

        def ask(policy, name, amount, **kwargs):
            return limit_services.limit_request_submit(
                actor=insured,
                policy_id=policy.pk,
                debtor_id=debtors[name].pk,
                amount=Decimal(amount),
                **kwargs,
            )

        ask(sek, "Göta Byggvaror AB", "750000", reference="Order frame 2026")
        ask(eur, "Brabant Staalhandel NV", "150000", payment_terms_days=60)
        ask(eur, "Van Dijk Installatietechniek B.V.", "9000")
        ask(sek, "Norrlands Trävaru AB", "400000", reference="Sawn timber Q1")

        # The insurer lowers the euro limit on Brabant after its notice period: deliveries
        # before then stay covered at 150 000 (the insured's home and limit page say so).
        brabant = eur.limits.get(debtor=debtors["Brabant Staalhandel NV"])
        limit_services.limit_reduce_by_insurer(
            actor=underwriter,
            limit_id=brabant.pk,
            amount=Decimal("100000"),
            reason="Steel prices fell; the buyer's order book is thinner than a year ago.",
        )

        # A payment remark on a debtor the insured holds a limit on: alert and review.
        risk_event_record(
            actor=underwriter,
            debtor=debtors["Göta Byggvaror AB"],
            kind="payment_remark",
            occurred_on=today - timedelta(days=2),
            source="Demo credit bureau alert",
            details="Payment order application, 42 300 SEK",
        )
        limit_services.risk_events_alert()

    def _exposure(self, insured, underwriter, sek, eur, debtors):
        """Invoices against those limits: covered ones, one above its limit, one without a
        limit, one delivered on stop delivery; a debtor past its extension period whose
        notification deadline comes in 14 days, another the insured has notified; a partial
        payment, an extension waiting for the insurer, a cover check, and one run of the
        deadline job."""
        from exposure import services as exposure_services
        from exposure.services.cover import cover_check
        from exposure.services.deadlines import deadlines_run_recorded
        from exposure.services.notifications import overdue_notify
        from limits import timeline
        from limits.models import LimitChange

        today = timezone.localdate()
        # Demo history: the limits decided above were granted five months ago.
        for policy in (sek, eur):
            LimitChange.objects.filter(limit__policy=policy, kind__in=timeline.APPROVALS).update(
                effective_from=max(policy.start_date, today - timedelta(days=150))
            )

        def invoice(policy, name, number, days_ago, net, terms=30):
            delivered = max(policy.start_date, today - timedelta(days=days_ago))
            return exposure_services.invoice_report(
                actor=insured,
                policy_id=policy.pk,
                debtor_id=debtors[name].pk,
                number=number,
                net_amount=Decimal(net),
                vat_amount=(Decimal(net) * Decimal("0.25")).quantize(Decimal("0.01")),
                currency=policy.currency,
                invoice_date=delivered,
                delivery_date=delivered,
                original_due_date=delivered + timedelta(days=terms),
                reference=f"Order {number}",
            )

        invoice(sek, "Göta Byggvaror AB", "G-1001", 106, "96000")
        invoice(sek, "Göta Byggvaror AB", "G-1002", 45, "200000")
        invoice(sek, "Göta Byggvaror AB", "G-1003", 20, "120000", terms=60)
        invoice(sek, "Göta Byggvaror AB", "G-1004", 5, "64000")
        invoice(sek, "Norrlands Trävaru AB", "N-2001", 30, "36000")
        b301 = invoice(eur, "Brabant Staalhandel NV", "B-301", 70, "64000", terms=60)
        invoice(eur, "Brabant Staalhandel NV", "B-302", 25, "48000", terms=60)
        invoice(eur, "Van Dijk Installatietechniek B.V.", "V-11", 20, "9600")
        invoice(eur, "Hollandse Machinebouw B.V.", "H-7", 95, "4000")
        exposure_services.payment_record(
            actor=insured,
            policy_id=eur.pk,
            debtor_id=debtors["Brabant Staalhandel NV"].pk,
            amount=Decimal("30000.00"),
            received_on=today - timedelta(days=3),
            reference="Bank 2211",
        )
        exposure_services.invoice_extend(
            actor=insured,
            invoice_id=b301.pk,
            due_date=b301.original_due_date + timedelta(days=90),
            reason="The buyer's own customer pays late; they ask for three more months.",
        )
        overdue_notify(
            actor=insured,
            policy_id=eur.pk,
            debtor_id=debtors["Hollandse Machinebouw B.V."].pk,
            reason="cash_flow",
            details="Promised payment twice and did not pay.",
        )
        cover_check(
            actor=insured,
            policy_id=eur.pk,
            debtor_id=debtors["Brabant Staalhandel NV"].pk,
            amount=Decimal("40000.00"),
            terms_days=60,
        )
        deadlines_run_recorded(today=today)

    def _user(self, username, role, first, last, company=None):
        user = User(
            username=username,
            role=role,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.example",
            company=company,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user
