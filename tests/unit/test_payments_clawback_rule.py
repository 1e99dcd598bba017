"""One rule for the clawback a sub-contractor repays (PBR-4, PBR-5; issue 11 item 13a): the
payment statement and the working-capital stress test agree on the same contract."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from commissioning_analytics.cashflow.from_mechanism import scenario_from_mechanism
from commissioning_analytics.payments import calculate, parse_mechanism, parse_observed
from commissioning_analytics.payments.loader import example_document


def _doncaster_with_a_sub(management_fee: str, at_risk_share: str) -> dict[str, Any]:
    document = copy.deepcopy(example_document("hmp-doncaster"))
    assert isinstance(document, dict)
    document["parties"].append({"id": "catch22", "name": "Catch22", "role": "subcontractor"})
    document["supply_chain"] = [
        {
            "subcontractor": "catch22",
            "service_fee_share": "0.20",
            "management_fee": management_fee,
            "at_risk_share": at_risk_share,
        }
    ]
    return document


@pytest.mark.parametrize(
    ("management_fee", "at_risk_share"), [("0.15", "0.5"), ("0.4", "1"), ("0", "0.25")]
)
def test_statement_and_stress_test_agree_on_what_a_sub_loses_to_a_clawback(
    management_fee: str, at_risk_share: str
) -> None:
    mechanism = parse_mechanism(_doncaster_with_a_sub(management_fee, at_risk_share))
    observed = copy.deepcopy(example_document("hmp-doncaster.observed"))
    statement = calculate(mechanism, parse_observed(observed, mechanism))
    (repaid,) = [x for x in statement.lines if x.kind == "clawback_pass_down"]
    # The statement: 20% of the £100,000 clawback × the at-risk share it carries, net of the
    # management fee (the prime never kept that part of the money for it).
    expected = Decimal(100000) * Decimal("0.20") * Decimal(at_risk_share)
    expected *= 1 - Decimal(management_fee)
    assert repaid.amount == expected.quantize(Decimal("0.01"))

    # The stress test: the sub's at-risk money in a year, at the assumed outcome rate, after
    # the management fee: the same amount it stands to lose when a cohort misses the target.
    (_, sub) = scenario_from_mechanism(mechanism).members
    x = sub.member
    at_risk_a_year = (
        12
        * x.referrals_mean
        * x.outcome_rate_mean
        * x.price_per_referral
        * x.at_risk_share
        * (1 - x.management_fee_share)
    )
    assert at_risk_a_year == pytest.approx(float(repaid.amount), abs=0.01)


def test_a_capped_sliding_clawback_puts_only_its_cap_at_risk_in_the_stress_test() -> None:
    """Issue 15: a sliding scale capped at 60% of the £100,000 at risk. Cohort 2 is 1.7 points
    short at 100% a point (£170,000), capped at £60,000; the sub (20% of the fee, all the risk,
    no management fee) repays £12,000.00, and the stress test puts that much at risk a year."""
    document = _doncaster_with_a_sub("0", "1")
    document["service_fee"]["at_risk"]["sliding_scale"] = {"share_per_unit": "1", "cap": "0.6"}
    mechanism = parse_mechanism(document)
    observed = copy.deepcopy(example_document("hmp-doncaster.observed"))
    statement = calculate(mechanism, parse_observed(observed, mechanism))
    (repaid,) = [x for x in statement.lines if x.kind == "clawback_pass_down"]
    assert repaid.amount == Decimal("12000.00")
    (_, sub) = scenario_from_mechanism(mechanism).members
    x = sub.member
    at_risk_a_year = 12 * x.referrals_mean * x.outcome_rate_mean * x.price_per_referral
    assert at_risk_a_year * x.at_risk_share == pytest.approx(12000.0, abs=0.01)
