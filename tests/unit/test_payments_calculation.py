"""Payment calculation: fees, at-risk shares, outcome tariffs, supply chain (PBR-1, PBR-3, PBR-4,
PBR-6), rounding once per line with ROUND_HALF_UP, and the statement."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from commissioning_analytics.payments import (
    Statement,
    calculate,
    load_example,
    parse_mechanism,
    parse_observed,
)
from commissioning_analytics.payments.loader import example_document


def document(name: str) -> dict[str, Any]:
    raw = example_document(name)
    assert isinstance(raw, dict)
    return copy.deepcopy(raw)


def months(count: int, **extra: Any) -> list[dict[str, Any]]:
    periods = []
    for n in range(1, count + 1):
        start = date(2026, n, 1) if n <= 12 else date(2027, n - 12, 1)
        end = date(2026, n, 28) if n <= 12 else date(2027, n - 12, 28)
        periods.append({"period": n, "start": start.isoformat(), "end": end.isoformat()})
        periods[-1].update(extra.get(str(n), {}))
    return periods


def run(mechanism_doc: dict[str, Any], periods: list[dict[str, Any]]) -> Statement:
    mechanism = parse_mechanism(mechanism_doc)
    observed = {"format_version": 1, "mechanism": mechanism.id, "periods": periods}
    return calculate(mechanism, parse_observed(observed, mechanism))


def simple_fee(**fee: Any) -> dict[str, Any]:
    return {
        "format_version": 1,
        "id": "fee",
        "name": "Fee only",
        "period": "month",
        "term_periods": 12,
        "payment_terms_days": 30,
        "parties": [
            {"id": "c", "name": "Commissioner", "role": "commissioner"},
            {"id": "p", "name": "Prime", "role": "prime"},
        ],
        "service_fee": {"annual_value": "1200.00", "frequency": "quarterly", **fee},
    }


def test_quarterly_fee_in_advance_falls_in_months_1_4_7_10_on_the_first_day() -> None:
    statement = run(simple_fee(timing="advance"), months(12))
    assert [(line.period, line.amount) for line in statement.lines] == [
        (1, Decimal("300.00")),
        (4, Decimal("300.00")),
        (7, Decimal("300.00")),
        (10, Decimal("300.00")),
    ]
    assert statement.lines[0].due == date(2026, 1, 1)


def test_quarterly_fee_in_arrears_falls_at_quarter_end_plus_payment_terms() -> None:
    statement = run(simple_fee(timing="arrears"), months(6))
    assert [line.period for line in statement.lines] == [3, 6]
    assert statement.lines[0].due == date(2026, 4, 27)  # 28 March + 30 days


def test_each_line_is_rounded_once_half_up_to_the_penny() -> None:
    mechanism = simple_fee(timing="advance")
    mechanism["service_fee"].update(annual_value="0.10")  # £0.025 a quarter
    (line,) = run(mechanism, months(1)).lines
    assert line.amount == Decimal("0.03")  # half-even would give 0.02
    mechanism["service_fee"].update(annual_value="1000.00", frequency="monthly")
    (line,) = run(mechanism, months(1)).lines
    assert line.amount == Decimal("83.33")


def illustrative() -> Statement:
    mechanism = load_example("illustrative-supply-chain")
    observed = parse_observed(document("illustrative-supply-chain.observed"), mechanism)
    return calculate(mechanism, observed)


def test_withheld_share_is_released_when_the_target_is_met_and_forfeited_when_missed() -> None:
    statement = illustrative()
    fees = [line for line in statement.lines if line.kind == "service_fee"]
    assert [line.amount for line in fees] == [Decimal("135000.00")] * 2  # 90% of £150,000
    (release,) = [line for line in statement.lines if line.kind == "fee_release"]
    assert (release.period, release.amount) == (3, Decimal("15000.00"))
    assert "37 of 80 achieved (46.2% achieving); target 40 met" in release.explanation
    forfeit = [n for n in statement.notes if n.rule == "service_fee.at_risk"]
    assert [n.period for n in forfeit] == [6]
    assert "£15,000.00 withheld is forfeited" in forfeit[0].explanation


def test_outcome_tariffs_differ_by_need_group() -> None:
    statement = illustrative()
    housed = [x for x in statement.lines if x.kind == "outcome_payment" and x.payee == "prime"]
    housed = [x for x in housed if x.rule == "outcome_payments.housed"]
    assert [line.amount for line in housed] == [
        Decimal("16500.00"),  # 12 × £750 (high need) + 25 × £300
        Decimal("12000.00"),  # 8 × £750 + 20 × £300
    ]
    assert "12 × £750.00 (high-need) + 25 × £300.00 (standard)" in housed[0].explanation


def reconviction_periods(size: int, observed: str) -> list[dict[str, Any]]:
    outcome = {
        "measure": "binary-reconviction",
        "cohort": "a",
        "cohort_size": size,
        "observed": observed,
        "reference": "45.0",
    }
    return months(1, **{"1": {"outcomes": [outcome]}})


def reconviction_lines(size: int, observed: str, **rule: str) -> tuple[list[Any], Statement]:
    mechanism = document("illustrative-supply-chain")
    mechanism["outcome_payments"][1].update(rule)
    statement = run(mechanism, reconviction_periods(size, observed))
    lines = [x for x in statement.lines if x.kind == "outcome_payment"]
    return lines, statement


@pytest.mark.parametrize(
    ("size", "observed", "expected"),
    [
        (400, "41.5", Decimal("35000.00")),  # 3.5 points × 400 / 100 = 14 people × £2,500
        (100, "42.9", Decimal("5250.00")),  # 2.1 people × £2,500
        (50, "42.9", Decimal("5000.00")),  # 1.05 × £2,500 = £2,625, raised to the floor
        (4000, "30.0", Decimal("150000.00")),  # 600 people: the total cap
    ],
)
def test_per_unit_outcome_payment_with_floor_and_cap(
    size: int, observed: str, expected: Decimal
) -> None:
    lines, _ = reconviction_lines(size, observed)
    assert [line.amount for line in lines] == [expected]


def test_below_threshold_pays_nothing_and_says_why() -> None:
    lines, statement = reconviction_lines(400, "43.1")
    assert lines == []
    (note,) = [n for n in statement.notes if n.rule == "outcome_payments.reconviction"]
    assert "improvement 1.9 percentage points; below threshold 2.0: no payment" in note.explanation


def test_per_evaluation_cap() -> None:
    mechanism = document("illustrative-supply-chain")
    outcome = {
        "measure": "settled-accommodation",
        "cohort": "big",
        "cohort_size": 200,
        "achieved": {"high-need": 100},
    }
    statement = run(mechanism, months(1, **{"1": {"outcomes": [outcome]}}))
    (line,) = [x for x in statement.lines if x.kind == "outcome_payment"]
    assert line.amount == Decimal("40000.00")  # 100 × £750 = £75,000, capped
    assert "capped at £40,000.00" in line.explanation


def test_prime_passes_shares_down_less_management_fee() -> None:
    statement = illustrative()
    first = [x for x in statement.lines if x.period == 3 and x.payee == "housing-charity"]
    # 30% of (£135,000 paid + 50% of the £15,000 withheld the prime carries) less 12%.
    assert first[0].amount == Decimal("37620.00")
    # 30% of the £15,000 release × the 50% of risk passed down, less 12%.
    assert first[1].amount == Decimal("1980.00")
    # 40% of the £16,500 outcome payment less 12%.
    assert first[2].amount == Decimal("5808.00")
    assert all(x.due == date(2026, 8, 13) for x in first)  # prime paid 30 July + 14 days


def test_clawback_passes_the_at_risk_share_down() -> None:
    mechanism = document("hmp-doncaster")
    mechanism["parties"].append({"id": "catch22", "name": "Catch22", "role": "subcontractor"})
    mechanism["supply_chain"] = [
        {"subcontractor": "catch22", "service_fee_share": "0.20", "at_risk_share": "0.5"}
    ]
    mechanism_ = parse_mechanism(mechanism)
    statement = calculate(
        mechanism_, parse_observed(document("hmp-doncaster.observed"), mechanism_)
    )
    (repaid,) = [x for x in statement.lines if x.kind == "clawback_pass_down"]
    assert (repaid.payer, repaid.payee, repaid.amount) == (
        "catch22",
        "serco-catch22",
        Decimal("10000.00"),  # 20% × 50% of the £100,000 clawback
    )
    assert statement.totals()["catch22"].net == Decimal("390000.00")
    assert statement.is_conserved()


def test_minimum_contract_value_tops_up_then_nets_off() -> None:
    statement = illustrative()
    lines = [x for x in statement.lines if x.rule.startswith("supply_chain.minimum")]
    assert [(x.period, x.kind, x.amount) for x in lines] == [
        (1, "minimum_value_top_up", Decimal("2500.00")),
        (2, "minimum_value_top_up", Decimal("2500.00")),
        (3, "minimum_value_offset", Decimal("5000.00")),
    ]


def test_a_sub_contractor_with_no_referrals_still_gets_its_minimum() -> None:
    mechanism = document("illustrative-supply-chain")
    mechanism["supply_chain"][1].update(service_fee_share="0", outcome_payment_share="0")
    statement = run(mechanism, months(24))
    centre = [x for x in statement.lines if x.payee == "womens-centre"]
    assert len(centre) == 24
    assert sum(x.amount for x in centre) == Decimal("60000.00")


def test_statement_as_json() -> None:
    data = illustrative().to_dict()
    json.dumps(data)  # JSON-ready
    assert data["rounding"] == "ROUND_HALF_UP"
    assert data["conserved"] is True
    assert data["funders_paid"] == data["chain_received"] == "348500.00"
    first = data["lines"][0]
    assert first["amount"] == "2500.00"
    assert first["due"] == "2026-05-30"
    totals = {t["party"]: t for t in data["totals"]}
    assert totals["pcc"]["net"] == "-348500.00"


def test_observations_for_another_mechanism_are_refused() -> None:
    mechanism = load_example("hmp-doncaster")
    observed = parse_observed(document("hmp-doncaster.observed"), mechanism)
    with pytest.raises(ValueError, match="not 'peterborough-sib'"):
        calculate(load_example("peterborough-sib"), observed)


def test_social_impact_bond_repayments_stop_at_the_cap() -> None:
    mechanism = document("peterborough-sib")
    mechanism["social_impact_bond"].update(tariff="20000.00", max_return="0.50")
    observed = document("peterborough-sib.observed")
    observed["periods"][4]["outcomes"][0]["observed"] = "100"  # 35.5% fewer events
    statement = run(mechanism, observed["periods"])
    (payment,) = [x for x in statement.lines if x.kind == "sib_outcome_payment"]
    # 550 events prevented × £20,000 = £11m; capital £5m × (1 + 50%) = £7.5m < the £8m cap.
    assert payment.amount == Decimal("7500000.00")
    assert "limited by the repayment cap of £7,500,000.00, return at most 50%" in (
        payment.explanation
    )
    assert statement.totals()["investors"].net == Decimal("2500000.00")


def test_social_impact_bond_with_only_an_all_cohorts_trigger_waits_for_the_end() -> None:
    mechanism = document("peterborough-sib")
    del mechanism["social_impact_bond"]["single_cohort_threshold"]
    observed = document("peterborough-sib.observed")
    observed["periods"][4]["outcomes"][0]["observed"] = "100"
    statement = run(mechanism, observed["periods"])
    assert [x for x in statement.lines if x.kind == "sib_outcome_payment"] == []
    assert statement.notes == ()


def test_minimum_value_offset_is_due_no_earlier_than_the_pass_downs_it_is_netted_against() -> None:
    """PBR-6, issue 11 item 12: the offset was due on 30 July, the pass-downs on 29 August."""
    statement = illustrative()
    (offset,) = [x for x in statement.lines if x.kind == "minimum_value_offset"]
    pass_downs = [
        x
        for x in statement.lines
        if x.kind == "pass_down" and x.payee == offset.payer and x.period == offset.period
    ]
    assert pass_downs
    assert offset.due == max(x.due for x in pass_downs) == date(2026, 8, 29)
