"""Proportionate selection (EVA-6): the value-band table and refusals of disproportionate
demands, with band edges checked exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commissioning_analytics.evaluation.selection import (
    DEFAULT_POLICY,
    SelectionDemands,
    SelectionError,
    SelectionPolicy,
    ValueBand,
    check_demands,
    questions_for,
    validate_demands,
)

BASIC = ["basic-information", "declarations"]
MID = [*BASIC, "insurance", "financial-standing"]
HIGH = [*MID, "audited-accounts", "quality-standards"]
TOP = [*HIGH, "business-continuity", "supply-chain-management", "carbon-reduction-plan"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.01", BASIC),
        ("99999.99", BASIC),
        ("100000", MID),
        ("999999.99", MID),
        ("1000000", HIGH),
        ("4999999.99", HIGH),
        ("5000000", TOP),
        ("80000000", TOP),
    ],
)
def test_questions_scale_with_value_and_band_edges_are_inclusive(
    value: str, expected: list[str]
) -> None:
    assert list(questions_for(Decimal(value)).question_ids) == expected


def test_each_question_has_its_reason_and_the_summary_reads() -> None:
    requirement = questions_for(Decimal(250_000))
    assert requirement.band.label == "£100,000 to under £1 million a year"
    reasons = {r.question.id: r.reason for r in requirement.questions}
    assert reasons["declarations"] == "required for every bidder, whatever the value"
    assert reasons["insurance"] == "required for annual value of £100,000 or more"
    summary = requirement.summary()
    assert summary.startswith("Selection for a lot of £250,000 a year")
    assert "4 pass/fail questions" in summary
    assert "- Financial standing (proportionate test): required for annual value" in summary


@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_lot_needs_a_positive_value(value: str) -> None:
    with pytest.raises(SelectionError, match="positive annual value"):
        questions_for(Decimal(value))


def test_proportionate_demands_pass() -> None:
    demands = SelectionDemands(
        questions=tuple(MID),
        min_turnover_multiple=Decimal(2),
        min_reserves_months=Decimal(3),
        insurance={
            "public_liability": Decimal(1_000_000),
            "employers_liability": Decimal(5_000_000),
        },
    )
    assert check_demands(demands, Decimal(150_000)) == ()
    validate_demands(demands, Decimal(150_000))


def test_turnover_above_twice_the_annual_value_is_refused() -> None:
    demands = SelectionDemands(min_turnover_multiple=Decimal(3))
    (problem,) = check_demands(demands, Decimal(150_000))
    assert problem == (
        "A minimum turnover of 3× the annual value (£450,000) is more than 2× (£300,000), "
        "the cap after PCR 2015 reg. 58(9)."
    )


def test_insurance_cap_is_a_multiple_of_value_with_floors() -> None:
    value = Decimal(150_000)  # cap: max(5 × 150,000, 1,000,000) = £1,000,000
    refused = SelectionDemands(insurance={"public_liability": Decimal(10_000_000)})
    assert check_demands(refused, value) == (
        "Insurance 'public_liability' of £10,000,000 is more than the £1,000,000 cap for a lot "
        "of £150,000 a year.",
    )
    at_cap = SelectionDemands(insurance={"public_liability": Decimal(1_000_000)})
    assert check_demands(at_cap, value) == ()
    # Employer's liability may always be asked at the statutory £5m, not above it here.
    assert (
        check_demands(
            SelectionDemands(insurance={"employers_liability": Decimal(5_000_000)}), value
        )
        == ()
    )
    assert (
        len(
            check_demands(
                SelectionDemands(insurance={"employers_liability": Decimal(6_000_000)}), value
            )
        )
        == 1
    )
    # At £2m a year the multiple dominates: 5 × £2m = £10m.
    big = SelectionDemands(insurance={"professional_indemnity": Decimal(10_000_000)})
    assert check_demands(big, Decimal(2_000_000)) == ()


def test_questions_above_the_lots_band_are_refused() -> None:
    demands = SelectionDemands(questions=(*BASIC, "audited-accounts"))
    assert check_demands(demands, Decimal(999_999)) == (
        "'Audited accounts or equivalent' is asked only for lots with an annual value of "
        "£1 million or more; this lot is worth £999,999 a year.",
    )
    assert check_demands(demands, Decimal(1_000_000)) == ()


def test_audited_accounts_without_alternatives_and_excess_reserves_are_refused() -> None:
    demands = SelectionDemands(
        questions=("audited-accounts",),
        audited_accounts_alternatives=False,
        min_reserves_months=Decimal(6),
    )
    problems = check_demands(demands, Decimal(2_000_000))
    assert problems == (
        "Free reserves of 6 months of expenditure are more than the 3 months a proportionate "
        "test may ask for.",
        "Audited accounts may be required only from bidders that must have an audit; others "
        "(such as small charities) must be allowed equivalent evidence.",
    )
    with pytest.raises(SelectionError, match=r"^Disproportionate selection demands: Free reserves"):
        validate_demands(demands, Decimal(2_000_000))


def test_unknown_question_is_refused() -> None:
    with pytest.raises(SelectionError, match="No selection question 'site-visit'"):
        check_demands(SelectionDemands(questions=("site-visit",)), Decimal(10_000))


def test_policy_table_is_checked() -> None:
    band = DEFAULT_POLICY.bands[0]
    with pytest.raises(SelectionError, match="must start at £0"):
        SelectionPolicy((ValueBand(Decimal(1), "x", (), "y"),))
    with pytest.raises(SelectionError, match="strictly increasing"):
        SelectionPolicy((band, ValueBand(Decimal(0), "x", (), "y")))
    with pytest.raises(SelectionError, match="added by one band only"):
        SelectionPolicy((band, ValueBand(Decimal(10), "x", band.adds, "y")))
    with pytest.raises(SelectionError, match="turnover_cap_multiple must be positive"):
        SelectionPolicy((band,), turnover_cap_multiple=Decimal(0))


def test_a_stricter_policy_changes_the_caps() -> None:
    policy = SelectionPolicy(DEFAULT_POLICY.bands, turnover_cap_multiple=Decimal("1.5"))
    demands = SelectionDemands(min_turnover_multiple=Decimal(2))
    assert check_demands(demands, Decimal(100_000)) == ()
    (problem,) = check_demands(demands, Decimal(100_000), policy)
    assert "more than 1.5× (£150,000)" in problem


def test_pence_are_shown_only_when_there_are_some() -> None:
    summary = questions_for(Decimal("99999.5")).summary()
    assert summary.startswith("Selection for a lot of £99,999.50 a year (under £100,000 a year)")
