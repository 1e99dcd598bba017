"""Clawback in proportion to the shortfall against a target, with a cap (PBR-1, PBR-2; issue 15).

HMP Doncaster's terms with a sliding scale instead of all-or-nothing: £1,000,000 a year, 10% at
risk (£100,000) on a 5-percentage-point cut against the 58.0% baseline. Every figure below is
worked out by hand in the test's comment.
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
from commissioning_analytics.payments.model import SlidingScale


def doncaster(**scale: str) -> dict[str, Any]:
    raw = example_document("hmp-doncaster")
    assert isinstance(raw, dict)
    document = copy.deepcopy(raw)
    if scale:
        document["service_fee"]["at_risk"]["sliding_scale"] = scale
    return document


def statement_for(document: dict[str, Any], observed: str, cohort_size: int = 1000) -> Statement:
    mechanism = parse_mechanism(document)
    outcome = {
        "measure": "binary-reconviction",
        "cohort": "1",
        "cohort_size": cohort_size,
        "observed": observed,
    }
    period = {"period": 1, "start": "2011-10-01", "end": "2012-09-30", "outcomes": [outcome]}
    observed_doc = {"format_version": 1, "mechanism": mechanism.id, "periods": [period]}
    return calculate(mechanism, parse_observed(observed_doc, mechanism))


def clawbacks(statement: Statement) -> list[Decimal]:
    return [line.amount for line in statement.lines if line.kind == "clawback"]


SCALE = {"share_per_unit": "0.2", "cap": "0.6"}
"""20% of the £100,000 at risk (£20,000) for each percentage point short, at most 60%
(£60,000)."""


def test_at_the_target_nothing_is_clawed_back() -> None:
    # 58.0 − 53.0 = 5.0 points: exactly the target.
    statement = statement_for(doncaster(**SCALE), "53.0")
    assert clawbacks(statement) == []
    assert [line.amount for line in statement.lines] == [Decimal("1000000.00")]
    assert "target 5.0 met: nothing repaid" in statement.notes[0].explanation


def test_above_the_target_nothing_is_clawed_back() -> None:
    # 58.0 − 52.3 = 5.7 points.
    statement = statement_for(doncaster(**SCALE), "52.3")
    assert clawbacks(statement) == []
    assert statement.notes[0].rule == "service_fee.at_risk"


def test_below_the_target_repays_in_proportion_to_the_shortfall() -> None:
    # 58.0 − 54.7 = 3.3 points, 1.7 short: 1.7 × 20% × £100,000 = £34,000.00.
    statement = statement_for(doncaster(**SCALE), "54.7")
    assert clawbacks(statement) == [Decimal("34000.00")]
    line = next(line for line in statement.lines if line.kind == "clawback")
    assert (line.payer, line.payee) == ("serco-catch22", "moj")
    assert "missed by 1.7" in line.explanation
    assert "20% of the £100,000.00 at risk for each percentage point short" in line.explanation
    assert "capped" not in line.explanation
    assert statement.funders_paid() == Decimal("966000.00")


def test_far_below_the_target_repays_no_more_than_the_cap() -> None:
    # 58.0 − 57.0 = 1.0 point, 4.0 short: 4 × £20,000 = £80,000, capped at 60% = £60,000.00.
    statement = statement_for(doncaster(**SCALE), "57.0")
    assert clawbacks(statement) == [Decimal("60000.00")]
    assert "capped at 60% of the £100,000.00 at risk (£60,000.00)" in statement.lines[1].explanation


def test_worse_than_the_baseline_repays_the_whole_at_risk_amount_without_a_cap() -> None:
    # 58.0 − 60.0 = −2.0 points, 7.0 short: 7 × £20,000 = £140,000, capped at 100% = £100,000.
    statement = statement_for(doncaster(share_per_unit="0.2"), "60.0")
    assert clawbacks(statement) == [Decimal("100000.00")]


def test_money_per_unit_short_is_rounded_once_half_up() -> None:
    # 1.7 points short × £12,345.67 = £20,987.639 → £20,987.64 (ROUND_HALF_UP, once).
    statement = statement_for(doncaster(amount_per_unit="12345.67"), "54.7")
    assert clawbacks(statement) == [Decimal("20987.64")]
    assert "£12,345.67 for each percentage point short" in statement.lines[1].explanation


def test_all_or_nothing_is_unchanged_without_a_sliding_scale() -> None:
    # The stored version-1 rule: any miss repays the whole 10% (£100,000.00).
    assert clawbacks(statement_for(doncaster(), "54.7")) == [Decimal("100000.00")]


def test_a_sliding_clawback_passes_down_net_of_the_management_fee() -> None:
    # £34,000 × 50% fee share × 100% risk passed down × (1 − 10% management fee) = £15,300.00.
    document = doncaster(**SCALE)
    document["parties"].append({"id": "sub", "name": "Sub", "role": "subcontractor"})
    document["supply_chain"] = [
        {"subcontractor": "sub", "service_fee_share": "0.5", "management_fee": "0.1"}
    ]
    statement = statement_for(document, "54.7")
    passed = [line.amount for line in statement.lines if line.kind == "clawback_pass_down"]
    assert passed == [Decimal("15300.00")]
    assert statement.is_conserved()


def test_sliding_scale_parses_with_a_default_cap_of_the_whole_at_risk_amount() -> None:
    mechanism = parse_mechanism(doncaster(share_per_unit="0.25"))
    assert mechanism.service_fee is not None and mechanism.service_fee.at_risk is not None
    scale = mechanism.service_fee.at_risk.sliding_scale
    assert scale == SlidingScale(share_per_unit=Decimal("0.25"), cap=Decimal(1))
    assert scale.repayment(Decimal("-1"), Decimal("100000")) == 0


@pytest.mark.parametrize(
    ("scale", "mode", "expected"),
    [
        (
            {"share_per_unit": "0.2", "amount_per_unit": "100.00"},
            "clawback",
            "service_fee.at_risk.sliding_scale: must give either share_per_unit or "
            "amount_per_unit (not both)",
        ),
        (
            {"cap": "0.5"},
            "clawback",
            "service_fee.at_risk.sliding_scale: must give either share_per_unit",
        ),
        (
            {"share_per_unit": "0.2", "cap": "1.5"},
            "clawback",
            "service_fee.at_risk.sliding_scale.cap: must be a share between 0 and 1",
        ),
        (
            {"share_per_unit": "0.2"},
            "withheld",
            'service_fee.at_risk.mode: must be "clawback" for a sliding scale',
        ),
    ],
)
def test_a_sliding_scale_that_is_not_whole_is_refused(
    scale: dict[str, str], mode: str, expected: str
) -> None:
    document = doncaster(**scale)
    document["service_fee"]["at_risk"]["mode"] = mode
    with pytest.raises(PaymentsFormatError) as caught:
        parse_mechanism(document)
    assert any(str(error).startswith(expected) for error in caught.value.errors), [
        str(e) for e in caught.value.errors
    ]
