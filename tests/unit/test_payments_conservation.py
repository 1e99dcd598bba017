"""Money is conserved to the penny (PBR-4): under any valid mechanism and observations, what the
funders pay equals what the prime keeps plus what the sub-contractors and investors receive; every
line is a whole number of pence; and no sub-contractor falls below its guarantee (PBR-6)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from commissioning_analytics.payments import calculate, parse_mechanism, parse_observed
from commissioning_analytics.payments.money import PENNY

money = st.decimals(min_value=0, max_value=2_000_000, places=2).map(str)
share = st.decimals(min_value=0, max_value=1, places=3).map(str)
rate = st.decimals(min_value=Decimal("0.5"), max_value=99, places=1).map(str)


@st.composite
def at_risk_terms(draw: st.DrawFn) -> dict[str, Any]:
    """Clawback whole or on a sliding scale (issue 15), or withheld; per result or pooled over
    the year."""
    terms: dict[str, Any] = {"mode": draw(st.sampled_from(["clawback", "withheld"]))}
    if terms["mode"] == "clawback" and draw(st.booleans()):
        rate = (
            {"share_per_unit": draw(share)}
            if draw(st.booleans())
            else {"amount_per_unit": draw(money)}
        )
        terms["sliding_scale"] = {**rate, "cap": draw(share)}
    if draw(st.booleans()):
        terms["measured_over_years"] = 1
    return terms


@st.composite
def mechanisms(draw: st.DrawFn) -> dict[str, Any]:
    subs = draw(st.integers(min_value=0, max_value=4))
    parties = [
        {"id": "commissioner", "name": "C", "role": "commissioner"},
        {"id": "payer", "name": "Outcome payer", "role": "outcome_payer"},
        {"id": "prime", "name": "P", "role": "prime"},
        {"id": "investor", "name": "I", "role": "investor"},
    ]
    chain = []
    remaining = {"service_fee_share": 1, "outcome_payment_share": 1, "volume_fee_share": 1}
    for n in range(subs):
        parties.append({"id": f"sub{n}", "name": f"Sub {n}", "role": "subcontractor"})
        terms: dict[str, Any] = {"subcontractor": f"sub{n}"}
        for key, left in remaining.items():
            value = draw(st.decimals(min_value=0, max_value=left, places=3))
            remaining[key] = left - value
            terms[key] = str(value)
        terms["management_fee"] = draw(share)
        terms["at_risk_share"] = draw(share)
        terms["payment_terms_days"] = draw(st.integers(0, 90))
        if draw(st.booleans()):
            terms["minimum_contract_value"] = draw(money)
        chain.append(terms)
    return {
        "format_version": 1,
        "id": "random",
        "name": "Random mechanism",
        "period": "month",
        "term_periods": 12,
        "parties": parties,
        "measures": [
            {"id": "housed", "kind": "intermediate"},
            {
                "id": "reconviction",
                "kind": "binary",
                "comparison": "baseline",
                "improvement": draw(st.sampled_from(["percentage_points", "relative_percent"])),
                "baseline": "50.0",
            },
        ],
        "service_fee": {
            "annual_value": draw(money),
            "frequency": draw(st.sampled_from(["monthly", "quarterly", "annual"])),
            "timing": draw(st.sampled_from(["advance", "arrears"])),
            "at_risk": {
                "share": draw(share),
                "measure": draw(st.sampled_from(["housed", "reconviction"])),
                "target": draw(st.sampled_from(["2.0", "5.0", "30"])),
                **draw(at_risk_terms()),
            },
        },
        "outcome_payments": [
            {
                "id": "housed",
                "measure": "housed",
                "payer": "payer",
                "basis": "per_person_achieving",
                "tariff": draw(money),
                "need_group_tariffs": {"high": draw(money)},
                "cap": draw(money),
            },
            {
                "id": "fewer",
                "measure": "reconviction",
                "basis": draw(st.sampled_from(["per_unit_improvement", "fixed"])),
                "tariff": draw(money),
                "threshold": "1.0",
                "total_cap": draw(money),
            },
        ],
        "volume_fees": [{"id": "attach", "event": "attachment", "tariff": draw(money)}],
        "social_impact_bond": {
            "investor": "investor",
            "outcome_payer": "payer",
            "capital": [{"period": 1, "amount": draw(money)}],
            "measure": "reconviction",
            "tariff": draw(money),
            "single_cohort_threshold": "8",
            "all_cohorts_threshold": "4",
            "final_period": 12,
            "max_return": draw(share),
        },
        "supply_chain": chain,
    }


@st.composite
def observations(draw: st.DrawFn) -> dict[str, Any]:
    periods = []
    for n in sorted(draw(st.sets(st.integers(1, 12), min_size=1, max_size=12))):
        size = draw(st.integers(1, 500))
        high = draw(st.integers(0, size))
        outcomes = [
            {
                "measure": "housed",
                "cohort": f"h{n}",
                "cohort_size": size,
                "achieved": {"high": high, "standard": draw(st.integers(0, size - high))},
            },
            {
                "measure": "reconviction",
                "cohort": f"r{n}",
                "cohort_size": size,
                "observed": draw(rate),
            },
        ]
        periods.append(
            {
                "period": n,
                "start": f"2026-{n:02d}-01",
                "end": f"2026-{n:02d}-28",
                "outcomes": draw(st.lists(st.sampled_from(outcomes), max_size=2, unique_by=str)),
                "volumes": [{"event": "attachment", "count": draw(st.integers(0, 300))}],
            }
        )
    return {"format_version": 1, "mechanism": "random", "periods": periods}


@settings(max_examples=150, deadline=None)
@given(mechanisms(), observations())
def test_money_is_conserved_to_the_penny(mechanism_doc: dict[str, Any], observed_doc: Any) -> None:
    mechanism = parse_mechanism(mechanism_doc)
    statement = calculate(mechanism, parse_observed(observed_doc, mechanism))

    assert all(
        line.amount > 0 and line.amount == line.amount.quantize(PENNY) for line in statement.lines
    )
    assert statement.is_conserved()
    for period in {line.period for line in statement.lines}:
        totals = statement.totals(period)
        funders = -(totals["commissioner"].net + totals["payer"].net)
        chain = sum(t.net for p, t in totals.items() if p not in ("commissioner", "payer"))
        assert funders == chain
    # The prime keeps what it is paid less what it passes down, repays and tops up.
    prime = statement.retained_margin()
    received = sum(x.amount for x in statement.lines if x.payee == "prime")
    paid = sum(x.amount for x in statement.lines if x.payer == "prime")
    assert prime == received - paid
    subs = [t.subcontractor for t in mechanism.supply_chain]
    totals = statement.totals()
    assert statement.funders_paid() == (
        prime + sum(totals[s].net for s in subs) + totals["investor"].net
    )


@settings(max_examples=75, deadline=None)
@given(mechanisms(), observations())
def test_no_sub_contractor_falls_below_its_guarantee(mechanism_doc: Any, observed_doc: Any) -> None:
    mechanism = parse_mechanism(mechanism_doc)
    statement = calculate(mechanism, parse_observed(observed_doc, mechanism))
    for terms in mechanism.supply_chain:
        if terms.minimum_contract_value is None:
            continue
        net = Decimal(0)
        for period in sorted({line.period for line in statement.lines}):
            net += statement.totals(period)[terms.subcontractor].net
            guaranteed = terms.minimum_contract_value * period / mechanism.term_periods
            assert net >= guaranteed.quantize(PENNY)
