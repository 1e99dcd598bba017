"""What-if levers on common random numbers (PBR-5): each lever moves risk one way only.

On the same draws, paying more up front, or paying sooner, can only raise every month's
closing cash, so the chance of running out can never rise; putting more at risk (paid later,
and only on outcomes) can never lower it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from commissioning_analytics.cashflow.stress import compare_levers
from commissioning_analytics.cashflow.stress_inputs import Levers, Member, Scenario

shares = st.sampled_from([0.0, 0.125, 0.25, 0.375, 0.5])


@st.composite
def members(draw: st.DrawFn) -> Member:
    delivery = draw(st.integers(0, 4))
    return Member(
        name="member",
        reserves=float(draw(st.integers(0, 40_000))),
        fixed_costs_monthly=float(draw(st.integers(0, 5_000))),
        cost_per_referral=float(draw(st.integers(0, 800))),
        referrals_mean=draw(st.floats(0.0, 20.0)),
        referrals_dispersion=draw(st.sampled_from([0.5, 2.0, 10.0, float("inf")])),
        outcome_rate_mean=draw(st.floats(0.0, 1.0)),
        outcome_rate_concentration=draw(st.sampled_from([2.0, 20.0, float("inf")])),
        price_per_referral=float(draw(st.integers(0, 3_000))),
        upfront_share=draw(shares),
        at_risk_share=draw(shares),
        outcome_lag_months=delivery + draw(st.integers(0, 12)),
        payment_terms_days=float(draw(st.integers(0, 120))),
        management_fee_share=draw(st.sampled_from([0.0, 0.1, 0.4])),
        delivery_months=delivery,
        service_fee_monthly=float(draw(st.integers(0, 2_000))),
    )


def ruin(member: Member, variants: dict[str, Levers], seed: int) -> dict[str, float]:
    results = compare_levers(Scenario((member,), months=18), variants, seed=seed, paths=60)
    return {name: result.members[0].ruin_probability for name, result in results.items()}


@settings(max_examples=40, deadline=None)
@given(members(), st.sampled_from([0.125, 0.25, 0.5]), st.integers(0, 2**32 - 1))
def test_more_up_front_never_raises_the_chance_of_running_out(
    member: Member, extra: float, seed: int
) -> None:
    more = min(member.upfront_share + extra, 1.0 - member.at_risk_share)
    p = ruin(member, {"as agreed": Levers(), "more": Levers(upfront_share=more)}, seed)
    assert p["more"] <= p["as agreed"]


@settings(max_examples=40, deadline=None)
@given(members(), st.integers(1, 90), st.integers(0, 2**32 - 1))
def test_longer_payment_terms_never_lower_the_chance_of_running_out(
    member: Member, longer: int, seed: int
) -> None:
    slower = Levers(payment_terms_days=member.payment_terms_days + longer)
    p = ruin(member, {"as agreed": Levers(), "slower": slower}, seed)
    assert p["slower"] >= p["as agreed"]


@settings(max_examples=40, deadline=None)
@given(members(), st.sampled_from([0.125, 0.25, 0.5]), st.integers(0, 2**32 - 1))
def test_more_at_risk_never_lowers_the_chance_of_running_out(
    member: Member, extra: float, seed: int
) -> None:
    more = min(member.at_risk_share + extra, 1.0 - member.upfront_share)
    p = ruin(member, {"as agreed": Levers(), "riskier": Levers(at_risk_share=more)}, seed)
    assert p["riskier"] >= p["as agreed"]
