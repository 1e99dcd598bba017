"""The TUPE liability estimate (PRO-10) on a hand-made staff table, checked against figures
worked out by hand at the rates from 6 April 2025 (15% employer's NI above £5,000 a year;
statutory redundancy with a week's pay capped at £719, at most 20 years counted)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commissioning_analytics.tupe import (
    RATES_FROM_6_APRIL_2025,
    PensionScheme,
    StaffGroup,
    TupeInputError,
    estimate,
    redundancy_weeks,
)

CASEWORKERS = StaffGroup(
    role="Caseworker",
    headcount=3,
    annual_salary=Decimal("30000"),
    weekly_hours=Decimal("37.5"),
    pension=PensionScheme.DEFINED_BENEFIT,
    employer_pension_rate=Decimal("0.20"),
    years_of_service=10,
    age=45,
)
ADMINISTRATOR = StaffGroup(
    role="Administrator",
    headcount=1,
    annual_salary=Decimal("20000"),
    weekly_hours=Decimal("22.5"),
    pension=PensionScheme.DEFINED_CONTRIBUTION,
    employer_pension_rate=Decimal("0.03"),
    years_of_service=1,
    age=30,
)
MANAGER = StaffGroup(
    role="Service manager",
    headcount=1,
    annual_salary=Decimal("52000"),
    weekly_hours=Decimal("37.5"),
    pension=PensionScheme.DEFINED_BENEFIT,
    employer_pension_rate=Decimal("0.20"),
    years_of_service=25,
    age=60,
)


def test_the_estimate_matches_the_hand_figures_for_a_three_year_contract() -> None:
    """By hand, per person a year: caseworker 30,000 + NI (25,000 × 15% = 3,750) + pension
    6,000 = 39,750, three of them 119,250; administrator 20,000 + 2,250 + 600 = 22,850; manager
    52,000 + 7,050 + 10,400 = 69,450. Total 211,550 a year.

    Redundancy when the contract ends after 3 years: a caseworker is then 48 with 13 years
    (ages 47…41 at 1.5 weeks = 10.5, ages 40…35 at 1 week = 6: 16.5 weeks) of £576.92 a week;
    three of them 16.5 × 30,000 / 52 × 3 = 28,557.69. The administrator is 33 with 4 years:
    4 weeks × 20,000 / 52 = 1,538.46. The manager is 63 with 28 years, 20 counted, all aged 41
    or over: 30 weeks at the £719 cap (not £1,000) = 21,570. Total 51,666.15."""
    result = estimate([CASEWORKERS, ADMINISTRATOR, MANAGER], contract_months=36)

    assert result.staff == 5
    assert [g.annual_cost for g in result.groups] == [
        Decimal("119250.00"),
        Decimal("22850.00"),
        Decimal("69450.00"),
    ]
    assert result.annual_salary == Decimal("162000.00")
    assert result.annual_employer_ni == Decimal("20550.00")
    assert result.annual_employer_pension == Decimal("29000.00")
    assert result.annual_cost == Decimal("211550.00")
    assert result.monthly_cost == Decimal("17629.17")
    assert result.pension_cost_over_contract == Decimal("87000.00")
    assert [g.redundancy_weeks for g in result.groups] == [
        Decimal("16.5"),
        Decimal("4"),
        Decimal("30"),
    ]
    assert [g.redundancy_exposure for g in result.groups] == [
        Decimal("28557.69"),
        Decimal("1538.46"),
        Decimal("21570.00"),
    ]
    assert result.redundancy_exposure == Decimal("51666.15")
    assert any("6 April 2025" in line and "£719" in line for line in result.assumptions)


def test_redundancy_needs_two_years_service_and_counts_half_weeks_under_22() -> None:
    rates = RATES_FROM_6_APRIL_2025
    assert redundancy_weeks(25, 1, rates) == 0
    # Aged 23 with 4 years: the years at 22 (1 week) and at 21, 20, 19 (half a week each).
    assert redundancy_weeks(23, 4, rates) == Decimal("2.5")


def test_a_short_contract_leaves_service_below_the_qualifying_period() -> None:
    result = estimate([ADMINISTRATOR], contract_months=11)
    assert result.redundancy_exposure == 0
    assert result.pension_cost_over_contract == Decimal("550.00")  # 600 × 11 / 12


def test_impossible_rows_are_refused_with_the_field_named() -> None:
    with pytest.raises(TupeInputError, match="employer_pension_rate"):
        StaffGroup("Cook", 1, Decimal(1), Decimal(10), PensionScheme.NONE, Decimal("0.05"), 0, 30)
    with pytest.raises(TupeInputError, match="years_of_service"):
        StaffGroup("Cook", 1, Decimal(1), Decimal(10), PensionScheme.NONE, Decimal(0), 20, 30)
