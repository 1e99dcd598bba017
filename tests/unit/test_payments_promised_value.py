"""Money promised to a sub-contractor is stored as money and passed down to the penny (PBR-4;
issue 11 item 11: a sub promised £72,000 a year was shown £71,999.80, £5,999.98 a month, because
its promise was stored as a share of the fee to 6 decimal places)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commissioning_analytics.payments import (
    PaymentsFormatError,
    Statement,
    calculate,
    parse_mechanism,
    parse_observed,
)


def _mechanism(
    annual_value: str,
    chain: list[dict[str, Any]],
    *,
    frequency: str = "monthly",
    timing: str = "arrears",
    at_risk: dict[str, Any] | None = None,
    term_periods: int = 24,
) -> dict[str, Any]:
    fee: dict[str, Any] = {"annual_value": annual_value, "frequency": frequency, "timing": timing}
    if at_risk is not None:
        fee["at_risk"] = at_risk
    return {
        "format_version": 1,
        "id": "promise",
        "name": "Service fee with promises",
        "period": "month",
        "term_periods": term_periods,
        "parties": [
            {"id": "c", "name": "Commissioner", "role": "commissioner"},
            {"id": "p", "name": "Prime", "role": "prime"},
            *({"id": t["subcontractor"], "name": "Sub", "role": "subcontractor"} for t in chain),
        ],
        "measures": [{"id": "housed", "kind": "intermediate"}],
        "service_fee": fee,
        "supply_chain": chain,
    }


def _run(document: dict[str, Any], months: int = 12, first_year: int = 2026) -> Statement:
    mechanism = parse_mechanism(document)
    periods = []
    for n in range(1, months + 1):
        year, month = first_year + (n - 1) // 12, (n - 1) % 12 + 1
        periods.append(
            {
                "period": n,
                "start": date(year, month, 1).isoformat(),
                "end": date(year, month, 28).isoformat(),
            }
        )
    observed = {"format_version": 1, "mechanism": mechanism.id, "periods": periods}
    return calculate(mechanism, parse_observed(observed, mechanism))


def _passed(statement: Statement, sub: str, periods: range) -> Decimal:
    return sum(
        (
            line.amount
            for line in statement.lines
            if line.kind == "pass_down" and line.payee == sub and line.period in periods
        ),
        Decimal(0),
    )


def test_a_sub_promised_72000_a_year_is_passed_6000_a_month() -> None:
    chain = [{"subcontractor": "durham", "service_fee_value": "72000.00"}]
    statement = _run(_mechanism("411000.00", chain))
    monthly = [x.amount for x in statement.lines if x.kind == "pass_down"]
    assert monthly == [Decimal("6000.00")] * 12
    assert _passed(statement, "durham", range(1, 13)) == Decimal("72000.00")
    assert "£72,000.00 a year" in statement.lines[1].explanation


def test_a_promise_that_is_not_whole_pence_a_month_still_adds_up_over_the_year() -> None:
    chain = [{"subcontractor": "s", "service_fee_value": "1000.01", "management_fee": "0.3"}]
    statement = _run(_mechanism("5000.00", chain), months=24)
    amounts = [x.amount for x in statement.lines if x.kind == "pass_down"]
    assert set(amounts) == {Decimal("83.33"), Decimal("83.34")}
    assert _passed(statement, "s", range(1, 13)) == Decimal("1000.01")
    assert _passed(statement, "s", range(13, 25)) == Decimal("1000.01")
    assert statement.is_conserved()


def test_a_promise_and_a_share_of_the_same_fee_are_refused_together() -> None:
    chain = [{"subcontractor": "s", "service_fee_value": "100.00", "service_fee_share": "0.1"}]
    with pytest.raises(PaymentsFormatError) as raised:
        parse_mechanism(_mechanism("5000.00", chain))
    assert "supply_chain[0].service_fee_value" in str(raised.value)


def test_promises_worth_more_than_the_fee_after_management_fees_are_refused() -> None:
    chain = [
        {"subcontractor": "a", "service_fee_value": "3000.00"},
        {"subcontractor": "b", "service_fee_value": "1800.00", "management_fee": "0.2"},
    ]
    with pytest.raises(PaymentsFormatError) as raised:
        parse_mechanism(_mechanism("5000.00", chain))
    assert "supply_chain.service_fee_share" in str(raised.value)


def test_the_share_is_derived_from_the_promise() -> None:
    chain = [{"subcontractor": "s", "service_fee_value": "72000.00", "management_fee": "0.1"}]
    (terms,) = parse_mechanism(_mechanism("400000.00", chain)).supply_chain
    assert terms.service_fee_value == Decimal("72000.00")
    assert terms.service_fee_share == Decimal("0.2")  # 72,000 / (400,000 × 0.9)


pence = st.integers(min_value=1, max_value=500_000_000).map(lambda p: Decimal(p) / 100)


@st.composite
def promises(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Decimal]]:
    annual = draw(pence)
    count = draw(st.integers(min_value=1, max_value=4))
    left, chain, promised = annual, [], {}
    for n in range(count):
        fee = draw(st.sampled_from(["0", "0.05", "0.125", "0.4"]))
        most = (left * (1 - Decimal(fee))).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
        value = draw(st.integers(min_value=0, max_value=int(most * 100))) / Decimal(100)
        left -= value / (1 - Decimal(fee))
        chain.append(
            {
                "subcontractor": f"sub{n}",
                "service_fee_value": f"{value:.2f}",
                "management_fee": fee,
                "at_risk_share": "0",
                "payment_terms_days": draw(st.integers(0, 60)),
            }
        )
        promised[f"sub{n}"] = value
    frequency = draw(st.sampled_from(["monthly", "quarterly", "annual"]))
    timing = draw(st.sampled_from(["advance", "arrears"]))
    at_risk = draw(
        st.sampled_from(
            [
                None,
                {"share": "0.1", "mode": "withheld", "measure": "housed", "target": "40"},
                {"share": "0.25", "mode": "clawback", "measure": "housed", "target": "40"},
            ]
        )
    )
    document = _mechanism(
        f"{annual:.2f}", chain, frequency=frequency, timing=timing, at_risk=at_risk
    )
    return document, promised


@settings(max_examples=150, deadline=None)
@given(promises(), st.sampled_from([range(1, 13), range(13, 25)]))
def test_what_each_sub_is_passed_over_a_year_is_what_it_was_promised_to_the_penny(
    drawn: tuple[dict[str, Any], dict[str, Decimal]], year: range
) -> None:
    """Any fee, frequency and timing; management fees; risk the prime carries in full: each
    contract year, the service fee passed to each sub-contractor is its promise exactly."""
    document, promised = drawn
    statement = _run(document, months=24)
    for sub, value in promised.items():
        assert _passed(statement, sub, year) == value
    assert statement.is_conserved()
