"""Payments compliance computed from recorded invoices (LAW-3, UK17): a hand table of a body's
invoices from its prime, with the day-1 rule, an unpaid invoice, a disputed one and a resolved
dispute, gives the hand-worked figures; the prime's payments to its subs against their terms."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from commissioning.directory.models import Organisation
from commissioning.invoices import compliance, services
from commissioning_analytics.cashflow.prompt_payment import PaymentsCompliance, ReportingPeriod
from tests.invoice_factories import Cast, cast, invoice

pytestmark = pytest.mark.django_db
TODAY = date(2027, 6, 30)
SUMMER = ReportingPeriod(date(2026, 4, 1), date(2026, 9, 30))


def _pay(user: object, sent: object, day: date, amount: str = "1000.00") -> None:
    services.record_payment(user, sent, amount=amount, paid_on=day, today=TODAY)


def test_a_bodys_figures_from_a_hand_table_of_invoices() -> None:
    c = cast()
    body, prime, pay = c.contract.commissioning_body, c.prime, c.body_finance

    def sent(ref: str, received: date) -> object:
        return invoice(prime, c.contract, "prime", ref, received)

    _pay(pay, sent("P-1", date(2026, 4, 10)), date(2026, 4, 10))  # paid on receipt: 0 days
    _pay(pay, sent("P-2", date(2026, 5, 1)), date(2026, 5, 31))  # day 30: within 1–30
    _pay(pay, sent("P-3", date(2026, 5, 1)), date(2026, 6, 1))  # day 31: 31–60
    _pay(pay, sent("P-4", date(2026, 6, 1)), date(2026, 8, 1))  # day 61: 61 or more
    sent("P-5", date(2026, 7, 1))  # due 31 July, never paid
    p6 = sent("P-6", date(2026, 7, 1))  # disputed and still disputed: left out
    services.dispute(pay, p6, reason="Not ours", disputed_on=date(2026, 7, 5), today=TODAY)
    p7 = sent("P-7", date(2026, 6, 1))  # owed from the resolution on 10 July: 41 days
    services.dispute(pay, p7, reason="Wrong period", disputed_on=date(2026, 6, 10), today=TODAY)
    services.resolve(pay, p7, resolution="Agreed", resolved_on=date(2026, 7, 10), today=TODAY)
    _pay(pay, p7, date(2026, 8, 20))
    p8 = sent("P-8", date(2026, 8, 1))  # due 31 August, part paid, the rest after the period
    _pay(pay, p8, date(2026, 8, 15), "400.00")
    _pay(pay, p8, date(2026, 10, 5), "600.00")
    # A sub-contractor's invoice to the prime is not the body's.
    _pay(
        c.prime,
        invoice(c.housing, c.contract, "housing-charity", "H-1", date(2026, 5, 1)),
        date(2026, 9, 1),
    )

    periods = compliance.body_compliance(body, today=TODAY)
    assert [p.period for p in periods][-1] == SUMMER
    summer = next(p for p in periods if p.period == SUMMER)
    figures = summer.figures
    assert figures is not None and summer.complete
    assert figures.invoices_paid == 5
    assert figures.average_days_to_pay == pytest.approx((0 + 30 + 31 + 61 + 41) / 5)
    assert figures.share_paid_by_band == pytest.approx((2 / 5, 2 / 5, 1 / 5))
    assert figures.invoices_became_payable == 7  # P-1..P-5, P-7, P-8
    assert figures.share_due_unpaid == pytest.approx(2 / 7)  # P-5 and P-8


def test_the_primes_payments_to_subs_against_their_terms() -> None:
    c = cast()
    for n, received in enumerate((date(2026, 4, 1), date(2026, 5, 1)), start=1):
        late = invoice(c.housing, c.contract, "housing-charity", f"H-{n}", received)
        _pay(c.prime, late, received.replace(month=received.month + 2))  # 61 days, terms 14
    on_time = invoice(c.womens, c.contract, "womens-centre", "W-1", date(2026, 4, 1))
    _pay(c.prime, on_time, date(2026, 4, 21))  # 20 days, terms 30

    summer = next(p for p in compliance.chain_compliance(c.contract, TODAY) if p.period == SUMMER)
    assert summer.figures is not None
    assert summer.figures.invoices_paid == 3
    assert summer.figures.share_paid_by_band == pytest.approx((1 / 3, 0, 2 / 3))
    by_payee = {row.payee: row for row in summer.against_terms}
    assert by_payee["housing-charity"].later_than_terms
    assert (by_payee["housing-charity"].terms_days, by_payee["housing-charity"].paid_after_due) == (
        14,
        2,
    )
    assert not by_payee["womens-centre"].later_than_terms


def test_the_period_under_way_counts_as_unpaid_only_what_is_already_due() -> None:
    c = cast()
    invoice(c.prime, c.contract, "prime", "P-1", date(2026, 10, 1))  # due 31 October, unpaid
    invoice(c.prime, c.contract, "prime", "P-2", date(2026, 11, 20))  # due 20 December
    today = date(2026, 12, 6)
    current = compliance.body_compliance(c.contract.commissioning_body, today)[0]
    assert current.period == ReportingPeriod(date(2026, 10, 1), date(2027, 3, 31))
    assert not current.complete and current.figures is not None
    assert (current.figures.invoices_became_payable, current.figures.share_due_unpaid) == (1, 1.0)


def test_every_bodys_half_year_in_two_queries_however_many_invoices(
    django_assert_num_queries: Any,
) -> None:
    """LAW-3, UK17 (issue 14, Speed): every body's figures for one half-year, as drafted for
    the notices, are each body's own figures for that period, from one query of the invoices
    (and one of the bodies) however many invoices there are: later ones are never read."""
    casts = [cast(), cast()]

    def record(c: Cast, number: int, received: date, days: int) -> None:
        sent = invoice(c.prime, c.contract, "prime", f"P-{number}", received)
        _pay(c.body_finance, sent, received + timedelta(days=days))

    for n, c in enumerate(casts):
        record(c, 1, date(2026, 5, 1), 19 + 30 * n)
        record(c, 2, date(2026, 8, 15), 61)  # falls due on 14 September, paid after the period

    def drafted() -> dict[Organisation, PaymentsCompliance]:
        with django_assert_num_queries(2):
            return compliance.bodies_figures(SUMMER)

    first = drafted()
    for c in casts:
        for k in range(12):  # later invoices, each paid in 19 days: none counts in the summer
            record(c, 100 + k, date(2026, 10, 1) + timedelta(days=20 * k), 19)
    figures = drafted()
    assert figures == first
    assert set(figures) == {c.contract.commissioning_body for c in casts}
    for c in casts:
        body = c.contract.commissioning_body
        own = next(p for p in compliance.body_compliance(body, TODAY) if p.period == SUMMER)
        assert figures[body] == own.figures
    slow = figures[casts[1].contract.commissioning_body]
    assert slow.average_days_to_pay == 49
    assert slow.share_due_unpaid == 0.5
