"""Exposure computed in SQL (exposure.selectors) equals DOMAIN.md's rules written plainly
(tests/exposure/reference.py) on random policies, limits, invoices, stop deliveries and
notifications, on the database under test."""

from datetime import timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exposure import timeline
from exposure.models import Invoice, OverdueNotification, StopDelivery
from exposure.selectors import BUCKETS, REASONS, exposure_by_debtor, invoice_cover
from limits.models import Limit, LimitChange
from tests.exposure.reference import Inv, Notice, Stop, World, exposure, reason_of
from tests.factories import PolicyFactory
from tests.factories.limits import DebtorFactory
from tests.limits.test_timeline import PERIOD, day, histories

COUNTRIES = ["SE", "NL", "US"]  # the policy covers SE and NL
AMOUNTS = st.sampled_from(["100.00", "2500.50", "10000.00", "40000.00", "150000.00"]).map(Decimal)


@st.composite
def worlds(draw) -> tuple[World, object]:
    terms = timeline.Terms(
        max_extension_days=draw(st.sampled_from([0, 30, 60])),
        notification_deadline_days=draw(st.sampled_from([0, 30])),
        waiting_period_days=180,
        claim_filing_days=60,
        claim_filing_insolvency_days=180,
    )
    invoices, stops, notices, limits = [], [], [], {}
    n = 0
    for debtor in range(3):
        limits[debtor] = draw(histories())
        for _ in range(draw(st.integers(0, 6))):
            n += 1
            delivery = day(draw(st.integers((PERIOD[0] - day(0)).days, 45)))
            invoice_date = delivery + timedelta(days=draw(st.sampled_from([0, 2])))
            original_due = invoice_date + timedelta(days=draw(st.sampled_from([10, 30, 60, 100])))
            gross = draw(AMOUNTS)
            invoices.append(
                Inv(
                    id=n,
                    debtor=debtor,
                    country=COUNTRIES[debtor],
                    delivery=delivery,
                    invoice_date=invoice_date,
                    original_due=original_due,
                    due=original_due + timedelta(days=draw(st.sampled_from([0, 0, 20]))),
                    open=draw(st.sampled_from([gross, gross, gross / 2, Decimal("0.00")])),
                    consented_due=draw(
                        st.none()
                        | st.just(original_due + timedelta(days=terms.max_extension_days + 40))
                    ),
                    disputed=draw(st.booleans()) and draw(st.booleans()),
                )
            )
        # Dates on the boundaries the rules compare with: deliveries and deadlines
        mine = [i for i in invoices if i.debtor == debtor]
        deliveries = [i.delivery for i in mine]
        deadlines = [
            timeline.notification_deadline(i.original_due, i.consented_due, terms) for i in mine
        ]
        some_day = st.integers(0, 150).map(day)
        for _ in range(draw(st.integers(0, 2))):
            started = draw(st.sampled_from(deliveries) | some_day if deliveries else some_day)
            lifted = draw(
                st.sampled_from([d for d in deliveries if d > started] or [started])
                | st.integers(1, 40).map(lambda n, s=started: s + timedelta(days=n))
            )
            if lifted > started:
                stops.append(Stop(debtor, started, lifted))
        if draw(st.booleans()):
            stops.append(Stop(debtor, draw(some_day), None))
        if draw(st.booleans()):
            notified = draw(
                st.sampled_from(deadlines) | st.integers(20, 200).map(day)
                if deadlines
                else st.integers(20, 200).map(day)
            )
            closed = draw(st.none() | st.just(notified + timedelta(days=30)))
            notices.append(Notice(debtor, notified, closed))
    world = World(
        terms=terms,
        max_credit_days=draw(st.sampled_from([45, 90])),
        countries={"SE", "NL"},
        period=PERIOD,
        limits=limits,
        invoices=invoices,
        stops=stops,
        notices=notices,
    )
    deadlines = [
        timeline.notification_deadline(i.original_due, i.consented_due, terms) for i in invoices
    ]
    today = draw(
        st.integers(0, 260).map(day)
        | (st.sampled_from(deadlines) if deadlines else st.integers(0, 260).map(day))
        | (st.sampled_from([i.due for i in invoices]) if invoices else st.just(day(100)))
    )
    return world, today


def write(world: World):
    policy = PolicyFactory(
        status="issued",
        start_date=world.period[0],
        end_date=world.period[1],
        covered_countries=sorted(world.countries),
        max_credit_period_days=world.max_credit_days,
        max_extension_days=world.terms.max_extension_days,
        notification_deadline_days=world.terms.notification_deadline_days,
    )
    debtors = {i: DebtorFactory(country=c) for i, c in enumerate(COUNTRIES)}
    for i, history in world.limits.items():
        limit = Limit.objects.create(policy=policy, debtor=debtors[i])
        LimitChange.objects.bulk_create(
            LimitChange(
                limit=limit,
                kind=e.kind,
                amount=e.amount,
                effective_from=e.effective_from,
                limit_kind=e.limit_kind,
                expires_on=e.expires_on,
                max_terms_days=e.max_terms_days,
            )
            for e in history
        )
    ids = {}
    for inv in world.invoices:
        row = Invoice.objects.create(
            policy=policy,
            debtor=debtors[inv.debtor],
            number=f"F-{inv.id}",
            currency=policy.currency,
            net_amount=max(inv.open, Decimal("100.00")) * 2,
            vat_amount=Decimal("0.00"),
            open_amount=inv.open,
            invoice_date=inv.invoice_date,
            delivery_date=inv.delivery,
            original_due_date=inv.original_due,
            due_date=inv.due,
            terms_days=inv.terms_days,
            consented_due_date=inv.consented_due,
            disputed_since=inv.invoice_date if inv.disputed else None,
        )
        ids[row.pk] = inv.id
    for s in world.stops:
        StopDelivery.objects.create(
            policy=policy,
            debtor=debtors[s.debtor],
            reason="past_extension",
            started_on=s.started,
            lifted_on=s.lifted,
        )
    for n in world.notices:
        OverdueNotification.objects.create(
            policy=policy,
            debtor=debtors[n.debtor],
            notified_on=n.notified,
            closed_on=n.closed,
            reason="cash_flow",
            overdue_amount=0,
            exposure_amount=0,
        )
    return policy, {d.pk: i for i, d in debtors.items()}, ids


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=worlds())
def test_exposure_in_sql_equals_the_rules_written_plainly(db, case):
    world, today = case
    policy, debtor_index, invoice_index = write(world)

    got = exposure_by_debtor(Invoice.objects.filter(policy=policy), today=today)
    want = exposure(world, today)

    assert {debtor_index[d] for (_p, d) in got} == set(want)
    for (_p, d), e in got.items():
        w = want[debtor_index[d]]
        assert (e.unpaid, e.covered, e.invoices) == (w["unpaid"], w["covered"], w["invoices"])
        assert e.uncovered == {r: w["uncovered"].get(r, Decimal("0.00")) for r in REASONS}
        assert e.ageing == {b: w["ageing"].get(b, Decimal("0.00")) for b in BUCKETS}
        assert e.unpaid == e.covered + e.uncovered_total
    # and each invoice's reason is the reference's
    covers = invoice_cover(Invoice.objects.filter(policy=policy), today=today)
    by_id = {i.id: i for i in world.invoices}
    assert set(covers) == {pk for pk, n in invoice_index.items() if by_id[n].open > 0}
    for pk, cover in covers.items():
        assert cover.reason == reason_of(world, by_id[invoice_index[pk]], today), pk
