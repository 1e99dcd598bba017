"""Testing a sub-contract offer against the charity's own figures (PBR-7).

Before agreeing to be named in a bid, a sub-contractor runs the offer — the value and referrals
it is promised, the share paid up front, the share at risk on outcomes, payment terms, and any
staff transferring to it under TUPE — through the working-capital stress test commissioners use
(:func:`~commissioning_analytics.cashflow.stress.compare_levers`), as a one-member chain whose
reserves and costs are its own. :func:`what_to_ask_for` then searches the terms it could ask
the prime for — more of the fee up front, shorter payment terms, less at risk — for the
smallest change of each that brings the chance of running out below :data:`SAFE_CHANCE`, all
on the same random draws so the comparisons are fair.

Its "monthly costs" are everything it spends a month, this contract's work included; its
"income" is what it earns a year from everything else. When that income more than covers its
costs, the surplus is not counted (the test is cautious).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from commissioning_analytics.cashflow.from_mechanism import LAG_BINARY_OR_FREQUENCY
from commissioning_analytics.cashflow.stress import MemberStress, compare_levers
from commissioning_analytics.cashflow.stress_inputs import Levers, Member, Scenario

SAFE_CHANCE = 0.05
"""Below a 1 in 20 chance of running out, the offer is treated as safe enough."""
OFFER_SEED = 20_260_101
"""A fixed seed: the same figures always give the same answer."""
OFFER_PATHS = 4_000
SHARE_STEP = 0.05
PAYMENT_TERMS_CHOICES = (0.0, 7.0, 14.0, 21.0, 30.0, 45.0, 60.0)
REFERRALS_DISPERSION = 20.0
OUTCOME_RATE_CONCENTRATION = 20.0
MEMBER = "you"


@dataclass(frozen=True)
class Offer:
    """What the prime offers, a year, with the contract's length and how it pays."""

    value_per_year: float
    referrals_per_year: int
    upfront_share: float
    at_risk_share: float
    payment_terms_days: float
    months: int
    outcome_lag_months: int = LAG_BINARY_OR_FREQUENCY
    transfer_cost_monthly: float = 0.0
    """Employment cost of the staff transferring to the charity under TUPE, a month."""


@dataclass(frozen=True)
class OwnFigures:
    """The charity's own figures, seen by nobody else."""

    income_per_year: float
    reserves: float
    monthly_costs: float
    outcome_rate: float


@dataclass(frozen=True)
class Suggestion:
    """One change to ask for and the chance of running out it would leave."""

    lever: str
    value: float
    ruin_probability: float

    def sentence(self) -> str:
        if self.lever == "upfront_share":
            change = f"{self.value:.0%} of the fee paid up front"
        elif self.lever == "payment_terms_days":
            change = (
                "being paid as soon as you invoice"
                if self.value == 0
                else f"being paid within {self.value:g} days"
            )
        else:
            change = f"{self.value:.0%} of the fee at risk on outcomes"
        return (
            f"{change[0].upper()}{change[1:]} would bring the chance of running out below "
            f"{SAFE_CHANCE:.0%} (to {_tenths_below(self.ruin_probability)}%)."
        )


@dataclass(frozen=True)
class WorstMonth:
    month: int
    bad_case_cash: float
    typical_cash: float


@dataclass(frozen=True)
class OfferTest:
    offer: Offer
    stress: MemberStress
    worst_months: tuple[WorstMonth, ...]
    suggestions: tuple[Suggestion, ...]
    surplus_not_counted: bool

    @property
    def safe(self) -> bool:
        return self.stress.ruin_probability < SAFE_CHANCE


def offer_scenario(offer: Offer, own: OwnFigures) -> tuple[Scenario, bool]:
    """The one-member scenario of ``offer`` against ``own`` figures, and whether a surplus of
    other income over costs was left out."""
    net_costs = own.monthly_costs + offer.transfer_cost_monthly - own.income_per_year / 12
    referrals = offer.referrals_per_year / 12
    if offer.referrals_per_year > 0:
        price, fee = offer.value_per_year / offer.referrals_per_year, 0.0
        upfront, at_risk = offer.upfront_share, offer.at_risk_share
    else:  # no referrals promised: the value is a monthly fee, nothing tied to people
        price, fee, upfront, at_risk = 0.0, offer.value_per_year / 12, 0.0, 0.0
    member = Member(
        name=MEMBER,
        reserves=own.reserves,
        fixed_costs_monthly=max(net_costs, 0.0),
        cost_per_referral=0.0,
        referrals_mean=referrals,
        referrals_dispersion=REFERRALS_DISPERSION,
        outcome_rate_mean=own.outcome_rate,
        outcome_rate_concentration=OUTCOME_RATE_CONCENTRATION,
        price_per_referral=price,
        upfront_share=upfront,
        at_risk_share=at_risk,
        outcome_lag_months=offer.outcome_lag_months,
        payment_terms_days=offer.payment_terms_days,
        delivery_months=1,
        service_fee_monthly=fee,
    )
    return Scenario((member,), offer.months), net_costs < 0


def candidate_levers(member: Member) -> dict[str, Levers]:
    """Every change worth trying, keyed ``lever:value``: more up front (taken from the part
    paid in arrears), shorter payment terms, less at risk (moved to the part paid up front)."""
    variants: dict[str, Levers] = {"as offered": Levers()}
    if member.price_per_referral <= 0:
        terms = [days for days in PAYMENT_TERMS_CHOICES if days < member.payment_terms_days]
        return variants | {f"payment_terms_days:{d:g}": Levers(payment_terms_days=d) for d in terms}
    most_upfront = 1 - member.at_risk_share
    step = member.upfront_share
    while (step := round(step + SHARE_STEP, 10)) <= most_upfront + 1e-9:
        variants[f"upfront_share:{step:g}"] = Levers(upfront_share=step)
    for days in PAYMENT_TERMS_CHOICES:
        if days < member.payment_terms_days:
            variants[f"payment_terms_days:{days:g}"] = Levers(payment_terms_days=days)
    step = member.at_risk_share
    while (step := round(step - SHARE_STEP, 10)) >= -1e-9:
        share = max(step, 0.0)
        moved = round(member.upfront_share + member.at_risk_share - share, 10)
        variants[f"at_risk_share:{share:g}"] = Levers(at_risk_share=share, upfront_share=moved)
    return variants


def what_to_ask_for(
    scenario: Scenario, *, seed: int = OFFER_SEED, paths: int = OFFER_PATHS
) -> tuple[MemberStress, tuple[Suggestion, ...]]:
    """The offer's stress result, and for each lever the smallest change from the offer that
    brings the chance of running out below :data:`SAFE_CHANCE` (none when it already is, or
    when no change of that lever alone does)."""
    variants = candidate_levers(scenario.members[0])
    results = compare_levers(scenario, variants, seed=seed, paths=paths, workers=1)
    baseline = results["as offered"].members[0]
    if baseline.ruin_probability < SAFE_CHANCE:
        return baseline, ()
    best: dict[str, Suggestion] = {}
    member = scenario.members[0]
    for key, result in results.items():
        if key == "as offered":
            continue
        lever, text = key.split(":")
        value = float(text)
        chance = result.members[0].ruin_probability
        if chance >= SAFE_CHANCE:
            continue
        current = best.get(lever)
        distance = abs(value - float(getattr(member, lever)))
        if current is None or distance < abs(current.value - float(getattr(member, lever))):
            best[lever] = Suggestion(lever, value, chance)
    order = ("upfront_share", "payment_terms_days", "at_risk_share")
    return baseline, tuple(best[lever] for lever in order if lever in best)


def run_offer_test(offer: Offer, own: OwnFigures) -> OfferTest:
    """The stress test of ``offer`` on ``own`` figures, the worst months and what to ask for."""
    scenario, surplus = offer_scenario(offer, own)
    stress, suggestions = what_to_ask_for(scenario)
    return OfferTest(
        offer=offer,
        stress=stress,
        worst_months=worst_months(stress),
        suggestions=suggestions,
        surplus_not_counted=surplus,
    )


def worst_months(stress: MemberStress, count: int = 3) -> tuple[WorstMonth, ...]:
    """The months whose cash is lowest in a bad case (1 in 20 paths do worse), earliest
    first among equals."""
    bad, typical = stress.fan[0], stress.fan[2]
    order = sorted(range(len(bad)), key=lambda m: (bad[m], m))[:count]
    return tuple(
        WorstMonth(month=m + 1, bad_case_cash=float(bad[m]), typical_cash=float(typical[m]))
        for m in sorted(order)
    )


def ruin_timing_sentence(stress: MemberStress) -> str:
    """When reserves run out, in words, among the paths where they do."""
    if stress.ruin_month_percentiles is None:
        return "In none of the simulated futures do your free reserves run out."
    early, middle, late = stress.ruin_month_percentiles
    if early == late:
        return f"When they run out, it is in month {middle} of the contract."
    return (
        f"When they run out, it is most often around month {middle} of the contract "
        f"(between months {early} and {late} in most cases)."
    )


def chance_sentence(stress: MemberStress) -> str:
    chance = stress.ruin_probability
    if chance == 0:
        return "Your reserves did not run out in any of the simulated futures."
    if chance < 0.01:
        return (
            f"There is a small chance ({chance:.1%}) that your free reserves run out during the "
            "contract."
        )
    if chance >= 0.5:
        return (
            f"Your reserves are more likely than not to run out during the contract ({chance:.0%})."
        )
    one_in = math.floor(1 / chance + 0.5)
    return (
        f"The chance that your free reserves run out during the contract is {chance:.0%} (about 1 "
        f"in {one_in})."
    )


def _tenths_below(chance: float) -> str:
    """A percentage to one decimal place, rounded down, so that a chance below 5% never reads
    as 5.0%."""
    return f"{math.floor(chance * 1000) / 10:.1f}"
