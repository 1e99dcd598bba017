"""Social impact bond payments (PBR-1): investors fund the prime up front; the outcome payer repays
investors per unit of improvement when one cohort beats the single-cohort threshold, or, at the
final evaluation, when all cohorts together beat the all-cohorts threshold — up to a cap (the
lesser of ``cap`` and the capital times one plus ``max_return``)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from commissioning_analytics.payments.measures import describe, improvement, pooled, units_improved
from commissioning_analytics.payments.model import SocialImpactBond
from commissioning_analytics.payments.money import ZERO, percent, pounds, to_penny
from commissioning_analytics.payments.observed import OutcomeResult, PeriodObservation
from commissioning_analytics.payments.run_state import Run
from commissioning_analytics.payments.statement import PaymentLine

RULE = "social_impact_bond"


def repayment_limit(sib: SocialImpactBond) -> Decimal | None:
    """The most the outcome payer will pay the investors over the bond's life."""
    limits = [] if sib.cap is None else [sib.cap]
    if sib.max_return is not None:
        capital = sum((amount for _, amount in sib.capital), ZERO)
        limits.append(to_penny(capital * (1 + sib.max_return)))
    return min(limits) if limits else None


def social_impact_bond(
    run: Run, obs: PeriodObservation, upstream: list[tuple[PaymentLine, Decimal]]
) -> None:
    m = run.mechanism
    sib = m.social_impact_bond
    if sib is None:
        return
    for period, amount in sib.capital:
        if period == obs.period:
            why = f"investment from {sib.investor} funds the service up front"
            line = run.pay(
                obs.period, sib.investor, m.prime, amount, "sib_capital", RULE, why, obs.start
            )
            upstream.append((line, ZERO))
    measure = m.measures[sib.measure]
    due = obs.end + timedelta(days=m.payment_terms_days)
    for result in obs.outcomes:
        if result.measure != sib.measure:
            continue
        run.sib_latest[result.cohort] = result
        value = improvement(measure, result)
        text = describe(measure, result, value)
        threshold = sib.single_cohort_threshold
        if result.cohort in run.sib_paid_cohorts:
            continue
        if threshold is None:
            continue
        if value < threshold:
            why = f"{text}; single-cohort threshold {threshold}: no payment for this cohort alone"
            run.note(obs.period, sib.investor, RULE, why)
            continue
        _repay(run, obs.period, [result], f"{text} ≥ {threshold}", due)
    if obs.period == sib.final_period and sib.all_cohorts_threshold is not None:
        results = list(run.sib_latest.values())
        if not results:
            run.note(obs.period, sib.investor, RULE, "final evaluation: no cohort results")
            return
        together = pooled(measure, results)
        value = improvement(measure, together)
        text = describe(measure, together, value)
        if value < sib.all_cohorts_threshold:
            why = f"final evaluation, {text}; all-cohorts threshold "
            why += f"{sib.all_cohorts_threshold}: no payment"
            run.note(obs.period, sib.investor, RULE, why)
            return
        unpaid = [r for r in results if r.cohort not in run.sib_paid_cohorts]
        why = (
            f"final evaluation, {text} ≥ {sib.all_cohorts_threshold}; pays for cohorts not yet paid"
        )
        _repay(run, obs.period, unpaid, why, due)


def _repay(run: Run, period: int, results: list[OutcomeResult], text: str, due_date: date) -> None:
    m = run.mechanism
    sib = m.social_impact_bond
    assert sib is not None
    measure = m.measures[sib.measure]
    units = max(sum((units_improved(measure, r) for r in results), ZERO), ZERO)
    raw = units * sib.tariff
    how = f"{units.normalize():f} × {pounds(sib.tariff)} per unit of improvement"
    limit = repayment_limit(sib)
    if limit is not None and raw > limit - run.sib_paid:
        raw = limit - run.sib_paid
        cap = "" if sib.max_return is None else f", return at most {percent(sib.max_return)}"
        how += f", limited by the repayment cap of {pounds(limit)}{cap}"
    amount = to_penny(raw)
    run.sib_paid_cohorts.update(r.cohort for r in results)
    if amount <= 0:
        run.note(period, sib.investor, RULE, f"{text}: {how}: nothing to pay")
        return
    run.sib_paid += amount
    run.pay(
        period,
        sib.outcome_payer,
        sib.investor,
        amount,
        "sib_outcome_payment",
        RULE,
        f"{text}: {how}",
        due_date,
    )
