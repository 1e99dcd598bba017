"""The payment mechanism as frozen dataclasses (PBR-1 .. PBR-4, PBR-6).

Built only by :func:`commissioning_analytics.payments.loader.parse_mechanism`, after the document
has passed both the JSON Schema and the cross-reference checks, so every instance is whole.
Money and shares are ``Decimal``; field meanings are documented in ``docs/payments.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

PERIODS_PER_YEAR = {"month": 12, "four_weeks": 13, "quarter": 4, "year": 1}
INSTALMENTS_PER_YEAR = {"monthly": 12, "quarterly": 4, "annual": 1}


class Role(StrEnum):
    COMMISSIONER = "commissioner"
    OUTCOME_PAYER = "outcome_payer"
    PRIME = "prime"
    SUBCONTRACTOR = "subcontractor"
    INVESTOR = "investor"


@dataclass(frozen=True, slots=True)
class Party:
    id: str
    name: str
    role: Role


@dataclass(frozen=True, slots=True)
class Measure:
    """An outcome measure (PBR-2). ``improvement`` says how a result is compared with its
    reference: lower reoffending is better for binary and frequency measures; intermediate
    measures count people achieving an outcome; a quantity measure is an average per person of
    what ``unit`` names (custody bed nights, days in work), ``better`` when lower or higher."""

    id: str
    kind: str  # binary | frequency | intermediate | quantity
    comparison: str | None = None  # baseline | matched_comparison
    improvement: str | None = None  # percentage_points | relative_percent | events_per_100
    # | per_person
    baseline: Decimal | None = None
    indicator: str | None = None
    description: str = ""
    unit: str = ""
    better: str = "lower"  # lower | higher


@dataclass(frozen=True, slots=True)
class SlidingScale:
    """A clawback in proportion to the shortfall against the target, with a cap (PBR-1, PBR-2).

    For each unit of the measure's improvement below the target (a percentage point, an event
    per 100, 1% of the reference), ``share_per_unit`` of the at-risk amount, or
    ``amount_per_unit`` pounds, is repaid; never more than ``cap`` of the at-risk amount.
    Exactly one of the two rates is set (checked by the loader)."""

    share_per_unit: Decimal | None = None
    amount_per_unit: Decimal | None = None
    cap: Decimal = Decimal(1)

    def repayment(self, shortfall: Decimal, at_risk_amount: Decimal) -> Decimal:
        """The unrounded repayment for ``shortfall`` units below the target (never negative)."""
        rate = (
            self.amount_per_unit
            if self.amount_per_unit is not None
            else (self.share_per_unit or Decimal(0)) * at_risk_amount
        )
        return min(max(shortfall, Decimal(0)) * rate, self.cap * at_risk_amount)


@dataclass(frozen=True, slots=True)
class WeightedTarget:
    """One target of the at-risk share (PBR-1, PBR-2): met, it earns ``weight`` of the at-risk
    amount (a single target has weight 1: all or nothing)."""

    measure: str
    target: Decimal
    weight: Decimal = Decimal(1)


@dataclass(frozen=True, slots=True)
class AtRisk:
    """A share of the service fee at risk on a target (PBR-1): clawed back, or withheld.

    Without ``sliding_scale`` a missed target claws back the whole at-risk amount; with it, an
    amount in proportion to the shortfall. Without ``measured_over_years`` each result is judged
    on its own; with it, the results of each window of that many contract years are pooled and
    judged once at the window's end, against the at-risk amount of all its years.

    ``targets`` holds one target (weight 1), or several on different measures whose weights
    add up to 1: each target met earns its weight's share of the at-risk amount (checked by the
    loader never to come with a sliding scale or a window of years)."""

    share: Decimal
    mode: str  # clawback | withheld
    targets: tuple[WeightedTarget, ...]
    sliding_scale: SlidingScale | None = None
    measured_over_years: int | None = None

    @property
    def weighted(self) -> bool:
        """Earned partly on several measures, each with its weight."""
        return len(self.targets) > 1

    @property
    def measure(self) -> str:
        """The measure of a single target (the first target's when ``weighted``)."""
        return self.targets[0].measure

    @property
    def target(self) -> Decimal:
        """The target of a single target (the first target's when ``weighted``)."""
        return self.targets[0].target

    @property
    def most_lost_share(self) -> Decimal:
        """The most of the annual fee a missed target can take: ``share``, or ``share × cap``
        on a sliding scale (the risk table's at-risk money, PBR-4)."""
        return self.share * (self.sliding_scale.cap if self.sliding_scale else Decimal(1))


@dataclass(frozen=True, slots=True)
class ServiceFee:
    payer: str
    annual_value: Decimal
    frequency: str  # monthly | quarterly | annual
    timing: str  # advance | arrears
    at_risk: AtRisk | None = None


@dataclass(frozen=True, slots=True)
class YearTariffs:
    """The tariffs that apply from contract year ``from_year`` onwards (PBR-1, PBR-3), until a
    later entry's year: the default ``tariff`` and the tariffs by need group, all of them."""

    from_year: int
    tariff: Decimal
    need_group_tariffs: dict[str, Decimal] = field(default_factory=dict)


def contract_year(period: str, period_number: int) -> int:
    """The contract year a period falls in: periods 1 to (periods a year) are year 1, and so on
    (a year of ``four_weeks`` periods is 13 of them)."""
    return (period_number - 1) // PERIODS_PER_YEAR[period] + 1


def _tariff_in_year(
    tariff: Decimal,
    need_group_tariffs: dict[str, Decimal],
    tariffs_by_year: tuple[YearTariffs, ...],
    need_group: str | None,
    year: int,
) -> Decimal:
    """The tariff for ``need_group`` in contract ``year``: that of the latest entry of
    ``tariffs_by_year`` starting in or before the year, or the year-1 tariffs."""
    for entry in reversed(tariffs_by_year):
        if entry.from_year <= year:
            tariff, need_group_tariffs = entry.tariff, entry.need_group_tariffs
            break
    if need_group is None:
        return tariff
    return need_group_tariffs.get(need_group, tariff)


@dataclass(frozen=True, slots=True)
class OutcomePayment:
    """Outcome payments on one measure (PBR-1, PBR-2), tariffs by need group (PBR-3); with
    ``tariffs_by_year``, tariffs that change from a later contract year."""

    id: str
    measure: str
    payer: str
    basis: str  # per_person_achieving | per_unit_improvement | fixed
    tariff: Decimal
    need_group_tariffs: dict[str, Decimal] = field(default_factory=dict)
    cohorts: tuple[str, ...] | None = None
    threshold: Decimal | None = None
    floor: Decimal | None = None
    cap: Decimal | None = None
    total_cap: Decimal | None = None
    tariffs_by_year: tuple[YearTariffs, ...] = ()

    def tariff_for(self, need_group: str | None, year: int = 1) -> Decimal:
        """The tariff for ``need_group`` (``None``: the default) in contract ``year``."""
        return _tariff_in_year(
            self.tariff, self.need_group_tariffs, self.tariffs_by_year, need_group, year
        )


@dataclass(frozen=True, slots=True)
class VolumeFee:
    """A fee per event (attachment, job outcome, sustainment …), optionally limited to
    ``max_units_per_person`` units for each person counted by ``per_person_event``; with
    ``tariffs_by_year``, tariffs that change from a later contract year."""

    id: str
    event: str
    payer: str
    tariff: Decimal
    need_group_tariffs: dict[str, Decimal] = field(default_factory=dict)
    max_units_per_person: int | None = None
    per_person_event: str | None = None
    tariffs_by_year: tuple[YearTariffs, ...] = ()

    def tariff_for(self, need_group: str | None, year: int = 1) -> Decimal:
        """The tariff for ``need_group`` (``None``: the default) in contract ``year``."""
        return _tariff_in_year(
            self.tariff, self.need_group_tariffs, self.tariffs_by_year, need_group, year
        )


@dataclass(frozen=True, slots=True)
class SocialImpactBond:
    """Investors fund the prime; the outcome payer repays investors on triggers (PBR-1)."""

    investor: str
    outcome_payer: str
    capital: tuple[tuple[int, Decimal], ...]
    measure: str
    tariff: Decimal
    final_period: int
    single_cohort_threshold: Decimal | None = None
    all_cohorts_threshold: Decimal | None = None
    max_return: Decimal | None = None
    cap: Decimal | None = None


@dataclass(frozen=True, slots=True)
class SubcontractTerms:
    """What the prime passes to one sub-contractor (PBR-4) and what it guarantees (PBR-6).

    ``service_fee_value`` is money promised: the service fee passed to it a year, after the
    management fee. When it is given, ``service_fee_share`` is derived from it (exactly, not
    rounded) for what follows the fee: releases, clawbacks, capital and the risk table.

    ``attributed_outcome_payment_share`` and ``attributed_volume_fee_share``, when given, take
    the place of the share of everything: the sub-contractor is passed that share of the
    outcome payments or volume fees its own participants earned (by the delivering organisation
    of each result and event), less the management fee."""

    subcontractor: str
    service_fee_share: Decimal = Decimal(0)
    service_fee_value: Decimal | None = None
    outcome_payment_share: Decimal = Decimal(0)
    volume_fee_share: Decimal = Decimal(0)
    attributed_outcome_payment_share: Decimal | None = None
    attributed_volume_fee_share: Decimal | None = None
    management_fee: Decimal = Decimal(0)
    at_risk_share: Decimal = Decimal(1)
    minimum_contract_value: Decimal | None = None
    payment_terms_days: int = 30

    @property
    def at_risk_borne(self) -> Decimal:
        """The share of the service fee's at-risk money this sub-contractor bears (PBR-4):
        its service-fee share × the share of the risk passed down to it × (1 − management fee).

        The one rule for a clawback passed down (``docs/payments.md``): it is net of the
        management fee, because the prime kept that part of the money and never passed it on;
        a sub-contractor never repays more than it was paid. The payment statement
        (:mod:`..payments.chain`) and the stress test (:mod:`..cashflow.from_mechanism`)
        both use it."""
        return self.service_fee_share * self.at_risk_share * (1 - self.management_fee)


@dataclass(frozen=True, slots=True)
class Mechanism:
    format_version: int
    id: str
    name: str
    period: str
    term_periods: int
    parties: tuple[Party, ...]
    commissioner: str
    prime: str
    payment_terms_days: int = 30
    measures: dict[str, Measure] = field(default_factory=dict)
    service_fee: ServiceFee | None = None
    outcome_payments: tuple[OutcomePayment, ...] = ()
    volume_fees: tuple[VolumeFee, ...] = ()
    social_impact_bond: SocialImpactBond | None = None
    supply_chain: tuple[SubcontractTerms, ...] = ()
    description: str = ""
    source: str = ""

    def party(self, party_id: str) -> Party:
        return next(p for p in self.parties if p.id == party_id)

    def max_volume_payment_per_person(self, need_group: str | None = None) -> Decimal:
        """The most the volume fees can pay for one person: each fee once, or
        ``max_units_per_person`` times (DWP Work Programme: £400 + £1,200 + 13 × £170)."""
        return sum(
            (
                fee.tariff_for(need_group) * (fee.max_units_per_person or 1)
                for fee in self.volume_fees
            ),
            Decimal(0),
        )
