"""Inputs to the working-capital stress test (PBR-5): plain dataclasses, checked on creation.

They are independent of the payment-mechanism JSON format (PBR-1) on purpose, so that a mapper
can later build a :class:`Scenario` from a contract's mechanism and supply chain (PBR-4).
Money here is float pounds: the stress test is a simulation, not a payment calculation, and
its answers are probabilities and percentiles, never amounts owed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

DAYS_PER_MONTH = 365.25 / 12
"""Average month length used to turn payment terms in days into a (fractional) month lag."""


class StressInputError(ValueError):
    """An input to the stress test is invalid; the message names the member and the field."""


@dataclass(frozen=True)
class Member:
    """One supply-chain member's costs, volumes, outcomes and payment terms.

    Payment for each referral is ``price_per_referral`` split in three tranches:

    * ``upfront_share`` is invoiced in the month of the referral (attachment/service fee);
    * ``at_risk_share`` is paid only if the person achieves the outcome, invoiced
      ``outcome_lag_months`` after the referral month;
    * the rest (``1 - upfront_share - at_risk_share``) is invoiced in arrears,
      ``delivery_months`` after the referral month.

    A fixed ``service_fee_monthly`` is invoiced every contract month. Invoices are raised
    evenly through their month and each is paid ``payment_terms_days`` later (so 15 days'
    terms move about half a month's invoices into the next month), and the prime keeps
    ``management_fee_share`` of everything it passes down (0 for the prime itself).

    ``referrals_dispersion`` is the gamma shape *k* of the member's referral rate, so a
    month's referrals are negative binomial with variance ``mean + mean**2 / k``;
    ``math.inf`` means a known rate (Poisson counts). ``outcome_rate_concentration`` is
    ``alpha + beta`` of the beta distribution of the member's outcome rate; ``math.inf``
    means the rate is known.
    """

    name: str
    reserves: float
    fixed_costs_monthly: float
    cost_per_referral: float
    referrals_mean: float
    referrals_dispersion: float
    outcome_rate_mean: float
    outcome_rate_concentration: float
    price_per_referral: float
    upfront_share: float
    at_risk_share: float
    outcome_lag_months: int
    payment_terms_days: float
    management_fee_share: float = 0.0
    delivery_months: int = 0
    service_fee_monthly: float = 0.0

    def __post_init__(self) -> None:
        if not self.name:
            raise StressInputError("member name: must not be empty")
        finite_non_negative = (
            "reserves",
            "fixed_costs_monthly",
            "cost_per_referral",
            "referrals_mean",
            "price_per_referral",
            "payment_terms_days",
            "service_fee_monthly",
        )
        for field in finite_non_negative:
            value = getattr(self, field)
            if not math.isfinite(value) or value < 0:
                self._fail(field, f"must be a finite number ≥ 0, got {value!r}")
        for field in ("referrals_dispersion", "outcome_rate_concentration"):
            value = getattr(self, field)
            if math.isnan(value) or value <= 0:
                self._fail(field, f"must be > 0 (math.inf for no uncertainty), got {value!r}")
        for field in ("outcome_rate_mean", "upfront_share", "at_risk_share"):
            value = getattr(self, field)
            if not 0 <= value <= 1:
                self._fail(field, f"must be between 0 and 1, got {value!r}")
        if not 0 <= self.management_fee_share < 1:
            self._fail("management_fee_share", "must be at least 0 and below 1")
        if self.upfront_share + self.at_risk_share > 1 + 1e-12:
            self._fail(
                "upfront_share",
                f"plus at_risk_share must not exceed 1, got "
                f"{self.upfront_share} + {self.at_risk_share}",
            )
        for field in ("outcome_lag_months", "delivery_months"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                self._fail(field, f"must be a whole number of months ≥ 0, got {value!r}")

    def _fail(self, field: str, message: str) -> None:
        raise StressInputError(f"member {self.name!r}: {field} {message}")

    @property
    def arrears_share(self) -> float:
        return max(0.0, 1.0 - self.upfront_share - self.at_risk_share)


@dataclass(frozen=True)
class Scenario:
    """The supply chain to stress, over ``months`` contract months (month 1 is the first)."""

    members: tuple[Member, ...]
    months: int

    def __post_init__(self) -> None:
        if not self.members:
            raise StressInputError("members: at least one member is needed")
        if isinstance(self.months, bool) or not isinstance(self.months, int) or self.months < 1:
            raise StressInputError(f"months: must be a whole number ≥ 1, got {self.months!r}")
        names = [member.name for member in self.members]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise StressInputError(f"members: names must be unique, repeated: {duplicates}")


@dataclass(frozen=True)
class Levers:
    """What-if changes to the mechanism (PBR-5): ``None`` leaves a member's own value.

    ``only`` limits the change to the named members; by default it applies to all.
    """

    upfront_share: float | None = None
    at_risk_share: float | None = None
    payment_terms_days: float | None = None
    only: frozenset[str] | None = None

    def apply(self, scenario: Scenario) -> Scenario:
        known = {member.name for member in scenario.members}
        unknown = sorted(set(self.only or ()) - known)
        if unknown:
            raise StressInputError(f"levers only: unknown members {unknown}")
        return replace(scenario, members=tuple(self._apply(m) for m in scenario.members))

    def _apply(self, member: Member) -> Member:
        if self.only is not None and member.name not in self.only:
            return member
        changes: dict[str, float] = {
            field: value
            for field, value in (
                ("upfront_share", self.upfront_share),
                ("at_risk_share", self.at_risk_share),
                ("payment_terms_days", self.payment_terms_days),
            )
            if value is not None
        }
        return replace(member, **changes)  # type: ignore[arg-type]

    def describe(self) -> str:
        parts = [
            f"{label} {value:g}"
            for label, value in (
                ("up-front share", self.upfront_share),
                ("at-risk share", self.at_risk_share),
                ("payment terms (days)", self.payment_terms_days),
            )
            if value is not None
        ]
        text = ", ".join(parts) or "as agreed"
        if self.only is not None:
            text += f" (for {', '.join(sorted(self.only))})"
        return text
