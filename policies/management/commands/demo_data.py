"""Loads the demo data `make run` starts with. Running it again changes nothing."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from debtors.models import Debtor
from policies import services
from policies.models import DeclarationFrequency, TurnoverDeclaration
from policies.premium import declaration_periods

DEMO_PASSWORD = "demo-pass-2026"
DEMO_USERS = [
    ("insured", Role.INSURED, "Karin", "Lund"),
    ("underwriter", Role.UNDERWRITER, "Pieter", "de Vries"),
    ("claims", Role.CLAIMS, "Anna", "Berg"),
    ("admin", Role.ADMIN, "Ada", "Admin"),
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
    help = "Load the demo insured company, its two policies, debtors and the four demo users."

    def handle(self, *args, **options):
        if User.objects.filter(username="insured").exists():
            self.stdout.write("Demo data already loaded.")
        else:
            with transaction.atomic():
                self._load()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(
            f"Users (password {DEMO_PASSWORD}): " + ", ".join(u for u, *_ in DEMO_USERS)
        )

    def _load(self):
        from policies.services import insured_company_create

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

        for country, number, name, form, city in DEMO_DEBTORS:
            debtor = Debtor(
                country=country, registration_number=number, name=name, legal_form=form, city=city
            )
            debtor.full_clean()
            debtor.save()

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
