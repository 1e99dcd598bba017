"""The cost of staff transferring under TUPE (PRO-10): an estimate bidders can price on.

A specification lists the staff expected to transfer as anonymised rows (a role, how many
people, their salary, weekly hours, pension arrangement, length of service and age). For each
row and for the whole transfer this works out:

* the **annual employment cost**: salary, plus employer's National Insurance (Class 1
  secondary contributions at ``employer_ni_rate`` on pay above the secondary threshold, per
  person), plus the employer's pension contribution at the row's stated rate of salary;
* the **pension cost over the contract**: the employer's contributions for the contract's
  length;
* the **redundancy exposure** at the contract's end: statutory redundancy pay if everyone in
  the row were made redundant when the contract ends — for each full year of service (the most
  recent ``max_years_counted`` years), half a week's pay for a year worked under 22, one week's
  pay for a year worked aged 22 to 40, one and a half weeks' pay for a year worked aged 41 or
  over, with a week's pay capped at ``redundancy_weekly_pay_cap``; nothing for less than
  ``qualifying_years`` of service.

The rates are those in force from 6 April 2025 (:data:`RATES_FROM_6_APRIL_2025`) and are named
in :meth:`TupeRates.assumptions`, shown beside the estimate. Contractual redundancy terms,
pension deficits (for example an admitted body's share of a defined-benefit fund), pay rises
and the Employment Allowance are not included. Money is ``Decimal``; each figure shown is
quantised once, to the penny, rounding half up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

PENNY = Decimal("0.01")
WEEKS_PER_YEAR = Decimal(52)


class PensionScheme(StrEnum):
    """The pension arrangement staff transfer with."""

    DEFINED_BENEFIT = "defined_benefit"
    DEFINED_CONTRIBUTION = "defined_contribution"
    NONE = "none"


class TupeInputError(ValueError):
    """A staff row or rate is impossible; the message names the field."""


@dataclass(frozen=True)
class TupeRates:
    """The statutory figures the estimate uses, and the date they apply from."""

    in_force_from: str
    employer_ni_rate: Decimal
    ni_secondary_threshold: Decimal
    redundancy_weekly_pay_cap: Decimal
    max_years_counted: int = 20
    qualifying_years: int = 2

    def assumptions(self) -> tuple[str, ...]:
        threshold = f"£{self.ni_secondary_threshold:,.0f}"
        cap = f"£{self.redundancy_weekly_pay_cap:,.0f}"
        return (
            f"Employer's National Insurance at {self.employer_ni_rate * 100:g}% of each "
            f"person's pay above {threshold} a year (rates from {self.in_force_from}); "
            "the Employment Allowance is not taken off.",
            "Employer's pension contributions at the rate stated for each row, as a share of "
            "salary; any deficit in a defined-benefit fund is not included.",
            "Salaries as stated, with no pay rises over the contract.",
            f"Redundancy exposure is statutory redundancy pay if everyone were made redundant "
            f"when the contract ends: for each full year of service (at most "
            f"{self.max_years_counted}), half a week's pay for a year worked under 22, a "
            f"week's pay aged 22 to 40 and one and a half weeks' pay aged 41 or over, with a "
            f"week's pay capped at {cap} (from {self.in_force_from}); nothing for less than "
            f"{self.qualifying_years} years' service. Contractual redundancy terms may cost more.",
        )


RATES_FROM_6_APRIL_2025 = TupeRates(
    in_force_from="6 April 2025",
    employer_ni_rate=Decimal("0.15"),
    ni_secondary_threshold=Decimal("5000"),
    redundancy_weekly_pay_cap=Decimal("719"),
)


@dataclass(frozen=True)
class StaffGroup:
    """One anonymised row: ``headcount`` people in ``role`` on the same terms.

    ``annual_salary`` is each person's actual pay a year; ``employer_pension_rate`` is the
    employer's contribution as a fraction of salary (0 when there is no pension); ``age`` is
    the row's typical age now, in whole years.
    """

    role: str
    headcount: int
    annual_salary: Decimal
    weekly_hours: Decimal
    pension: PensionScheme
    employer_pension_rate: Decimal
    years_of_service: int
    age: int

    def __post_init__(self) -> None:
        if self.headcount < 1:
            raise TupeInputError("headcount: must be at least 1")
        if self.annual_salary < 0:
            raise TupeInputError("annual_salary: must not be negative")
        if not 0 < self.weekly_hours <= 168:
            raise TupeInputError("weekly_hours: must be more than 0 and at most 168")
        if not 0 <= self.employer_pension_rate <= 1:
            raise TupeInputError("employer_pension_rate: must be between 0 and 1")
        if self.pension == PensionScheme.NONE and self.employer_pension_rate:
            raise TupeInputError("employer_pension_rate: must be 0 when there is no pension")
        if self.years_of_service < 0:
            raise TupeInputError("years_of_service: must not be negative")
        if not 16 <= self.age <= 100:
            raise TupeInputError("age: must be between 16 and 100")
        if self.years_of_service > self.age - 16:
            raise TupeInputError("years_of_service: cannot start before the age of 16")


@dataclass(frozen=True)
class GroupCost:
    """One row's annual costs (all its people) and its redundancy exposure at the end."""

    group: StaffGroup
    annual_salary: Decimal
    employer_ni: Decimal
    employer_pension: Decimal
    annual_cost: Decimal
    redundancy_weeks: Decimal
    redundancy_exposure: Decimal


@dataclass(frozen=True)
class TupeEstimate:
    """The transfer's cost over a contract of ``contract_months``."""

    contract_months: int
    groups: tuple[GroupCost, ...]
    staff: int
    annual_salary: Decimal
    annual_employer_ni: Decimal
    annual_employer_pension: Decimal
    annual_cost: Decimal
    pension_cost_over_contract: Decimal
    redundancy_exposure: Decimal
    assumptions: tuple[str, ...]

    @property
    def monthly_cost(self) -> Decimal:
        return _money(self.annual_cost / 12)


def redundancy_weeks(age_at_end: int, years_of_service: int, rates: TupeRates) -> Decimal:
    """Weeks of statutory redundancy pay for someone ``age_at_end`` with ``years_of_service``
    full years, counting back from the most recent year."""
    if years_of_service < rates.qualifying_years:
        return Decimal(0)
    weeks = Decimal(0)
    for back in range(min(years_of_service, rates.max_years_counted)):
        age_that_year = age_at_end - 1 - back
        if age_that_year >= 41:
            weeks += Decimal("1.5")
        elif age_that_year >= 22:
            weeks += Decimal(1)
        else:
            weeks += Decimal("0.5")
    return weeks


def estimate(
    groups: tuple[StaffGroup, ...] | list[StaffGroup],
    contract_months: int,
    rates: TupeRates = RATES_FROM_6_APRIL_2025,
) -> TupeEstimate:
    """The annual employment cost, pension cost and redundancy exposure of ``groups`` over a
    contract of ``contract_months`` (PRO-10)."""
    if contract_months < 1:
        raise TupeInputError("contract_months: must be at least 1")
    years_at_end = contract_months // 12
    exact: list[tuple[StaffGroup, Decimal, Decimal, Decimal, Decimal, Decimal]] = []
    for group in groups:
        people = Decimal(group.headcount)
        salary = group.annual_salary * people
        above = max(group.annual_salary - rates.ni_secondary_threshold, Decimal(0))
        ni = above * rates.employer_ni_rate * people
        pension = group.annual_salary * group.employer_pension_rate * people
        weeks = redundancy_weeks(
            group.age + years_at_end, group.years_of_service + years_at_end, rates
        )
        week_pay = min(group.annual_salary / WEEKS_PER_YEAR, rates.redundancy_weekly_pay_cap)
        exact.append((group, salary, ni, pension, weeks, weeks * week_pay * people))
    salary_total = sum((row[1] for row in exact), Decimal(0))
    ni_total = sum((row[2] for row in exact), Decimal(0))
    pension_total = sum((row[3] for row in exact), Decimal(0))
    redundancy_total = sum((row[5] for row in exact), Decimal(0))
    return TupeEstimate(
        contract_months=contract_months,
        groups=tuple(
            GroupCost(
                group=group,
                annual_salary=_money(salary),
                employer_ni=_money(ni),
                employer_pension=_money(pension),
                annual_cost=_money(salary + ni + pension),
                redundancy_weeks=weeks,
                redundancy_exposure=_money(redundancy),
            )
            for group, salary, ni, pension, weeks, redundancy in exact
        ),
        staff=sum(group.headcount for group in groups),
        annual_salary=_money(salary_total),
        annual_employer_ni=_money(ni_total),
        annual_employer_pension=_money(pension_total),
        annual_cost=_money(salary_total + ni_total + pension_total),
        pension_cost_over_contract=_money(pension_total * contract_months / 12),
        redundancy_exposure=_money(redundancy_total),
        assumptions=rates.assumptions(),
    )


def _money(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)
