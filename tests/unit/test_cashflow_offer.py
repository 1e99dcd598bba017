"""Testing a sub-contract offer privately (PBR-7): the offer against the charity's own figures
through the commissioners' stress test, and the smallest change to ask for."""

from __future__ import annotations

from dataclasses import replace

from commissioning_analytics.cashflow.offer import (
    OFFER_PATHS,
    OFFER_SEED,
    SAFE_CHANCE,
    Offer,
    OwnFigures,
    chance_sentence,
    offer_scenario,
    run_offer_test,
)
from commissioning_analytics.cashflow.stress import run_stress_test
from commissioning_analytics.cashflow.stress_inputs import Levers

OFFER = Offer(
    value_per_year=45_000,
    referrals_per_year=120,
    upfront_share=0.0,
    at_risk_share=0.3,
    payment_terms_days=30,
    months=36,
)
OWN = OwnFigures(income_per_year=120_000, reserves=5_000, monthly_costs=11_800, outcome_rate=0.5)


def _chance(offer: Offer, levers: Levers | None = None) -> float:
    scenario, _ = offer_scenario(offer, OWN)
    result = run_stress_test(scenario, seed=OFFER_SEED, paths=OFFER_PATHS, levers=levers, workers=1)
    return result.members[0].ruin_probability


def test_the_offer_is_the_commissioners_stress_test_of_one_member() -> None:
    scenario, surplus = offer_scenario(OFFER, OWN)
    (member,) = scenario.members
    assert scenario.months == 36 and not surplus
    assert member.reserves == 5_000
    assert member.fixed_costs_monthly == 1_800  # 11,800 less 120,000 / 12 from other work
    assert member.price_per_referral == 375  # 45,000 / 120
    assert member.referrals_mean == 10
    assert (member.upfront_share, member.at_risk_share) == (0.0, 0.3)


def test_it_finds_the_smallest_change_of_each_term_that_makes_the_offer_safe() -> None:
    result = run_offer_test(OFFER, OWN)
    assert result.stress.ruin_probability >= SAFE_CHANCE
    asked = {s.lever: s.value for s in result.suggestions}
    assert set(asked) == {"upfront_share", "payment_terms_days", "at_risk_share"}
    # Each suggestion is safe, and the next smaller change is not.
    upfront = asked["upfront_share"]
    assert _chance(OFFER, Levers(upfront_share=upfront)) < SAFE_CHANCE
    assert _chance(OFFER, Levers(upfront_share=round(upfront - 0.05, 10))) >= SAFE_CHANCE
    days = asked["payment_terms_days"]
    assert days < OFFER.payment_terms_days
    assert _chance(replace(OFFER, payment_terms_days=days)) < SAFE_CHANCE
    at_risk = asked["at_risk_share"]
    shifted = round(0.3 - at_risk - 0.05, 10)
    moved = Levers(at_risk_share=round(at_risk + 0.05, 10), upfront_share=shifted)
    assert _chance(OFFER, moved) >= SAFE_CHANCE
    words = result.suggestions[0].sentence()
    assert words.startswith(f"{upfront:.0%} of the fee paid up front would bring the chance")
    assert "below 5%" in words


def test_a_safe_offer_needs_nothing_asked_and_a_transfer_can_make_it_unsafe() -> None:
    comfortable = replace(OWN, reserves=40_000)
    safe = run_offer_test(OFFER, comfortable)
    assert safe.safe and safe.suggestions == ()
    transfer = run_offer_test(replace(OFFER, transfer_cost_monthly=2_000), comfortable)
    assert not transfer.safe
    assert transfer.stress.ruin_probability > safe.stress.ruin_probability


def test_the_chance_in_plain_words() -> None:
    result = run_offer_test(OFFER, OWN)
    chance = result.stress.ruin_probability
    assert chance_sentence(result.stress).startswith(
        "The chance that your free reserves run out during the contract is "
        f"{chance:.0%} (about 1 in"
    )
    # A chance just under 5% never reads as 5.0%: the figure shown is rounded down.
    for suggestion in result.suggestions:
        shown = suggestion.sentence().rsplit("(to ", 1)[1].rstrip("%).")
        assert float(shown) < 5.0
    assert len(result.worst_months) == 3
