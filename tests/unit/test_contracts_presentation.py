"""What the contract pages show, from the core's results (PBR-1 .. PBR-6, SUP-1, SUP-3): the
mechanism in plain English, statement blocks that add up, risk rows and stress summaries."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from commissioning.contracts import presentation
from commissioning.contracts.describe import describe_mechanism, subcontract_sentence
from commissioning_analytics.cashflow.from_mechanism import scenario_from_mechanism
from commissioning_analytics.cashflow.stress import what_if
from commissioning_analytics.cashflow.stress_inputs import Levers
from commissioning_analytics.chain import OrgFinances, chain_risk
from commissioning_analytics.payments import (
    calculate,
    load_example,
    parse_mechanism,
    parse_observed,
)
from commissioning_analytics.payments.loader import example_document
from commissioning_analytics.payments.money import pounds

ILLUSTRATIVE = "illustrative-supply-chain"


def statement_of(name: str) -> tuple:
    mechanism = load_example(name)
    observed = parse_observed(example_document(f"{name}.observed"), mechanism)
    return mechanism, observed, calculate(mechanism, observed)


def section(sections: list[dict], title: str) -> list[str]:
    return next(s["items"] for s in sections if s["title"] == title)


def test_mechanism_sections_in_plain_english() -> None:
    sections = describe_mechanism(load_example(ILLUSTRATIVE))
    titles = [s["title"] for s in sections]
    assert titles == [
        "Term and parties",
        "Service fee",
        "Outcome payments",
        "Outcome measures",
        "Supply chain terms",
    ]
    assert "The contract runs for 24 months." in section(sections, "Term and parties")
    fee = section(sections, "Service fee")
    assert fee[0] == (
        "Police and Crime Commissioner pays a service fee of £600,000.00 a year, quarterly, "
        "in arrears."
    )
    assert fee[1].startswith("10% of each instalment is withheld")
    housed, reconviction = section(sections, "Outcome payments")
    assert "£300.00 (£750.00 for the high-need group) for each person achieving" in housed
    assert "One evaluation pays at most £40,000.00." in housed
    assert "at least 2.0 percentage points" in reconviction
    assert "at least £5,000.00" in reconviction
    assert "at most £150,000.00 over the contract" in reconviction


def test_clawback_sib_and_volume_fees_are_described() -> None:
    doncaster = describe_mechanism(load_example("hmp-doncaster"))
    assert "by clawback" in " ".join(section(doncaster, "Service fee"))
    sib = " ".join(
        section(describe_mechanism(load_example("peterborough-sib")), "Social impact bond")
    )
    assert "social investor" in sib and "Trigger:" in sib
    work = " ".join(
        section(describe_mechanism(load_example("work-programme-jsa-18-24")), "Volume fees")
    )
    assert "for each job outcome" in work and "At most 13" in work


def test_a_sliding_clawback_is_described_with_its_rate_and_cap() -> None:
    """PBR-1: the page says how much is repaid per point short and the most it can be."""
    document = example_document("hmp-doncaster")
    assert isinstance(document, dict)
    document = {**document, "service_fee": {**document["service_fee"]}}
    document["service_fee"]["at_risk"] = {
        **document["service_fee"]["at_risk"],
        "sliding_scale": {"share_per_unit": "0.2", "cap": "0.6"},
    }
    text = " ".join(section(describe_mechanism(parse_mechanism(document)), "Service fee"))
    assert "10% of the fee (£100,000.00 a year) is at risk by clawback on a sliding scale" in text
    assert "repays 20% of it for each percentage point short" in text
    assert "at most £60,000.00 (60% of the amount at risk)" in text


def test_a_target_measured_over_several_years_says_so() -> None:
    """PBR-1: a target judged over two contract years is described as such."""
    document = example_document("hmp-doncaster")
    assert isinstance(document, dict)
    document = {**document, "service_fee": {**document["service_fee"]}}
    document["service_fee"]["at_risk"] = {
        **document["service_fee"]["at_risk"],
        "measured_over_years": 2,
    }
    text = " ".join(section(describe_mechanism(parse_mechanism(document)), "Service fee"))
    assert "The target is judged once for each 2 contract years, at the end" in text


def test_tariffs_by_contract_year_are_described_after_the_first_year_s() -> None:
    """PBR-1, PBR-3: a rule's later tariffs are said with the year they start."""
    document = example_document("work-programme-jsa-18-24")
    assert isinstance(document, dict)
    fee = {**document["volume_fees"][0]}
    fee["tariffs_by_year"] = [{"from_year": 2, "tariff": "450.00"}]
    document = {**document, "volume_fees": [fee, *document["volume_fees"][1:]]}
    text = " ".join(section(describe_mechanism(parse_mechanism(document)), "Volume fees"))
    assert "for each attachment. From contract year 2 the tariff is £450.00." in text


def test_weighted_targets_say_what_each_measure_earns() -> None:
    """PBR-1, PBR-2: an at-risk share earned partly on several measures."""
    document = example_document("hmp-doncaster")
    assert isinstance(document, dict)
    measure = document["service_fee"]["at_risk"]["measure"]
    at_risk = {"share": "0.10", "mode": "clawback"}
    at_risk["targets"] = [
        {"measure": measure, "target": "4.0", "weight": "0.6"},
        {"measure": "housed", "target": "40", "weight": "0.4"},
    ]
    document = {
        **document,
        "measures": [*document["measures"], {"id": "housed", "kind": "intermediate"}],
        "service_fee": {**document["service_fee"], "at_risk": at_risk},
    }
    text = " ".join(section(describe_mechanism(parse_mechanism(document)), "Service fee"))
    assert (
        "10% of the fee is at risk by clawback: the prime repays the share not earned, judged "
        f"when a result on each measure is in. Each target met earns its weight: 60% on "
        f"“{measure}” reaching 4.0; 40% on “housed” reaching 40."
    ) in text


def test_subcontract_sentence_names_every_term() -> None:
    mechanism = load_example(ILLUSTRATIVE)
    women = next(t for t in mechanism.supply_chain if t.subcontractor == "womens-centre")
    text = subcontract_sentence(mechanism, women)
    assert text == (
        "Women's centre gets 15% of the service fee, 10% of the outcome payments, less a "
        "management fee of 12% kept by the prime; it carries 0% of its share of the money at "
        "risk; £60,000.00 is guaranteed over the term; it is paid 30 days after the prime."
    )


@pytest.mark.parametrize("name", ["illustrative-supply-chain", "hmp-doncaster", "peterborough-sib"])
def test_statement_blocks_show_every_line_and_the_cores_totals(name: str) -> None:
    mechanism, observed, statement = statement_of(name)
    periods = presentation.statement_periods(mechanism, observed, statement)
    assert [p["period"] for p in periods] == [p.period for p in observed.periods]
    shown = sum(len(b["lines"]) for p in periods for b in p["parties"])
    assert shown == 2 * len(statement.lines)  # each line is in its payer's and payee's block
    for period in periods:
        assert period["conservation"]["conserved"]
        for block in period["parties"]:
            totals = statement.totals(period["period"])[block["party"]]
            assert block["received"] == pounds(totals.received)
            assert block["paid"] == pounds(totals.paid)
    overall = presentation.statement_totals(mechanism, statement)["conservation"]
    assert overall["funders_paid"] == pounds(statement.funders_paid())
    assert overall["retained_margin"] == presentation.signed_pounds(statement.retained_margin())


def test_party_rows_join_the_bid_to_the_mechanism() -> None:
    mechanism = load_example(ILLUSTRATIVE)
    linked = [
        SimpleNamespace(
            party_id="housing-charity",
            organisation=None,
            services="Housing advice",
            promised_referrals_per_year=100,
            promised_value_per_year=Decimal("50000"),
        )
    ]
    rows = presentation.party_rows(mechanism, linked)
    assert [r["party"] for r in rows] == ["pcc", "prime", "housing-charity", "womens-centre"]
    housing = rows[2]
    assert housing["role"] == "Sub-contractor"
    assert housing["services"] == "Housing advice"
    assert housing["promised_value"] == "£50,000.00"
    assert ("Minimum contract value", "None guaranteed") in housing["terms"]
    assert ("Paid after the prime", "14 days") in housing["terms"]
    assert rows[0]["terms"] is None


def test_risk_rows_carry_flags_and_unknown_finances() -> None:
    mechanism = load_example(ILLUSTRATIVE)
    finances = {
        "prime": OrgFinances(Decimal("20000000"), Decimal("3")),
        "housing-charity": OrgFinances(Decimal("250000"), Decimal("2")),
    }
    risk = chain_risk(mechanism, finances)
    rows = {r["party"]: r for r in presentation.risk_rows(risk)}
    assert rows["womens-centre"]["income"] == "Not known"
    assert rows["womens-centre"]["small_charity"] == "Not known"
    assert rows["housing-charity"]["small_charity"] == "Yes"
    assert rows["housing-charity"]["flags"] == [
        f.message for f in risk.flags_for("housing-charity")
    ]
    assert any("small charity" in f for f in rows["housing-charity"]["flags"])
    assert rows["prime"]["role"] == "Prime contractor"


def test_stress_rows_compare_baseline_and_what_if() -> None:
    mapping = scenario_from_mechanism(load_example(ILLUSTRATIVE))
    result = what_if(mapping.scenario, Levers(payment_terms_days=150), seed=1, paths=200, workers=1)
    names = {m.party: m.name for m in mapping.members}
    rows = presentation.stress_rows(result, names, changed=True)
    assert [r["name"] for r in rows] == [m.name for m in mapping.members]
    for row, base in zip(rows, result.baseline.members, strict=True):
        assert row["baseline"] == f"{base.ruin_probability:.1%}"
    assert all(r["change"] for r in rows)
    unchanged = presentation.stress_rows(result, names, changed=False)
    assert all(r["variant"] is None for r in unchanged)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "no change"),
        (0.1234, "up 12.3 percentage points"),
        (-0.05, "down 5.0 percentage points"),
    ],
)
def test_probability_change(value: float, text: str) -> None:
    assert presentation.probability_change(value) == text


def test_ruin_months() -> None:
    assert presentation.ruin_months(None) == "Never, in any simulated path"
    assert presentation.ruin_months((4, 9, 15)) == "Typically month 9 (between months 4 and 15)"


def test_mechanism_kind_for_the_list() -> None:
    assert (
        presentation.mechanism_kind(example_document(ILLUSTRATIVE))
        == "Service fee (10% at risk), outcome payments"
    )
    assert "Social impact bond" in presentation.mechanism_kind(example_document("peterborough-sib"))
    assert presentation.mechanism_kind(None) == "Not known"
