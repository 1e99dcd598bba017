"""A target, and its clawback or withheld share, measured over several contract years (PBR-1,
PBR-2; issue 15): the results of each window of years are pooled, weighted by cohort size, and
judged once. Every figure is worked out by hand in the test's comment.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from commissioning_analytics.payments import (
    PaymentsFormatError,
    Statement,
    calculate,
    parse_mechanism,
    parse_observed,
)
from commissioning_analytics.payments.loader import example_document


def doncaster(**at_risk: Any) -> dict[str, Any]:
    """HMP Doncaster's terms: £1,000,000 a year, 10% at risk on a 5-point cut against 58.0%."""
    raw = example_document("hmp-doncaster")
    assert isinstance(raw, dict)
    document = copy.deepcopy(raw)
    document["service_fee"]["at_risk"].update(at_risk)
    return document


def year(period: int, cohort_size: int, observed: str) -> dict[str, Any]:
    outcome = {
        "measure": "binary-reconviction",
        "cohort": str(period),
        "cohort_size": cohort_size,
        "observed": observed,
    }
    start, end = f"{2010 + period}-10-01", f"{2011 + period}-09-30"
    return {"period": period, "start": start, "end": end, "outcomes": [outcome]}


# Years 1 and 2: 1,000 people at 52.0% (6.0 points) and 500 at 56.0% (2.0 points): pooled,
# (52.0 × 1,000 + 56.0 × 500) / 1,500 = 53.333…%, an improvement of 4.666… points: missed by
# 0.333…. Years 3 and 4: 52.0% and 53.0% for 1,000 each: pooled 52.5%, 5.5 points: met.
FOUR_YEARS = [year(1, 1000, "52.0"), year(2, 500, "56.0"), year(3, 1000, "52.0")]
FOUR_YEARS.append(year(4, 1000, "53.0"))


def run(document: dict[str, Any], periods: list[dict[str, Any]]) -> Statement:
    mechanism = parse_mechanism(document)
    observed = {"format_version": 1, "mechanism": mechanism.id, "periods": periods}
    return calculate(mechanism, parse_observed(observed, mechanism))


def clawbacks(statement: Statement) -> list[tuple[int, Decimal]]:
    return [(line.period, line.amount) for line in statement.lines if line.kind == "clawback"]


def test_each_result_on_its_own_repays_a_year_for_the_one_cohort_that_missed() -> None:
    # Without the window: year 2's 2.0 points misses, repaying 10% × £1,000,000 = £100,000.00.
    assert clawbacks(run(doncaster(), FOUR_YEARS)) == [(2, Decimal("100000.00"))]


def test_over_two_years_the_pooled_result_misses_and_repays_both_years_at_risk() -> None:
    # Years 1–2 pooled miss: 10% × 2 years × £1,000,000 = £200,000.00, judged in year 2.
    # Years 3–4 pooled meet the target: nothing, and a note in year 4.
    statement = run(doncaster(measured_over_years=2), FOUR_YEARS)
    assert clawbacks(statement) == [(2, Decimal("200000.00"))]
    line = next(line for line in statement.lines if line.kind == "clawback")
    assert line.explanation.startswith(
        "contract years 1 to 2, cohorts 1, 2 pooled: 53.33% vs baseline 58.0%, "
        "improvement 4.7 percentage points; target 5.0 missed"
    )
    assert "repays 10% of 2 years' service fee of £1,000,000.00 a year" in line.explanation
    assert [(n.period, n.explanation.endswith("met: nothing repaid")) for n in statement.notes] == [
        (4, True)
    ]
    assert statement.is_conserved()


def test_over_two_years_on_a_sliding_scale_the_pooled_shortfall_sets_the_repayment() -> None:
    # 0.333… points short × 20% × £200,000 at risk over the two years = £13,333.333… → £13,333.33.
    scale = {"share_per_unit": "0.2"}
    statement = run(doncaster(measured_over_years=2, sliding_scale=scale), FOUR_YEARS)
    assert clawbacks(statement) == [(2, Decimal("13333.33"))]
    assert "missed by 0.3" in statement.lines[2].explanation


def test_a_window_whose_last_period_is_not_observed_is_judged_in_the_next_observed_one() -> None:
    # Year 2 not observed: years 1–2 are cohort 1 alone (6.0 points, met), judged in year 3.
    periods = [FOUR_YEARS[0], FOUR_YEARS[2]]
    statement = run(doncaster(measured_over_years=2), periods)
    assert clawbacks(statement) == []
    assert [n.period for n in statement.notes] == [3]
    assert statement.notes[0].explanation.startswith("contract years 1 to 2, cohort 1:")


def test_the_last_window_can_be_shorter_than_the_others() -> None:
    # Windows of 3 years in a 4-year term: years 1–3 (pooled 53.0…) and year 4 alone.
    # Years 1–3: (52,000 + 28,000 + 52,000) / 2,500 = 52.8%, 5.2 points: met.
    # Year 4 at 56.0% (2.0 points) misses: one year's 10% × £1,000,000 = £100,000.00.
    periods = [*FOUR_YEARS[:3], year(4, 1000, "56.0")]
    statement = run(doncaster(measured_over_years=3), periods)
    assert clawbacks(statement) == [(4, Decimal("100000.00"))]
    assert "contract year 4, cohort 4" in statement.lines[-1].explanation
    assert "a year's service fee" in statement.lines[-1].explanation


def withheld_over_a_year() -> dict[str, Any]:
    """£400,000 a year, paid quarterly in arrears (£100,000), 10% (£10,000) withheld on 40% of
    each cohort housed, judged over each contract year of 4 quarters; 2 years."""
    return {
        "format_version": 1,
        "id": "housing",
        "name": "Housing, judged a year at a time",
        "period": "quarter",
        "term_periods": 8,
        "payment_terms_days": 30,
        "parties": [
            {"id": "c", "name": "Commissioner", "role": "commissioner"},
            {"id": "p", "name": "Prime", "role": "prime"},
        ],
        "measures": [{"id": "housed", "kind": "intermediate"}],
        "service_fee": {
            "annual_value": "400000.00",
            "frequency": "quarterly",
            "timing": "arrears",
            "at_risk": {
                "share": "0.10",
                "mode": "withheld",
                "measure": "housed",
                "target": "40",
                "measured_over_years": 1,
            },
        },
    }


def quarter(n: int, housed: int | None = None) -> dict[str, Any]:
    year_, month = 2026 + (n - 1) // 4, 1 + 3 * ((n - 1) % 4)
    period: dict[str, Any] = {
        "period": n,
        "start": f"{year_}-{month:02d}-01",
        "end": f"{year_}-{month + 2:02d}-28",
    }
    if housed is not None:
        outcome = {"measure": "housed", "cohort": f"q{n}", "cohort_size": 100}
        period["outcomes"] = [{**outcome, "achieved": {"all": housed}}]
    return period


def test_a_withheld_share_over_a_year_is_forfeited_or_released_on_the_pooled_result() -> None:
    # Year 1: 50 of 100 housed in quarter 2 (would meet 40% alone), 20 of 100 in quarter 4:
    # pooled 70 / 200 = 35%, missed: the 4 × £10,000 = £40,000 withheld is forfeited.
    # Year 2: 60 and 30 of 100: 90 / 200 = 45%, met: the £40,000 withheld is released in
    # quarter 8. Each quarter pays £90,000.
    periods = [quarter(1), quarter(2, 50), quarter(3), quarter(4, 20)]
    periods += [quarter(5), quarter(6, 60), quarter(7), quarter(8, 30)]
    statement = run(withheld_over_a_year(), periods)
    fees = [line.amount for line in statement.lines if line.kind == "service_fee"]
    assert fees == [Decimal("90000.00")] * 8
    releases = [
        (line.period, line.amount) for line in statement.lines if line.kind == "fee_release"
    ]
    assert releases == [(8, Decimal("40000.00"))]
    (forfeit,) = statement.notes
    assert forfeit.period == 4
    assert forfeit.explanation.startswith(
        "contract year 1, cohorts q2, q4 pooled: 70 of 200 achieved (35.0% achieving); target 40"
    )
    assert "the £40,000.00 withheld is forfeited" in forfeit.explanation
    assert statement.funders_paid() == Decimal("760000.00")


def test_years_must_be_a_whole_number_of_at_least_one() -> None:
    with pytest.raises(PaymentsFormatError) as caught:
        parse_mechanism(doncaster(measured_over_years=0))
    assert [str(e) for e in caught.value.errors] == [
        "service_fee.at_risk.measured_over_years: must be a whole number of at least 1"
    ]
