"""Inputs to the chain-risk table (PBR-4, PBR-6, SUP-3): organisations' finances, the
assumptions that turn a mechanism into expected annual money, and the policy thresholds.

Formulas and defaults are documented in ``docs/chain-risk.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from commissioning_analytics.payments.money import to_penny

SMALL_CHARITY_INCOME = Decimal("500000")
"""A small charity has an annual income below £500,000."""

MONTHS_PER_YEAR = Decimal(12)


@dataclass(frozen=True, slots=True)
class OrgFinances:
    """An organisation's size: annual income (£) and its free reserves in months of
    expenditure, the one definition of reserves on the platform (the directory, the synthetic
    market, the risk table and the stress test). The directory records income, not
    expenditure, so a month of expenditure is taken as a twelfth of the annual income."""

    annual_income: Decimal
    reserves_months: Decimal

    def __post_init__(self) -> None:
        if self.annual_income <= 0:
            raise ValueError("annual_income must be more than £0")
        if self.reserves_months < 0:
            raise ValueError("reserves_months must not be negative")

    @property
    def is_small_charity(self) -> bool:
        return self.annual_income < SMALL_CHARITY_INCOME

    @property
    def reserves(self) -> Decimal:
        """Free reserves in pounds, ``annual_income × reserves_months / 12``, to the penny: the
        one figure both the risk table and the stress test show."""
        return to_penny(self.annual_income * self.reserves_months / MONTHS_PER_YEAR)


@dataclass(frozen=True, slots=True)
class Assumptions:
    """What the contract is expected to earn in a year beyond its service fee.

    ``expected_annual`` maps an outcome payment id or a volume fee id of the mechanism to the
    pounds the prime expects to be paid under that rule in a year (e.g. 120 people housed ×
    £300). The service fee and any social impact bond capital come from the mechanism itself.
    At these assumptions every target is met, so the at-risk money is paid in full.
    """

    expected_annual: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Policy:
    """Policy thresholds for the flags.

    - ``management_fee_threshold``: a sub-contractor's management fee above this share of its
      gross share is flagged (primes have taken up to 40%, PBR-4).
    - ``minimum_value_floor``: a sub-contractor's guaranteed minimum contract value below this
      share of its expected receipts over the term is flagged, as is a missing one (PBR-6).
    - ``prompt_payment_days``: payment terms to a sub-contractor longer than this are flagged
      (SUP-3).
    """

    management_fee_threshold: Decimal = Decimal("0.20")
    minimum_value_floor: Decimal = Decimal("0.50")
    prompt_payment_days: int = 30
