"""Payments-compliance figures (LAW-3, SUP-3): hand-computed UK17 figures and edge cases."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commissioning_analytics.cashflow.prompt_payment import (
    Invoice,
    InvoiceError,
    ReportingPeriod,
    payments_compliance,
)

SUMMER = ReportingPeriod(date(2026, 4, 1), date(2026, 9, 30))
APRIL_1 = date(2026, 4, 1)


def invoice(
    reference: str,
    received: date,
    paid: date | None,
    *,
    payer: str = "Commissioner",
    due: date | None = None,
) -> Invoice:
    return Invoice(
        reference=reference,
        payer=payer,
        payee="Charity",
        received=received,
        due=due or received + timedelta(30),
        amount=Decimal("1000.00"),
        paid=paid,
    )


def test_hand_computed_average_and_bands() -> None:
    invoices = [
        invoice("same-day", APRIL_1, APRIL_1),  # day 0: counted within 1–30
        invoice("day-30", APRIL_1, date(2026, 5, 1)),
        invoice("day-31", APRIL_1, date(2026, 5, 2)),
        invoice("day-60", APRIL_1, date(2026, 5, 31)),
        invoice("day-61", APRIL_1, date(2026, 6, 1)),
    ]
    figures = payments_compliance(invoices, SUMMER)["Commissioner"]
    assert figures.invoices_paid == 5
    assert figures.average_days_to_pay == pytest.approx((0 + 30 + 31 + 60 + 61) / 5)
    assert figures.share_paid_by_band == pytest.approx((0.4, 0.4, 0.2))


def test_period_boundaries_decide_what_counts_as_paid_in_the_period() -> None:
    invoices = [
        invoice("received-before", date(2026, 3, 15), date(2026, 4, 2)),  # 18 days, counted
        invoice("paid-last-day", date(2026, 9, 1), date(2026, 9, 30)),  # 29 days, counted
        invoice("paid-next-period", date(2026, 9, 1), date(2026, 10, 1)),  # not counted
        invoice("paid-previous-period", date(2026, 3, 1), date(2026, 3, 31)),  # not counted
    ]
    figures = payments_compliance(invoices, SUMMER)["Commissioner"]
    assert figures.invoices_paid == 2
    assert figures.average_days_to_pay == pytest.approx((18 + 29) / 2)
    winter = ReportingPeriod.containing(date(2026, 10, 1))
    assert payments_compliance(invoices, winter)["Commissioner"].invoices_paid == 1


def test_due_but_unpaid_counts_only_sums_that_became_payable_in_the_period() -> None:
    invoices = [
        invoice("due-unpaid", APRIL_1, None, due=date(2026, 5, 1)),
        invoice("due-paid-late", APRIL_1, date(2026, 10, 5), due=date(2026, 9, 30)),
        invoice("due-paid", APRIL_1, date(2026, 4, 20), due=date(2026, 5, 1)),
        invoice("due-paid-after-due", APRIL_1, date(2026, 6, 20), due=date(2026, 5, 1)),
        invoice("not-yet-due", date(2026, 9, 20), None, due=date(2026, 10, 20)),
        invoice("due-last-period", date(2026, 3, 1), None, due=date(2026, 3, 31)),
    ]
    figures = payments_compliance(invoices, SUMMER)["Commissioner"]
    # Four fell due in the period; two of them were still unpaid at 30 September.
    assert figures.invoices_became_payable == 4
    assert figures.share_due_unpaid == pytest.approx(0.5)


def test_each_payer_gets_its_own_figures() -> None:
    invoices = [
        invoice("c1", APRIL_1, date(2026, 4, 11)),
        invoice("p1", APRIL_1, date(2026, 6, 10), payer="Prime Ltd"),
        invoice("p2", APRIL_1, date(2026, 4, 1), payer="Prime Ltd"),
        invoice("idle", date(2025, 1, 1), date(2025, 1, 2), payer="Quiet council"),
    ]
    results = payments_compliance(invoices, SUMMER)
    assert set(results) == {"Commissioner", "Prime Ltd"}
    assert results["Commissioner"].average_days_to_pay == 10
    assert results["Prime Ltd"].average_days_to_pay == pytest.approx((70 + 0) / 2)
    assert results["Prime Ltd"].share_paid_by_band == pytest.approx((0.5, 0.0, 0.5))


def test_a_payer_with_nothing_paid_has_no_average() -> None:
    invoices = [invoice("owed", APRIL_1, None, due=date(2026, 4, 30))]
    figures = payments_compliance(invoices, SUMMER)["Commissioner"]
    assert figures.invoices_paid == 0
    assert figures.average_days_to_pay is None
    assert figures.share_paid_by_band is None
    assert figures.share_due_unpaid == 1.0
    assert "No invoices paid in the period." in figures.summary()


def test_summary_reads_like_the_notice() -> None:
    figures = payments_compliance([invoice("a", APRIL_1, date(2026, 4, 11))], SUMMER)
    text = figures["Commissioner"].summary()
    assert "1 April 2026 to 30 September 2026" in text
    assert "average days to pay: 10.0" in text
    assert "Paid in 1–30 days: 100.0%" in text


def test_payment_before_receipt_is_an_error_naming_the_invoice() -> None:
    invoices = [
        invoice("fine", APRIL_1, date(2026, 4, 5)),
        invoice("INV-0042", APRIL_1, date(2026, 3, 30)),
    ]
    with pytest.raises(InvoiceError, match="'INV-0042': paid on 2026-03-30 before it was"):
        payments_compliance(invoices, SUMMER)


def test_due_before_receipt_and_negative_terms_are_errors() -> None:
    with pytest.raises(InvoiceError, match="'INV-7': due on 2026-03-01 before"):
        payments_compliance([invoice("INV-7", APRIL_1, None, due=date(2026, 3, 1))], SUMMER)
    with pytest.raises(InvoiceError, match="'INV-8': payment terms cannot be negative"):
        Invoice.with_terms("INV-8", "C", "S", APRIL_1, -1, Decimal(1))


def test_terms_set_the_due_date() -> None:
    made = Invoice.with_terms("INV-9", "C", "S", APRIL_1, 30, Decimal("10.00"))
    assert made.due == date(2026, 5, 1)


@pytest.mark.parametrize(
    ("day", "first", "last"),
    [
        (date(2026, 4, 1), date(2026, 4, 1), date(2026, 9, 30)),
        (date(2026, 9, 30), date(2026, 4, 1), date(2026, 9, 30)),
        (date(2026, 10, 1), date(2026, 10, 1), date(2027, 3, 31)),
        (date(2027, 1, 15), date(2026, 10, 1), date(2027, 3, 31)),
        (date(2027, 3, 31), date(2026, 10, 1), date(2027, 3, 31)),
    ],
)
def test_reporting_periods_are_april_to_september_and_october_to_march(
    day: date, first: date, last: date
) -> None:
    assert ReportingPeriod.containing(day) == ReportingPeriod(first, last)


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="last_day is before first_day"):
        ReportingPeriod(date(2026, 9, 30), date(2026, 4, 1))


@st.composite
def invoices(draw: st.DrawFn) -> Invoice:
    received = date(2026, 1, 1) + timedelta(draw(st.integers(0, 300)))
    paid_after = draw(st.one_of(st.none(), st.integers(0, 120)))
    return Invoice(
        reference=str(draw(st.uuids())),
        payer=draw(st.sampled_from(["A", "B"])),
        payee="S",
        received=received,
        due=received + timedelta(draw(st.integers(0, 60))),
        amount=Decimal(1),
        paid=None if paid_after is None else received + timedelta(paid_after),
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(invoices(), max_size=40))
def test_vectorised_figures_match_a_plain_loop(batch: list[Invoice]) -> None:
    results = payments_compliance(batch, SUMMER)
    for payer in ("A", "B"):
        mine = [i for i in batch if i.payer == payer]
        paid = [
            i for i in mine if i.paid is not None and SUMMER.first_day <= i.paid <= SUMMER.last_day
        ]
        payable = [i for i in mine if SUMMER.first_day <= i.due <= SUMMER.last_day]
        if not paid and not payable:
            assert payer not in results
            continue
        figures = results[payer]
        days = [(i.paid - i.received).days for i in paid if i.paid is not None]
        assert figures.invoices_paid == len(paid)
        if days:
            assert figures.average_days_to_pay == pytest.approx(sum(days) / len(days))
            late = sum(d > 60 for d in days) / len(days)
            assert figures.share_paid_by_band is not None
            assert figures.share_paid_by_band[2] == pytest.approx(late)
        unpaid = [i for i in payable if i.paid is None or i.paid > SUMMER.last_day]
        if payable:
            assert figures.share_due_unpaid == pytest.approx(len(unpaid) / len(payable))


def test_payments_against_terms_flag_a_prime_paying_later_than_its_terms() -> None:
    """LAW-3 beyond the Act: each sub-contractor's invoices against the terms they were due by."""
    from commissioning_analytics.cashflow.prompt_payment import payments_against_terms

    def sub(reference: str, payee: str, received: date, terms: int, paid: date | None) -> Invoice:
        return Invoice.with_terms(
            reference, "Prime", payee, received, terms, Decimal("500.00"), paid
        )

    invoices = [
        sub("h1", "housing", APRIL_1, 14, date(2026, 6, 5)),  # 65 days, 51 late
        sub("h2", "housing", date(2026, 5, 1), 14, date(2026, 7, 10)),  # 70 days
        sub("w1", "womens", APRIL_1, 30, date(2026, 4, 21)),  # 20 days, on time
        sub("w2", "womens", APRIL_1, 30, None),  # unpaid: not in the comparison
    ]
    figures = payments_against_terms(invoices, SUMMER)
    housing, womens = figures["housing"], figures["womens"]
    assert (housing.invoices_paid, housing.average_days_to_pay, housing.terms_days) == (2, 67.5, 14)
    assert housing.paid_after_due == 2 and housing.later_than_terms
    assert (womens.invoices_paid, womens.average_days_to_pay, womens.paid_after_due) == (1, 20.0, 0)
    assert not womens.later_than_terms
