"""Money and risk down the chain (PBR-4), the minimum contract value (PBR-6) and payment terms
to sub-contractors (SUP-3), checked against hand-worked figures on the shipped examples.

The illustrative supply chain (``payments/examples/illustrative-supply-chain.json``): a £600,000
a year service fee paid quarterly in arrears with 10% (£60,000) withheld; the housing charity
takes 30% of the service fee and 40% of outcome payments, the women's centre 15% and 10%, both
less a 12% management fee; the housing charity carries 50% of its share of the at-risk money,
the women's centre none. Finances are invented.
"""

from __future__ import annotations

import copy
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import given, settings

from commissioning_analytics.chain import Assumptions, OrgFinances, Policy, chain_risk
from commissioning_analytics.chain.risk import (
    FLAG_MANAGEMENT_FEE,
    FLAG_MINIMUM_VALUE,
    FLAG_PAYMENT_TERMS,
    FLAG_SMALL_CHARITY_RISK,
)
from commissioning_analytics.payments import calculate, load_example, parse_mechanism
from commissioning_analytics.payments.loader import example_document
from commissioning_analytics.payments.observed import parse_observed
from tests.unit.test_payments_conservation import mechanisms, observations

CHAIN = "illustrative-supply-chain"
FINANCES = {
    "prime": OrgFinances(D("5000000"), D("3")),
    "housing-charity": OrgFinances(D("400000"), D("2")),
    "womens-centre": OrgFinances(D("250000"), D("1")),
}
# £36,000 of housing outcome payments and £20,000 for reconvictions prevented a year.
ASSUMED = Assumptions({"housed": D("36000"), "reconviction": D("20000")})


def chain_doc() -> dict[str, Any]:
    doc = example_document(CHAIN)
    assert isinstance(doc, dict)
    return copy.deepcopy(doc)


def codes(result: Any, party: str) -> set[str]:
    return {f.code for f in result.flags_for(party)}


def test_risk_table_at_assumptions_matches_hand_figures() -> None:
    """Guaranteed fee 540,000 (arrears); at risk 60,000 withheld + 56,000 outcomes.
    Housing: 540,000×.3×.88 = 142,560 plus the carried half of its withheld share
    60,000×.3×.88×.5 = 7,920 → arrears 150,480; at risk 7,920 + 56,000×.4×.88 = 19,712 → 27,632.
    Women's centre: 71,280 + 7,920 (all carried) = 79,200 arrears; at risk 56,000×.1×.88 = 4,928.
    Prime keeps the rest: arrears 540,000 − 150,480 − 79,200 = 310,320; at risk
    116,000 − 27,632 − 4,928 = 83,440. Management fees: (180,000 + 22,400)×.12 = 24,288 and
    (90,000 + 5,600)×.12 = 11,472, total 35,760 = 5.45% of 656,000."""
    result = chain_risk(load_example(CHAIN), FINANCES, ASSUMED)

    assert result.basis == "assumptions"
    assert result.chain_value == D("656000.00")
    assert result.management_fee_total == D("35760.00")
    assert result.management_fee_share == D("0.0545")
    housing = result.row("housing-charity")
    assert (housing.up_front, housing.arrears, housing.at_risk) == (
        D("0.00"),
        D("150480.00"),
        D("27632.00"),
    )
    assert housing.expected_receipts == D("178112.00")
    assert housing.at_risk_share == D("0.1551")  # 27,632 / 178,112
    assert housing.at_risk_of_income == D("0.0691")  # 27,632 / 400,000
    assert housing.reserves == D("66666.67")  # 400,000 × 2 / 12
    assert housing.at_risk_of_reserves == D("0.4145")  # 27,632 / 66,666.67
    assert housing.management_fee == D("24288.00")
    assert housing.payment_terms_days == 14
    women = result.row("womens-centre")
    assert (women.arrears, women.at_risk, women.management_fee) == (
        D("79200.00"),
        D("4928.00"),
        D("11472.00"),
    )
    prime = result.row("prime")
    assert (prime.arrears, prime.at_risk) == (D("310320.00"), D("83440.00"))
    assert prime.management_fee == D("35760.00")
    assert prime.at_risk_of_income == D("0.0167")  # 83,440 / 5,000,000
    assert sum(r.expected_receipts for r in result.rows) == result.chain_value


def test_flags_fire_on_the_illustrative_chain() -> None:
    result = chain_risk(load_example(CHAIN), FINANCES, ASSUMED)

    # (a) 6.9% and 2.0% of income at risk against 1.7% for the prime; both are small charities
    assert FLAG_SMALL_CHARITY_RISK in codes(result, "housing-charity")
    assert FLAG_SMALL_CHARITY_RISK in codes(result, "womens-centre")
    # (c) housing has no guarantee; £60,000 < 50% of 2 years × £84,128 = £84,128
    assert FLAG_MINIMUM_VALUE in codes(result, "housing-charity")
    assert FLAG_MINIMUM_VALUE in codes(result, "womens-centre")
    # (b) 12% ≤ 20% and (d) 14 and 30 days ≤ 30: not flagged
    assert not any(f.code in (FLAG_MANAGEMENT_FEE, FLAG_PAYMENT_TERMS) for f in result.flags)
    assert "no guaranteed minimum contract value" in result.summary()
    chart = {bar["party"]: bar for bar in result.chart_data()}
    assert chart["housing-charity"] == {
        "party": "housing-charity",
        "name": "Local housing charity",
        "up_front": "0.00",
        "arrears": "150480.00",
        "at_risk": "27632.00",
        "at_risk_percent_of_income": "6.91",
    }


def test_small_charity_flag_does_not_fire_for_a_large_sub_or_a_lighter_load() -> None:
    finances = dict(FINANCES)
    finances["housing-charity"] = OrgFinances(D("2000000"), D("2"))  # not a small charity
    finances["womens-centre"] = OrgFinances(D("400000"), D("1"))  # 4,928/400,000 = 1.2% < 1.7%
    result = chain_risk(load_example(CHAIN), finances, ASSUMED)

    assert not any(f.code == FLAG_SMALL_CHARITY_RISK for f in result.flags)


def test_missing_finances_give_no_size_figures_and_no_size_flag() -> None:
    result = chain_risk(load_example(CHAIN), {}, ASSUMED)

    assert result.row("housing-charity").at_risk_of_income is None
    assert result.row("housing-charity").is_small_charity is None
    assert not any(f.code == FLAG_SMALL_CHARITY_RISK for f in result.flags)
    assert result.chart_data()[1]["at_risk_percent_of_income"] is None


def test_management_fee_flag_at_40_percent_and_with_a_lower_threshold() -> None:
    doc = chain_doc()
    doc["supply_chain"][0]["management_fee"] = "0.40"
    result = chain_risk(parse_mechanism(doc), FINANCES, ASSUMED)
    assert FLAG_MANAGEMENT_FEE in codes(result, "housing-charity")
    assert FLAG_MANAGEMENT_FEE not in codes(result, "womens-centre")

    strict = Policy(management_fee_threshold=D("0.10"))
    result = chain_risk(load_example(CHAIN), FINANCES, ASSUMED, policy=strict)
    assert FLAG_MANAGEMENT_FEE in codes(result, "womens-centre")


def test_minimum_value_flag_clears_above_the_floor() -> None:
    # floor 30% of £168,256 over the term = £50,476.80 ≤ £60,000
    result = chain_risk(
        load_example(CHAIN), FINANCES, ASSUMED, policy=Policy(minimum_value_floor=D("0.30"))
    )
    assert FLAG_MINIMUM_VALUE not in codes(result, "womens-centre")
    assert FLAG_MINIMUM_VALUE in codes(result, "housing-charity")  # still missing


def test_payment_terms_flag() -> None:
    doc = chain_doc()
    doc["supply_chain"][1]["payment_terms_days"] = 45
    result = chain_risk(parse_mechanism(doc), FINANCES, ASSUMED)
    assert FLAG_PAYMENT_TERMS in codes(result, "womens-centre")
    assert FLAG_PAYMENT_TERMS not in codes(result, "housing-charity")

    result = chain_risk(
        load_example(CHAIN), FINANCES, ASSUMED, policy=Policy(prompt_payment_days=10)
    )
    assert FLAG_PAYMENT_TERMS in codes(result, "housing-charity")  # 14 > 10


def test_clawback_in_advance_passes_down_repayment_net_of_the_management_fee() -> None:
    """Clawback, fee in advance: housing is paid 600,000×.3×.88 = 158,400 up front and repays
    60,000×.3×.5×.88 = 7,920 if the target is missed (net of the management fee, the one rule
    of issue 11 item 13a), so 158,400 − 7,920 = 150,480 is safe and 7,920 + 19,712 = 27,632 at
    risk."""
    doc = chain_doc()
    doc["service_fee"]["timing"] = "advance"
    doc["service_fee"]["at_risk"]["mode"] = "clawback"
    result = chain_risk(parse_mechanism(doc), FINANCES, ASSUMED)
    housing = result.row("housing-charity")
    assert (housing.up_front, housing.arrears, housing.at_risk) == (
        D("150480.00"),
        D("0.00"),
        D("27632.00"),
    )
    assert result.row("prime").up_front == D("540000.00") - D("150480.00") - D("79200.00")


def test_doncaster_prime_alone() -> None:
    """£1m a year in advance, 10% at risk by clawback: 900,000 up front, 100,000 at risk."""
    result = chain_risk(
        load_example("hmp-doncaster"), {"serco-catch22": OrgFinances(D("9000000"), D("2"))}
    )
    (row,) = result.rows
    assert (row.up_front, row.arrears, row.at_risk) == (D("900000.00"), D("0"), D("100000.00"))
    assert (row.up_front_share, row.at_risk_share) == (D("0.9000"), D("0.1000"))
    assert result.management_fee_total == D("0.00")
    assert result.flags == ()
    assert "No flags." in result.summary()


def test_a_capped_sliding_clawback_puts_only_its_cap_at_risk() -> None:
    """Doncaster's 10% (£100,000) on a sliding scale capped at 60%: at most £60,000 can be
    clawed back, so £940,000 is the prime's whatever the results (PBR-1, PBR-4)."""
    doc = example_document("hmp-doncaster")
    assert isinstance(doc, dict)
    doc = copy.deepcopy(doc)
    doc["service_fee"]["at_risk"]["sliding_scale"] = {"share_per_unit": "0.2", "cap": "0.6"}
    result = chain_risk(parse_mechanism(doc), {"serco-catch22": OrgFinances(D("9000000"), D("2"))})
    (row,) = result.rows
    assert (row.up_front, row.at_risk) == (D("940000.00"), D("60000.00"))


def test_volume_fees_split_activity_from_results() -> None:
    """Attachment fees pay for activity (arrears); job outcomes and sustainment for results."""
    assumptions = Assumptions(
        {"attachment": D("40000"), "job-outcome": D("60000"), "sustainment": D("30000")}
    )
    result = chain_risk(load_example("work-programme-jsa-18-24"), {}, assumptions)
    assert (result.rows[0].arrears, result.rows[0].at_risk) == (D("40000.00"), D("90000.00"))

    with pytest.raises(ValueError, match="no-such-fee"):
        chain_risk(load_example("work-programme-jsa-18-24"), {}, Assumptions({"no-such-fee": D(1)}))


def test_social_impact_bond_capital_is_up_front() -> None:
    """£5m of investors' capital over an 8-year term: £625,000 a year up front."""
    result = chain_risk(load_example("peterborough-sib"), {})
    assert result.rows[0].up_front == D("625000.00")


def test_from_statement_is_annualised_and_conserved() -> None:
    """Six months of the illustrative observations, doubled to a year. The funders pay
    £348,500; the prime retains £203,740; the subs receive the other £144,760 (× 2 = £289,520).
    Management fees are reconstructed from pass-down lines: housing 99,572 × 2 × .12/.88 =
    27,156; women's centre 45,188 × 2 × .12/.88 = 12,324."""
    mechanism = load_example(CHAIN)
    observed = parse_observed(example_document(f"{CHAIN}.observed"), mechanism)
    statement = calculate(mechanism, observed)
    result = chain_risk(mechanism, FINANCES, statement=statement)

    assert result.basis == "statement"
    subs = result.row("housing-charity").expected_receipts
    subs += result.row("womens-centre").expected_receipts
    assert subs == (statement.funders_paid() - statement.retained_margin()) * 2 == D("289520.00")
    assert result.row("prime").expected_receipts == statement.retained_margin() * 2
    assert result.chain_value == statement.funders_paid() * 2
    assert result.row("housing-charity").management_fee == D("27156.00")
    assert result.row("womens-centre").management_fee == D("12324.00")
    assert result.management_fee_total == D("39480.00")
    assert result.to_dict()["rows"][1]["at_risk"] == "48664.00"


def test_statement_for_another_mechanism_is_refused() -> None:
    mechanism = load_example("hmp-doncaster")
    statement = calculate(
        mechanism, parse_observed(example_document("hmp-doncaster.observed"), mechanism)
    )
    with pytest.raises(ValueError, match="statement is for"):
        chain_risk(load_example(CHAIN), {}, statement=statement)


@settings(max_examples=60, deadline=None)
@given(mechanisms(), observations())
def test_receipts_down_the_chain_are_conserved(doc: dict[str, Any], obs: Any) -> None:
    """Over the whole 12-month term (no annualising), what the sub-contractors receive equals
    what the funders pay, less what investors receive net and the prime's retained margin."""
    mechanism = parse_mechanism(doc)
    statement = calculate(mechanism, parse_observed(obs, mechanism))
    result = chain_risk(mechanism, {}, statement=statement, periods=12)
    investors = statement.totals()["investor"].net
    subs = sum((r.expected_receipts for r in result.rows if r.role == "subcontractor"), D(0))
    assert subs == statement.funders_paid() - investors - statement.retained_margin()
    assert result.row("prime").expected_receipts == statement.retained_margin()
    for row in result.rows:
        assert row.up_front + row.arrears + row.at_risk == row.expected_receipts


def test_small_charity_threshold_and_validation() -> None:
    assert OrgFinances(D("499999.99"), D(0)).is_small_charity
    assert not OrgFinances(D("500000"), D(0)).is_small_charity
    with pytest.raises(ValueError):
        OrgFinances(D(0), D(1))
    with pytest.raises(ValueError):
        OrgFinances(D(1), D(-1))


def test_summary_without_finances_and_bad_periods() -> None:
    mechanism = load_example(CHAIN)
    assert "finances not given" in chain_risk(mechanism, {}, ASSUMED).summary()
    statement = calculate(
        mechanism, parse_observed(example_document(f"{CHAIN}.observed"), mechanism)
    )
    with pytest.raises(ValueError, match="periods"):
        chain_risk(mechanism, {}, statement=statement, periods=0)
