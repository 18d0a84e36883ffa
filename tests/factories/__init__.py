from datetime import date

import factory
from django.contrib.auth import get_user_model

from accounts.models import InsuredCompany, Role
from policies.models import Policy

PASSWORD = "test-pass-2026"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsuredCompany

    name = factory.Sequence(lambda n: f"Insured Company {n} AB")
    country = "SE"
    registration_number = factory.Sequence(lambda n: f"55{n:08d}")
    language = "en"
    email = factory.Sequence(lambda n: f"finance{n}@example.com")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = Role.INSURED
    company = factory.Maybe(
        factory.LazyAttribute(lambda u: u.role == Role.INSURED),
        factory.SubFactory(CompanyFactory),
        None,
    )
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class PolicyFactory(factory.django.DjangoModelFactory):
    """A policy written straight to the table (use the services to test their rules)."""

    class Meta:
        model = Policy

    insured = factory.SubFactory(CompanyFactory)
    currency = "SEK"
    start_date = date(2026, 1, 1)
    end_date = date(2026, 12, 31)
    covered_countries = factory.LazyFunction(lambda: ["BE", "DE", "NL", "SE"])
    number = factory.Sequence(lambda n: f"CI-2026-{900000 + n}")
