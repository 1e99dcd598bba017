"""Measures other than reoffending as first-class measures (PBR-2; issue 15): a quantity per
person of the cohort, such as custody bed nights against a baseline (lower is better) or days
in work (higher is better), with outcome payments and an at-risk target on it. Every figure is
worked out by hand in the test's comment.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from commissioning.contracts.describe import describe_mechanism
from commissioning_analytics.payments import (
    PaymentsFormatError,
    Statement,
    calculate,
    parse_mechanism,
    parse_observed,
)

BED_NIGHTS = {
    "id": "bed-nights",
    "kind": "quantity",
    "unit": "custody bed nights",
    "better": "lower",
    "comparison": "baseline",
    "improvement": "per_person",
    "baseline": "40.0",
}
DAYS_IN_WORK = {
    "id": "days-in-work",
    "kind": "quantity",
    "unit": "days in work",
    "better": "higher",
    "comparison": "baseline",
    "improvement": "relative_percent",
    "baseline": "20",
}


def custody(*measures: dict[str, Any]) -> dict[str, Any]:
    """£200,000 a year paid annually in arrears, 10% (£20,000) clawed back unless custody bed
    nights fall by 5 a person from 40; £50 for each bed night avoided once the fall reaches 2 a
    person; £10,000 once when days in work rise by 25% or more."""
    return {
        "format_version": 1,
        "id": "custody-nights",
        "name": "Fewer nights in custody",
        "period": "year",
        "term_periods": 3,
        "parties": [
            {"id": "c", "name": "Commissioner", "role": "commissioner"},
            {"id": "p", "name": "Prime", "role": "prime"},
        ],
        "measures": list(measures) or [BED_NIGHTS, DAYS_IN_WORK],
        "service_fee": {
            "annual_value": "200000.00",
            "frequency": "annual",
            "timing": "arrears",
            "at_risk": {
                "share": "0.10",
                "mode": "clawback",
                "measure": "bed-nights",
                "target": "5",
            },
        },
        "outcome_payments": [
            {
                "id": "nights-avoided",
                "measure": "bed-nights",
                "basis": "per_unit_improvement",
                "tariff": "50.00",
                "threshold": "2",
            },
            {
                "id": "work",
                "measure": "days-in-work",
                "basis": "fixed",
                "tariff": "10000.00",
                "threshold": "25",
            },
        ],
    }


def year(n: int, size: int, nights: str, days: str) -> dict[str, Any]:
    cohort = {"cohort": str(n), "cohort_size": size}
    return {
        "period": n,
        "start": f"{2025 + n}-04-01",
        "end": f"{2026 + n}-03-31",
        "outcomes": [
            {"measure": "bed-nights", **cohort, "observed": nights},
            {"measure": "days-in-work", **cohort, "observed": days},
        ],
    }


def run(periods: list[dict[str, Any]]) -> Statement:
    mechanism = parse_mechanism(custody())
    observed = {"format_version": 1, "mechanism": mechanism.id, "periods": periods}
    return calculate(mechanism, parse_observed(observed, mechanism))


def test_custody_bed_nights_below_the_baseline_pay_per_night_avoided() -> None:
    # Year 1: 200 people at 34.5 nights against 40.0: 5.5 fewer a person (target 5: met),
    #   1,100 nights avoided × £50 = £55,000.00. Days in work 26 against 20: +30% ≥ 25%:
    #   £10,000.00.
    # Year 2: 100 people at 38.5 nights: 1.5 fewer a person, below the threshold of 2: no
    #   payment, and below the target of 5: £20,000.00 (10% of £200,000) repaid. Days in work
    #   24: +20%, below 25%: no payment.
    statement = run([year(1, 200, "34.5", "26"), year(2, 100, "38.5", "24")])
    lines = [(line.period, line.kind, line.rule, line.amount) for line in statement.lines]
    assert lines == [
        (1, "service_fee", "service_fee", Decimal("200000.00")),
        (1, "outcome_payment", "outcome_payments.nights-avoided", Decimal("55000.00")),
        (1, "outcome_payment", "outcome_payments.work", Decimal("10000.00")),
        (2, "service_fee", "service_fee", Decimal("200000.00")),
        (2, "clawback", "service_fee.at_risk", Decimal("20000.00")),
    ]
    assert statement.lines[1].explanation == (
        "cohort 1: 34.5 custody bed nights per person vs baseline 40.0 custody bed nights per "
        "person, improvement 5.5 custody bed nights per person: 1100 × £50.00 per unit of "
        "improvement"
    )
    assert statement.lines[2].explanation.startswith(
        "cohort 1: 26 days in work per person vs baseline 20 days in work per person, "
        "improvement 30.0%"
    )
    notes = [(n.period, n.rule, n.explanation.split("; ")[-1]) for n in statement.notes]
    assert notes == [
        (1, "service_fee.at_risk", "target 5 met: nothing repaid"),
        (2, "outcome_payments.nights-avoided", "below threshold 2: no payment"),
        (2, "outcome_payments.work", "below threshold 25: no payment"),
    ]
    assert statement.is_conserved()


def test_more_nights_in_custody_than_the_baseline_pay_nothing_per_night() -> None:
    # Year 3: 100 people at 41.0 nights: 1.0 more a person, an improvement of −1.0.
    statement = run([year(3, 100, "41.0", "20")])
    assert [line.kind for line in statement.lines] == ["service_fee", "clawback"]


def test_the_contract_description_says_what_it_counts_and_which_way_is_better() -> None:
    sections = describe_mechanism(parse_mechanism(custody()))
    measures = next(s["items"] for s in sections if s["title"] == "Outcome measures")
    assert measures[0] == (
        "“bed-nights”: an average per person of the cohort of custody bed nights (lower is "
        "better), compared with a baseline of 40.0."
    )
    payments = next(s["items"] for s in sections if s["title"] == "Outcome payments")
    assert payments[0].endswith(
        "Nothing is paid unless the improvement is at least 2 custody bed nights per person."
    )


def refused(document: dict[str, Any]) -> list[str]:
    with pytest.raises(PaymentsFormatError) as caught:
        parse_mechanism(document)
    return [f"{e.path}: {e.message}" for e in caught.value.errors]


def test_a_quantity_measure_without_its_unit_or_direction_is_refused() -> None:
    unnamed = {k: v for k, v in BED_NIGHTS.items() if k not in ("unit", "better")}
    assert refused(custody(unnamed, DAYS_IN_WORK)) == [
        "measures[0].unit: is required for a quantity measure",
        "measures[0].better: is required for a quantity measure",
    ]
    in_points = {**BED_NIGHTS, "improvement": "percentage_points"}
    assert refused(custody(in_points, DAYS_IN_WORK)) == [
        "measures[0].improvement: must be 'per_person' or 'relative_percent' here"
    ]
    assert refused(custody(BED_NIGHTS, {**DAYS_IN_WORK, "better": "more"})) == [
        'measures[1].better: must be "lower" or "higher"'
    ]
    reoffending = {
        "id": "days-in-work",
        "kind": "binary",
        "comparison": "baseline",
        "improvement": "percentage_points",
        "better": "lower",
    }
    assert refused(custody(BED_NIGHTS, reoffending)) == [
        "measures[1].better: applies only to a quantity measure"
    ]
