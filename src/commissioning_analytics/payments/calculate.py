"""Compute every payment each party is owed, per period, from a mechanism and observations.

Order within a period: service fee instalment; at-risk evaluation (clawback, or release of the
withheld share); outcome payments; volume fees; social impact bond; then the prime passes money
and repayments down its supply chain and tops up any sub-contractor below its guaranteed
minimum (PBR-1 .. PBR-4, PBR-6). Each line is quantised once (see :mod:`.money`).
"""

from __future__ import annotations

from decimal import Decimal

from commissioning_analytics.payments.attribution import of_outcome, of_volume
from commissioning_analytics.payments.chain import pass_down
from commissioning_analytics.payments.measures import (
    UNIT,
    describe,
    improvement,
    pooled,
    units_improved,
)
from commissioning_analytics.payments.model import (
    INSTALMENTS_PER_YEAR,
    PERIODS_PER_YEAR,
    Mechanism,
    Role,
    VolumeFee,
    contract_year,
)
from commissioning_analytics.payments.money import ZERO, percent, pounds, to_penny
from commissioning_analytics.payments.observed import Observed, PeriodObservation, Volume
from commissioning_analytics.payments.run_state import Run
from commissioning_analytics.payments.sib import social_impact_bond
from commissioning_analytics.payments.statement import PaymentLine, Statement

ONE = Decimal(1)


def calculate(mechanism: Mechanism, observed: Observed) -> Statement:
    """The payment statement for ``observed`` (already validated against ``mechanism``)."""
    if observed.mechanism != mechanism.id:
        raise ValueError(f"observed data is for {observed.mechanism!r}, not {mechanism.id!r}")
    run = Run(mechanism)
    for obs in observed.periods:
        upstream: list[tuple[PaymentLine, Decimal]] = []
        _service_fee(run, obs, upstream)
        _at_risk(run, obs, upstream)
        _outcome_payments(run, obs, upstream)
        _volume_fees(run, obs, upstream)
        social_impact_bond(run, obs, upstream)
        pass_down(run, obs, upstream)
    funders = frozenset(
        p.id for p in mechanism.parties if p.role in (Role.COMMISSIONER, Role.OUTCOME_PAYER)
    )
    return Statement(
        mechanism=mechanism.id,
        funders=funders,
        parties=tuple(p.id for p in mechanism.parties),
        prime=mechanism.prime,
        lines=tuple(run.lines),
        notes=tuple(run.notes),
    )


def _service_fee(
    run: Run, obs: PeriodObservation, upstream: list[tuple[PaymentLine, Decimal]]
) -> None:
    m = run.mechanism
    fee = m.service_fee
    if fee is None:
        return
    per_year = INSTALMENTS_PER_YEAR[fee.frequency]
    step = PERIODS_PER_YEAR[m.period] // per_year
    advance = fee.timing == "advance"
    if (obs.period - 1) % step if advance else obs.period % step:
        return
    due = obs.start if advance else obs.end + run.terms_delay
    instalment = fee.annual_value / per_year
    basis = f"{fee.frequency} service fee in {fee.timing} ({pounds(fee.annual_value)} a year"
    basis += f" / {per_year})" if per_year > 1 else ")"
    risk = fee.at_risk
    withheld = ZERO
    if risk is not None and risk.mode == "withheld":
        withheld = to_penny(instalment * risk.share)
        amount = to_penny(instalment * (ONE - risk.share))
        run.withheld_pool += withheld
        basis += f", less {percent(risk.share)} withheld ({pounds(withheld)}) until the "
        if risk.weighted:
            basis += "weighted targets are met"
        else:
            basis += f"{risk.measure} target of {risk.target} is met"
    else:
        amount = to_penny(instalment)
    line = run.pay(obs.period, fee.payer, m.prime, amount, "service_fee", "service_fee", basis, due)
    upstream.append((line, withheld))


def _at_risk(run: Run, obs: PeriodObservation, upstream: list[tuple[PaymentLine, Decimal]]) -> None:
    m = run.mechanism
    fee = m.service_fee
    if fee is None or fee.at_risk is None:
        return
    risk = fee.at_risk
    if risk.weighted:
        _at_risk_weighted(run, obs, upstream)
        return
    measure = m.measures[risk.measure]
    if risk.measured_over_years is not None:
        _at_risk_over_years(run, obs, upstream)
        return
    for result in obs.outcomes:
        if result.measure != risk.measure:
            continue
        value = improvement(measure, result)
        text = f"{describe(measure, result, value)}; target {risk.target}"
        at_risk_amount = fee.annual_value * risk.share
        of_what = f"a year's service fee of {pounds(fee.annual_value)}"
        _judge(run, obs, upstream, value, text, at_risk_amount, of_what)


def _at_risk_weighted(
    run: Run, obs: PeriodObservation, upstream: list[tuple[PaymentLine, Decimal]]
) -> None:
    """An at-risk share earned partly on several measures (PBR-1, PBR-2): the targets are
    judged together in a period that carries a result on each of their measures (several
    cohorts' results on one measure pooled); each target met earns its weight's share of the
    at-risk amount. A clawback repays the share not earned; a withheld share releases the
    earned share of what was withheld since the last evaluation, and the rest is forfeited."""
    m = run.mechanism
    fee = m.service_fee
    assert fee is not None and fee.at_risk is not None
    risk = fee.at_risk
    found = {t.measure: [r for r in obs.outcomes if r.measure == t.measure] for t in risk.targets}
    if not any(found.values()):
        return
    missing = [t.measure for t in risk.targets if not found[t.measure]]
    if missing:
        why = f"not judged: no result on {', '.join(missing)} in this period, and the weighted "
        why += "targets are judged together"
        run.note(obs.period, m.prime, "service_fee.at_risk", why)
        return
    earned = Decimal(0)
    parts: list[str] = []
    for target in risk.targets:
        measure, results = m.measures[target.measure], found[target.measure]
        together = results[0] if len(results) == 1 else pooled(measure, results)
        value = improvement(measure, together)
        who = None
        if len(results) > 1:
            who = f"cohorts {', '.join(r.cohort for r in results)} pooled"
        met = value >= target.target
        earned += target.weight if met else 0
        parts.append(
            f"{target.measure} ({percent(target.weight)}), "
            f"{describe(measure, together, value, who)}; target {target.target} "
            f"{'met' if met else 'missed'}"
        )
    text = "; ".join(parts)
    due = obs.end + run.terms_delay
    if risk.mode == "clawback":
        if earned == 1:
            run.note(obs.period, m.prime, "service_fee.at_risk", f"{text}: nothing repaid")
            return
        at_risk_amount = fee.annual_value * risk.share
        amount = to_penny(at_risk_amount * (ONE - earned))
        why = f"{text}: {percent(earned)} earned, so repays {percent(ONE - earned)} of the "
        why += f"{pounds(at_risk_amount)} at risk on a year's service fee"
        line = run.pay(
            obs.period, m.prime, fee.payer, amount, "clawback", "service_fee.at_risk", why, due
        )
        upstream.append((line, ZERO))
        return
    pool, run.withheld_pool = run.withheld_pool, ZERO
    released = to_penny(pool * earned)
    forfeited = pool - released
    why = f"{text}: {percent(earned)} earned of the {pounds(pool)} withheld since the last "
    why += f"evaluation: releases {pounds(released)}"
    if forfeited:
        why += f", and {pounds(forfeited)} is forfeited (stays with the payer)"
    if released > 0:
        line = run.pay(
            obs.period, fee.payer, m.prime, released, "fee_release", "service_fee.at_risk", why, due
        )
        upstream.append((line, ZERO))
    else:
        run.note(obs.period, m.prime, "service_fee.at_risk", why)


def _at_risk_over_years(
    run: Run, obs: PeriodObservation, upstream: list[tuple[PaymentLine, Decimal]]
) -> None:
    """A target measured over several contract years (PBR-1, PBR-2): the term is cut into
    windows of ``measured_over_years`` years; the results observed in a window's periods are
    pooled and judged once, in its last period (or, if that period is not observed, in the
    first observed period after it), against the at-risk amount of all its years."""
    m = run.mechanism
    fee = m.service_fee
    assert fee is not None and fee.at_risk is not None and fee.at_risk.measured_over_years
    window_periods = fee.at_risk.measured_over_years * PERIODS_PER_YEAR[m.period]
    window = (obs.period - 1) // window_periods
    if run.risk_results and run.risk_window < window:
        _judge_window(run, obs, upstream, run.risk_window, window_periods)
    run.risk_window = window
    run.risk_results.extend(r for r in obs.outcomes if r.measure == fee.at_risk.measure)
    last = min((window + 1) * window_periods, m.term_periods)
    if obs.period == last and run.risk_results:
        _judge_window(run, obs, upstream, window, window_periods)


def _judge_window(
    run: Run,
    obs: PeriodObservation,
    upstream: list[tuple[PaymentLine, Decimal]],
    window: int,
    window_periods: int,
) -> None:
    m = run.mechanism
    fee = m.service_fee
    assert fee is not None and fee.at_risk is not None
    risk = fee.at_risk
    measure = m.measures[risk.measure]
    per_year = PERIODS_PER_YEAR[m.period]
    first = window * window_periods + 1
    last = min((window + 1) * window_periods, m.term_periods)
    years = Decimal(last - first + 1) / per_year
    first_year, last_year = contract_year(m.period, first), contract_year(m.period, last)
    span = f"contract year {first_year}"
    if last_year > first_year:
        span = f"contract years {first_year} to {last_year}"
    results, run.risk_results = run.risk_results, []
    together = pooled(measure, results)
    value = improvement(measure, together)
    cohorts = ", ".join(r.cohort for r in results)
    who = f"{span}, cohorts {cohorts} pooled" if len(results) > 1 else f"{span}, cohort {cohorts}"
    text = f"{describe(measure, together, value, who)}; target {risk.target}"
    shown_years = f"{years.normalize():f}"
    of_what = f"{shown_years} years' service fee of {pounds(fee.annual_value)} a year"
    if years == 1:
        of_what = f"a year's service fee of {pounds(fee.annual_value)}"
    _judge(run, obs, upstream, value, text, fee.annual_value * risk.share * years, of_what)


def _judge(
    run: Run,
    obs: PeriodObservation,
    upstream: list[tuple[PaymentLine, Decimal]],
    value: Decimal,
    text: str,
    at_risk_amount: Decimal,
    of_what: str,
) -> None:
    """Judge one improvement against the at-risk target (PBR-1): a clawback (whole, or on a
    sliding scale in proportion to the shortfall), or the release or forfeiture of the withheld
    share. ``at_risk_amount`` is unrounded; each line is rounded once."""
    m = run.mechanism
    fee = m.service_fee
    assert fee is not None and fee.at_risk is not None
    risk = fee.at_risk
    due = obs.end + run.terms_delay
    met = value >= risk.target
    if risk.mode == "clawback":
        if met:
            run.note(obs.period, m.prime, "service_fee.at_risk", f"{text} met: nothing repaid")
            return
        scale = risk.sliding_scale
        if scale is None:
            amount = to_penny(at_risk_amount)
            why = f"{text} missed: repays {percent(risk.share)} of {of_what}"
        else:
            shortfall = risk.target - value
            amount = to_penny(scale.repayment(shortfall, at_risk_amount))
            why = _sliding_explanation(risk.measure, m, text, shortfall, at_risk_amount)
        line = run.pay(
            obs.period, m.prime, fee.payer, amount, "clawback", "service_fee.at_risk", why, due
        )
        upstream.append((line, ZERO))
        return
    pool, run.withheld_pool = run.withheld_pool, ZERO
    if met and pool > 0:
        why = f"{text} met: releases the {pounds(pool)} withheld since the last evaluation"
        line = run.pay(
            obs.period, fee.payer, m.prime, pool, "fee_release", "service_fee.at_risk", why, due
        )
        upstream.append((line, ZERO))
    elif not met:
        why = f"{text} missed: the {pounds(pool)} withheld is forfeited (stays with the payer)"
        run.note(obs.period, m.prime, "service_fee.at_risk", why)


def _sliding_explanation(
    measure_id: str, m: Mechanism, text: str, shortfall: Decimal, at_risk_amount: Decimal
) -> str:
    """E.g. ``…; target 5.0 missed by 1.7: repays 20% of the £100,000.00 at risk for each
    percentage point short (1.7 × £20,000.00), at most 60% (£60,000.00)``."""
    fee = m.service_fee
    assert fee is not None and fee.at_risk is not None and fee.at_risk.sliding_scale
    scale = fee.at_risk.sliding_scale
    unit = UNIT[m.measures[measure_id].improvement]
    if scale.amount_per_unit is not None:
        rate = scale.amount_per_unit
        how = f"repays {pounds(rate)} for each {unit} short"
    else:
        rate = (scale.share_per_unit or ZERO) * at_risk_amount
        how = f"repays {percent(scale.share_per_unit or ZERO)} of the {pounds(at_risk_amount)}"
        how += f" at risk for each {unit} short"
    shown = shortfall.quantize(Decimal("0.1"))
    limit = scale.cap * at_risk_amount
    why = f"{text} missed by {shown}: {how} ({shown} × {pounds(rate)})"
    if shortfall * rate > limit:
        why += f", capped at {percent(scale.cap)} of the {pounds(at_risk_amount)} at risk"
        why += f" ({pounds(limit)})"
    return why


def _outcome_payments(
    run: Run, obs: PeriodObservation, upstream: list[tuple[PaymentLine, Decimal]]
) -> None:
    m = run.mechanism
    due = obs.end + run.terms_delay
    year = contract_year(m.period, obs.period)
    for rule in m.outcome_payments:
        measure = m.measures[rule.measure]
        rule_name = f"outcome_payments.{rule.id}"
        for result in obs.outcomes:
            if result.measure != rule.measure or (
                rule.cohorts and result.cohort not in rule.cohorts
            ):
                continue
            value = improvement(measure, result)
            text = describe(measure, result, value)
            if rule.threshold is not None and value < rule.threshold:
                run.note(
                    obs.period,
                    m.prime,
                    rule_name,
                    f"{text}; below threshold {rule.threshold}: no payment",
                )
                continue
            tariff = rule.tariff_for(None, year)
            if rule.basis == "per_person_achieving":
                groups = sorted(result.achieved.items())
                raw = sum((rule.tariff_for(g, year) * n for g, n in groups), ZERO)
                how = " + ".join(
                    f"{n} × {pounds(rule.tariff_for(g, year))} ({g})" for g, n in groups
                )
            elif rule.basis == "per_unit_improvement":
                units = max(units_improved(measure, result), ZERO)
                raw = units * tariff
                how = f"{units.normalize():f} × {pounds(tariff)} per unit of improvement"
            else:
                raw = tariff
                how = f"fixed {pounds(tariff)}"
            if rule.tariffs_by_year:
                how += f" (contract year {year} tariffs)"
            if rule.floor is not None and raw < rule.floor:
                raw, how = rule.floor, f"{how}, raised to the floor of {pounds(rule.floor)}"
            if rule.cap is not None and raw > rule.cap:
                raw, how = rule.cap, f"{how}, capped at {pounds(rule.cap)}"
            if rule.total_cap is not None:
                remaining = rule.total_cap - run.outcome_paid[rule.id]
                if raw > remaining:
                    raw, how = (
                        remaining,
                        f"{how}, limited by the total cap of {pounds(rule.total_cap)}",
                    )
            amount = to_penny(raw)
            if amount <= 0:
                run.note(obs.period, m.prime, rule_name, f"{text}: {how}: nothing to pay")
                continue
            run.outcome_paid[rule.id] += amount
            why = f"{text}: {how}"
            line = run.pay(
                obs.period, rule.payer, m.prime, amount, "outcome_payment", rule_name, why, due
            )
            if run.attributing:
                run.attribute(line, of_outcome(rule, measure, result, year))
            upstream.append((line, ZERO))


def _volume_fees(
    run: Run, obs: PeriodObservation, upstream: list[tuple[PaymentLine, Decimal]]
) -> None:
    m = run.mechanism
    if not m.volume_fees:
        return
    for volume in obs.volumes:
        run.event_totals[volume.event] += volume.count
        for person, count in volume.people.items():
            run.person_events[volume.event, person] += count
    due = obs.end + run.terms_delay
    year = contract_year(m.period, obs.period)
    for fee in m.volume_fees:
        rule_name = f"volume_fees.{fee.id}"
        for volume in obs.volumes:
            if volume.event != fee.event or volume.count == 0:
                continue
            units = volume.count
            limit = ""
            if fee.max_units_per_person is not None and volume.people:
                units, limit = _units_per_person(run, fee, volume)
            elif fee.max_units_per_person is not None and fee.per_person_event is not None:
                people = run.event_totals[fee.per_person_event]
                allowed = max(fee.max_units_per_person * people - run.units_paid[fee.id], 0)
                if units > allowed:
                    limit = (
                        f" ({units - allowed} of {units} not paid: at most "
                        f"{fee.max_units_per_person} per {fee.per_person_event} to date)"
                    )
                    units = allowed
            run.units_paid[fee.id] += units
            tariff = fee.tariff_for(volume.need_group, year)
            group = f" ({volume.need_group})" if volume.need_group else ""
            if fee.tariffs_by_year:
                group += f" at the contract year {year} tariff"
            why = f"{units} {fee.event}{group} × {pounds(tariff)}{limit}"
            if units == 0:
                run.note(obs.period, m.prime, rule_name, why)
                continue
            amount = to_penny(tariff * units)
            line = run.pay(
                obs.period, fee.payer, m.prime, amount, "volume_fee", rule_name, why, due
            )
            run.attribute(line, of_volume(volume))
            upstream.append((line, ZERO))


def _units_per_person(run: Run, fee: VolumeFee, volume: Volume) -> tuple[int, str]:
    """The units of ``volume`` that fit each person's own limit (PBR-1): no person is paid for
    more than ``max_units_per_person`` × their own ``per_person_event`` count to date."""
    assert fee.max_units_per_person is not None and fee.per_person_event is not None
    paid = 0
    over: list[str] = []
    for person, count in sorted(volume.people.items()):
        allowed = fee.max_units_per_person * run.person_events[fee.per_person_event, person]
        allowed = max(allowed - run.person_units_paid[fee.id, person], 0)
        units = min(count, allowed)
        run.person_units_paid[fee.id, person] += units
        paid += units
        if units < count:
            over.append(f"{person} {count - units}")
    if not over:
        return paid, ""
    limit = (
        f" ({volume.count - paid} of {volume.count} not paid: at most "
        f"{fee.max_units_per_person} per {fee.per_person_event} for each person to date; "
        f"over the limit: {', '.join(over)})"
    )
    return paid, limit
