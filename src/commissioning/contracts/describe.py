"""A payment mechanism in plain English (PBR-1 .. PBR-4, PBR-6): pure functions from the core's
:class:`~commissioning_analytics.payments.Mechanism` to sentences for the mechanism page.

Each section is ``{"title": ..., "items": [sentence, ...]}``; the wording follows
``docs/payments.md`` so a commissioner can check the page against the JSON document.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from commissioning_analytics.outcomes.power import (
    MinimumDetectableEffect,
    detectable_change_sentence,
    minimum_detectable_effect,
)
from commissioning_analytics.payments.measures import UNIT
from commissioning_analytics.payments.model import (
    Mechanism,
    OutcomePayment,
    SocialImpactBond,
    SubcontractTerms,
    VolumeFee,
)
from commissioning_analytics.payments.money import percent, pounds
from commissioning_analytics.payments.observed import Observed

PERIOD_WORDS = {"month": "month", "four_weeks": "four-week period", "quarter": "quarter"}
PERIOD_WORDS["year"] = "year"
FREQUENCY_WORDS = {"monthly": "monthly", "quarterly": "quarterly", "annual": "once a year"}
MEASURE_KIND = {
    "binary": "the percentage of the cohort reconvicted (lower is better)",
    "frequency": "reconviction events per 100 people (lower is better)",
    "intermediate": "the number of people achieving an outcome",
    "quantity": "an average per person of the cohort",
}
IMPROVEMENT_UNIT = {
    "percentage_points": " percentage points",
    "relative_percent": "%",
    "events_per_100": " events per 100",
    "per_person": " per person",
}
BASIS = {
    "per_person_achieving": "for each person achieving the outcome",
    "per_unit_improvement": "for each unit of improvement (a person not reconvicted or an "
    "event prevented)",
    "fixed": "once, when the threshold is met",
}
EVENT_WORDS = {
    "attachment": "attachment",
    "referral": "referral",
    "start": "start",
    "job_outcome": "job outcome",
    "sustainment": "sustainment payment",
    "completion": "completion",
}

Section = dict[str, Any]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def party_name(mechanism: Mechanism, party_id: str) -> str:
    return next((p.name for p in mechanism.parties if p.id == party_id), party_id)


def period_word(mechanism: Mechanism) -> str:
    return PERIOD_WORDS.get(mechanism.period, mechanism.period)


def describe_mechanism(mechanism: Mechanism, observed: Observed | None = None) -> list[Section]:
    """The mechanism's sections in the order money flows: term, service fee, outcome payments,
    volume fees, social impact bond, measures, the supply chain. With ``observed``, each outcome
    payment on a yes/no measure says the smallest change its cohorts can show (PBR-2)."""
    sections = [_term(mechanism)]
    if mechanism.service_fee is not None:
        sections.append(_service_fee(mechanism))
    if mechanism.outcome_payments:
        sections.append(
            {
                "title": "Outcome payments",
                "items": [
                    _outcome(mechanism, p) + _detectable(mechanism, p, observed)
                    for p in mechanism.outcome_payments
                ],
            }
        )
    if mechanism.volume_fees:
        sections.append(
            {
                "title": "Volume fees",
                "items": [_volume(mechanism, f) for f in mechanism.volume_fees],
            }
        )
    if mechanism.social_impact_bond is not None:
        sections.append(_sib(mechanism, mechanism.social_impact_bond))
    if mechanism.measures:
        sections.append(
            {
                "title": "Outcome measures",
                "items": [_measure(m) for m in mechanism.measures.values()],
            }
        )
    if mechanism.supply_chain:
        sections.append(
            {
                "title": "Supply chain terms",
                "items": [subcontract_sentence(mechanism, t) for t in mechanism.supply_chain],
            }
        )
    return sections


def _term(mechanism: Mechanism) -> Section:
    word = period_word(mechanism)
    return {
        "title": "Term and parties",
        "items": [
            f"The contract runs for {_plural(mechanism.term_periods, word)}.",
            f"{party_name(mechanism, mechanism.commissioner)} commissions the service from "
            f"{party_name(mechanism, mechanism.prime)} (the prime contractor).",
            f"Funders pay the prime {mechanism.payment_terms_days} days after each amount "
            "falls due.",
        ],
    }


def _service_fee(mechanism: Mechanism) -> Section:
    fee = mechanism.service_fee
    assert fee is not None
    payer = party_name(mechanism, fee.payer)
    timing = "in advance" if fee.timing == "advance" else "in arrears"
    items = [
        f"{payer} pays a service fee of {pounds(fee.annual_value)} a year, "
        f"{FREQUENCY_WORDS.get(fee.frequency, fee.frequency)}, {timing}."
    ]
    risk = fee.at_risk
    if risk is None:
        items.append("None of the service fee is at risk.")
    elif risk.weighted:
        items.append(_weighted_targets(mechanism))
    elif risk.mode == "clawback" and risk.sliding_scale is not None:
        items.append(_sliding_clawback(mechanism))
    elif risk.mode == "clawback":
        items.append(
            f"{percent(risk.share)} of the fee is at risk by clawback: each result on "
            f"“{risk.measure}” whose improvement is below {risk.target} makes the prime repay "
            f"{pounds(risk.share * fee.annual_value)} (a year's at-risk amount)."
        )
    else:
        items.append(
            f"{percent(risk.share)} of each instalment is withheld: it is released when the "
            f"next result on “{risk.measure}” reaches {risk.target}, and forfeited if it does "
            "not."
        )
    if risk is not None and risk.measured_over_years is not None:
        years = "contract year"
        if risk.measured_over_years > 1:
            years = _plural(risk.measured_over_years, years)
        items.append(
            f"The target is judged once for each {years}, at the end, on all their results "
            "together (weighted by cohort size), against the at-risk amount of all those years."
        )
    return {"title": "Service fee", "items": items}


def _weighted_targets(mechanism: Mechanism) -> str:
    """An at-risk share earned partly on several measures (PBR-1, PBR-2, docs/payments.md)."""
    fee = mechanism.service_fee
    assert fee is not None and fee.at_risk is not None
    risk = fee.at_risk
    targets = "; ".join(
        f"{percent(t.weight)} on “{t.measure}” reaching {t.target}" for t in risk.targets
    )
    how = (
        "is at risk by clawback: the prime repays the share not earned"
        if risk.mode == "clawback"
        else "of each instalment is withheld: the share earned is released and the rest forfeited"
    )
    return (
        f"{percent(risk.share)} of the fee {how}, judged when a result on each measure is in. "
        f"Each target met earns its weight: {targets}."
    )


def _sliding_clawback(mechanism: Mechanism) -> str:
    """A clawback in proportion to the shortfall, with its cap (PBR-1, docs/payments.md)."""
    fee = mechanism.service_fee
    assert fee is not None and fee.at_risk is not None
    risk = fee.at_risk
    scale = risk.sliding_scale
    assert scale is not None
    at_risk = risk.share * fee.annual_value
    unit = UNIT[mechanism.measures[risk.measure].improvement]
    if scale.amount_per_unit is not None:
        rate = pounds(scale.amount_per_unit)
    else:
        rate = f"{percent(scale.share_per_unit or Decimal(0))} of it"
    return (
        f"{percent(risk.share)} of the fee ({pounds(at_risk)} a year) is at risk by clawback on "
        f"a sliding scale: for each result on “{risk.measure}” whose improvement is below "
        f"{risk.target}, the prime repays {rate} for each {unit} short, at most "
        f"{pounds(scale.cap * at_risk)} ({percent(scale.cap)} of the amount at risk)."
    )


def _tariffs(default: Decimal, by_group: dict[str, Decimal]) -> str:
    text = pounds(default)
    if by_group:
        groups = ", ".join(f"{pounds(v)} for the {k} group" for k, v in sorted(by_group.items()))
        text += f" ({groups})"
    return text


def _tariffs_by_year(rule: OutcomePayment | VolumeFee) -> str:
    """E.g. `` From contract year 2 the tariff is £1,100.00 (£2,500.00 for the high group).``"""
    return "".join(
        f" From contract year {entry.from_year} the tariff is "
        f"{_tariffs(entry.tariff, entry.need_group_tariffs)}."
        for entry in rule.tariffs_by_year
    )


def _outcome(mechanism: Mechanism, rule: OutcomePayment) -> str:
    parts = [
        f"“{rule.id}”: {party_name(mechanism, rule.payer)} pays "
        f"{_tariffs(rule.tariff, rule.need_group_tariffs)} {BASIS.get(rule.basis, rule.basis)} "
        f"on the measure “{rule.measure}”"
    ]
    if rule.cohorts:
        parts.append(f", for cohorts {', '.join(rule.cohorts)} only")
    text = "".join(parts) + "." + _tariffs_by_year(rule)
    measure = mechanism.measures.get(rule.measure)
    unit = IMPROVEMENT_UNIT.get(measure.improvement or "", "") if measure else ""
    if measure is not None and measure.improvement == "per_person":
        unit = f" {measure.unit}{unit}"
    if rule.threshold is not None:
        text += f" Nothing is paid unless the improvement is at least {rule.threshold}{unit}."
    if rule.floor is not None:
        text += f" Once the threshold is met an evaluation pays at least {pounds(rule.floor)}."
    if rule.cap is not None:
        text += f" One evaluation pays at most {pounds(rule.cap)}."
    if rule.total_cap is not None:
        text += f" The rule pays at most {pounds(rule.total_cap)} over the contract."
    return text


SMALLER_THAN_DETECTABLE = (
    " This payment depends on a change smaller than the cohort can reliably show."
)


def outcome_detectable_effect(
    mechanism: Mechanism, rule: OutcomePayment, observed: Observed | None
) -> MinimumDetectableEffect | None:
    """The minimum detectable effect of an outcome payment on a yes/no measure (PBR-2, seed 003
    §14.5): for the smallest cohort observed on the measure (of the rule's cohorts, if it names
    them), at the measure's baseline rate or else the mean observed comparison rate; against a
    fixed baseline (no comparison group) or a matched comparison group of the same size. None
    when the measure is not yes/no, or no cohort or rate is known."""
    measure = mechanism.measures.get(rule.measure)
    if measure is None or measure.kind != "binary" or observed is None:
        return None
    results = [
        result
        for period in observed.periods
        for result in period.outcomes
        if result.measure == rule.measure
        and (not rule.cohorts or result.cohort in rule.cohorts)
        and result.cohort_size > 0
    ]
    if not results:
        return None
    if measure.baseline is not None:
        rate = float(measure.baseline) / 100
    else:
        references = [float(r.reference) for r in results if r.reference is not None]
        if not references:
            return None
        rate = sum(references) / len(references) / 100
    if not 0 < rate < 1:
        return None
    ratio = None if measure.comparison == "baseline" else 1.0
    smallest = min(result.cohort_size for result in results)
    return minimum_detectable_effect(smallest, rate, comparison_ratio=ratio)


def _detectable(mechanism: Mechanism, rule: OutcomePayment, observed: Observed | None) -> str:
    """The detectable-change sentence, and a warning when the threshold is below it."""
    effect = outcome_detectable_effect(mechanism, rule, observed)
    if effect is None:
        return ""
    text = " " + detectable_change_sentence(effect, a_year=False)
    threshold = _threshold_points(mechanism, rule, effect.baseline_rate)
    if threshold is not None and not effect.detects(threshold):
        text += SMALLER_THAN_DETECTABLE
    return text


def _threshold_points(mechanism: Mechanism, rule: OutcomePayment, rate: float) -> float | None:
    """The rule's threshold in percentage points, where its measure's unit allows."""
    measure = mechanism.measures.get(rule.measure)
    if rule.threshold is None or measure is None:
        return None
    if measure.improvement == "percentage_points":
        return float(rule.threshold)
    if measure.improvement == "relative_percent":
        return float(rule.threshold) * rate
    return None


def _volume(mechanism: Mechanism, fee: VolumeFee) -> str:
    event = EVENT_WORDS.get(fee.event, fee.event)
    text = (
        f"“{fee.id}”: {party_name(mechanism, fee.payer)} pays "
        f"{_tariffs(fee.tariff, fee.need_group_tariffs)} for each {event}."
    ) + _tariffs_by_year(fee)
    if fee.max_units_per_person and fee.per_person_event:
        per = EVENT_WORDS.get(fee.per_person_event, fee.per_person_event)
        text += f" At most {fee.max_units_per_person} are paid for each {per}."
    return text


def _sib(mechanism: Mechanism, sib: SocialImpactBond) -> Section:
    word = period_word(mechanism)
    capital = "; ".join(f"{pounds(amount)} in {word} {period}" for period, amount in sib.capital)
    items = [
        f"{party_name(mechanism, sib.investor)} (the social investor) funds the prime up front: "
        f"{capital}.",
        f"{party_name(mechanism, sib.outcome_payer)} repays the investor "
        f"{pounds(sib.tariff)} for each unit of improvement on “{sib.measure}”.",
    ]
    if sib.single_cohort_threshold is not None:
        items.append(
            f"Trigger: a cohort whose improvement reaches {sib.single_cohort_threshold} is paid "
            "for when its result arrives."
        )
    if sib.all_cohorts_threshold is not None:
        items.append(
            f"Trigger: at {word} {sib.final_period}, every cohort's latest result is pooled; if "
            f"the pooled improvement reaches {sib.all_cohorts_threshold}, every cohort not yet "
            "paid for is paid for."
        )
    if sib.max_return is not None:
        items.append(
            f"Repayments never exceed the capital plus a {percent(sib.max_return)} return."
        )
    if sib.cap is not None:
        items.append(f"Repayments never exceed {pounds(sib.cap)}.")
    return {"title": "Social impact bond", "items": items}


def _measure(measure: Any) -> str:
    text = f"“{measure.id}”: {MEASURE_KIND.get(measure.kind, measure.kind)}"
    if measure.kind == "quantity":
        text += f" of {measure.unit} ({measure.better} is better)"
    if measure.comparison == "baseline" and measure.baseline is not None:
        text += f", compared with a baseline of {measure.baseline}"
    elif measure.comparison == "matched_comparison":
        text += ", compared with a matched comparison group"
    if measure.description:
        text += f". {measure.description}"
    return text + "."


PAYMENT_KINDS = {
    "outcome": ("outcome payments", "outcome payment"),
    "volume": ("volume fees", "volume fee"),
}


def attributed_share(terms: SubcontractTerms, kind: str) -> Decimal | None:
    """The sub-contractor's share of the ``kind`` ("outcome" or "volume") payments its own
    participants earned, when its terms say so (PBR-4, PBR-6)."""
    if kind == "outcome":
        return terms.attributed_outcome_payment_share
    return terms.attributed_volume_fee_share


def payment_share(terms: SubcontractTerms, kind: str) -> Decimal:
    """Its share of ``kind`` payments: of its own participants' (when attributed) or of all."""
    attributed = attributed_share(terms, kind)
    if attributed is not None:
        return attributed
    return terms.outcome_payment_share if kind == "outcome" else terms.volume_fee_share


def share_words(terms: SubcontractTerms, kind: str, whose: str = "its") -> str:
    """A share for a table cell: "90% of what its own participants earn", or "40%"."""
    share = payment_share(terms, kind)
    if attributed_share(terms, kind) is not None:
        return f"{percent(share)} of what {whose} own participants earn"
    return percent(share)


def subcontract_sentence(mechanism: Mechanism, terms: SubcontractTerms) -> str:
    """One sub-contractor's terms (PBR-4, PBR-6) as a sentence."""
    shares = [
        f"{percent(value)} of the {label}"
        for label, value in (
            ("service fee", None if terms.service_fee_value else terms.service_fee_share),
            ("outcome payments", terms.outcome_payment_share),
            ("volume fees", terms.volume_fee_share),
        )
        if value
    ]
    shares += [
        f"{percent(value)} of the {PAYMENT_KINDS[kind][0]} its own participants earn"
        for kind in PAYMENT_KINDS
        if (value := attributed_share(terms, kind))
    ]
    if terms.service_fee_value:
        after = " after the management fee" if terms.management_fee else ""
        shares.insert(0, f"{pounds(terms.service_fee_value)} a year of the service fee{after}")
    name = party_name(mechanism, terms.subcontractor)
    text = f"{name} gets {', '.join(shares) or 'no share of the payments'}"
    text += f", less a management fee of {percent(terms.management_fee)} kept by the prime"
    text += f"; it carries {percent(terms.at_risk_share)} of its share of the money at risk"
    if terms.minimum_contract_value is None:
        text += "; no minimum contract value is guaranteed"
    else:
        text += f"; {pounds(terms.minimum_contract_value)} is guaranteed over the term"
    return text + f"; it is paid {terms.payment_terms_days} days after the prime."
