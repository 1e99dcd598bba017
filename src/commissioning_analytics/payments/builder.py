"""The payment mechanism builder's rules (PBR-1 .. PBR-4, PBR-6): a commissioner's answers to
the builder's questions, step by step, become a mechanism document (format version 1,
``docs/payments.md``), and a scenario they choose (referrals, outcome rate) becomes observed
data, so the preview beside the form is the core's own statement.

Answers are a flat mapping of text, as forms give them: money in pounds, shares as percentages
("10" for 10%). Framework-free: no Django. A document built here is checked by
:func:`~commissioning_analytics.payments.loader.parse_mechanism` like any other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from commissioning_analytics.payments import builder_more
from commissioning_analytics.payments.builder_more import answer_text as _text
from commissioning_analytics.payments.builder_more import decimal_text as _decimal
from commissioning_analytics.payments.builder_more import money_text as _money
from commissioning_analytics.payments.builder_more import percent_text as _percent_text
from commissioning_analytics.payments.builder_more import share_text as _share

HUNDRED = Decimal(100)
MEASURE_ID = "outcome"
OUTCOME_RULE_ID = "outcome-payment"
VOLUME_RULE_ID = "volume-fee"
MAX_SUBCONTRACTORS = 3
NEED_GROUPS = 2
UP_FRONT_GUIDANCE = Decimal("0.70")
AT_RISK_GUIDANCE = (Decimal("0.10"), Decimal("0.30"))
PREVIEW_START = date(2026, 4, 1)
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
PERIODS_PER_YEAR = {"month": 12, "four_weeks": 13, "quarter": 4, "year": 1}
REOFFENDING_KINDS = ("binary", "frequency")


class BuilderError(ValueError):
    """Answers that cannot make a mechanism, by answer name (each a sentence people read)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


def slug(text: str, fallback: str) -> str:
    """An identifier for the format (letters, digits, ``-``) from a name people typed."""
    made = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64].strip("-")
    return made or fallback


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def _measure_id(answers: Mapping[str, Any]) -> str:
    return _text(answers, "measure_id") or MEASURE_ID


def _parties(answers: Mapping[str, Any]) -> tuple[list[dict[str, str]], list[str]]:
    commissioner = _text(answers, "commissioner_id") or "commissioner"
    prime = _text(answers, "prime_id") or "prime"
    investor = _text(answers, "investor_id") or "investor"
    parties = [
        {"id": commissioner, "name": _text(answers, "commissioner_name"), "role": "commissioner"},
        {"id": prime, "name": _text(answers, "prime_name"), "role": "prime"},
    ]
    subs: list[str] = []
    taken = {commissioner, prime, investor}
    for number in range(1, MAX_SUBCONTRACTORS + 1):
        name = _text(answers, f"sub{number}_name")
        if not name:
            continue
        party_id = _text(answers, f"sub{number}_id") or slug(name, f"subcontractor-{number}")
        while party_id in taken:
            party_id = f"{party_id}-{number}"[:64]
        taken.add(party_id)
        subs.append(party_id)
        parties.append({"id": party_id, "name": name, "role": "subcontractor"})
    if _text(answers, "investor_name"):
        parties.append(
            {"id": investor, "name": _text(answers, "investor_name"), "role": "investor"}
        )
    return parties, subs


IMPROVEMENT_BY_KIND = {
    "binary": "percentage_points",
    "frequency": "events_per_100",
    builder_more.QUANTITY: "per_person",
}


def _measure(answers: Mapping[str, Any], errors: dict[str, str]) -> dict[str, str] | None:
    kind = _text(answers, "measure_kind")
    quantity = builder_more.quantity_terms(answers, errors)
    if not kind:
        return None
    measure: dict[str, str] = {"id": _measure_id(answers), "kind": kind}
    description = _text(answers, "measure_description")
    if description:
        measure["description"] = description
    if kind in IMPROVEMENT_BY_KIND:
        measure["comparison"] = _text(answers, "comparison") or "baseline"
        measure["improvement"] = _text(answers, "improvement") or IMPROVEMENT_BY_KIND[kind]
        if _text(answers, "baseline"):
            measure["baseline"] = _decimal(_text(answers, "baseline"))
        measure.update(quantity)
        measure["indicator"] = "lagging"
    else:
        measure["indicator"] = "leading"
    return measure


def _service_fee(answers: Mapping[str, Any], errors: dict[str, str]) -> dict[str, Any] | None:
    if not _text(answers, "annual_value"):
        return None
    fee: dict[str, Any] = {
        "annual_value": _money(_text(answers, "annual_value")),
        "frequency": _text(answers, "frequency"),
        "timing": _text(answers, "timing"),
    }
    at_risk = _number(_text(answers, "at_risk_percent"))
    if at_risk:
        if not _text(answers, "measure_kind"):
            errors["at_risk_percent"] = (
                "Set an outcome measure before putting part of the fee at risk on it"
            )
        elif not _text(answers, "at_risk_target"):
            errors["at_risk_target"] = "Enter the improvement the fee at risk depends on"
        else:
            fee["at_risk"] = {
                "share": _share(_text(answers, "at_risk_percent")),
                "mode": _text(answers, "at_risk_mode") or "clawback",
                "measure": _measure_id(answers),
                "target": _decimal(_text(answers, "at_risk_target")),
            }
            scale = _sliding_scale(answers, fee["at_risk"]["mode"], errors)
            if scale is not None:
                fee["at_risk"]["sliding_scale"] = scale
            builder_more.at_risk_additions(answers, fee["at_risk"], errors)
    return fee


def _sliding_scale(
    answers: Mapping[str, Any], mode: str, errors: dict[str, str]
) -> dict[str, str] | None:
    """A clawback in proportion to the shortfall, with a cap (PBR-1): asked as the percentage
    of the amount at risk repaid for each point short, and the most repaid."""
    if _text(answers, "clawback_scale") != "sliding":
        return None
    if mode != "clawback":
        errors["clawback_scale"] = (
            "A sliding scale is for a share that is paid and clawed back: a share withheld is "
            "released or kept whole"
        )
        return None
    per_unit = _text(answers, "sliding_percent_per_unit")
    if not per_unit:
        errors["sliding_percent_per_unit"] = (
            "Enter the share of the amount at risk clawed back for each point short"
        )
        return None
    scale = {"share_per_unit": _share(per_unit)}
    if _text(answers, "sliding_cap_percent"):
        scale["cap"] = _share(_text(answers, "sliding_cap_percent"))
    return scale


def _need_groups(answers: Mapping[str, Any]) -> dict[str, str]:
    """The need groups asked for, by answer number: ``{"1": "standard", …}``."""
    return {
        str(number): slug(_text(answers, f"group{number}"), f"group-{number}")
        for number in range(1, NEED_GROUPS + 1)
        if _text(answers, f"group{number}") and _text(answers, f"group{number}_tariff")
    }


def _need_group_tariffs(answers: Mapping[str, Any]) -> dict[str, str]:
    return {
        group: _money(_text(answers, f"group{number}_tariff"))
        for number, group in _need_groups(answers).items()
    }


def _term_years(answers: Mapping[str, Any]) -> int:
    periods = int(_text(answers, "term_periods") or 0)
    per_year = PERIODS_PER_YEAR.get(_text(answers, "period"), 1)
    return max((periods - 1) // per_year + 1, 1)


def _outcome_payment(answers: Mapping[str, Any], errors: dict[str, str]) -> dict[str, Any] | None:
    if not _text(answers, "outcome_tariff"):
        if _text(answers, "outcome_change1_tariff"):
            errors["outcome_change1_tariff"] = (
                "Enter the outcome payment's tariff before changing it by contract year"
            )
        return None
    kind = _text(answers, "measure_kind")
    if not kind:
        errors["outcome_tariff"] = "Set an outcome measure before paying for outcomes on it"
        return None
    basis = "per_person_achieving" if kind == "intermediate" else "per_unit_improvement"
    if _text(answers, "outcome_basis") == "fixed":
        basis = "fixed"
    rule: dict[str, Any] = {
        "id": _text(answers, "outcome_rule_id") or OUTCOME_RULE_ID,
        "measure": _measure_id(answers),
        "basis": basis,
        "tariff": _money(_text(answers, "outcome_tariff")),
    }
    tariffs = _need_group_tariffs(answers)
    if tariffs:
        rule["need_group_tariffs"] = tariffs
    changes = builder_more.tariffs_by_year(
        answers, "outcome", _need_groups(answers), _term_years(answers), errors
    )
    if changes:
        rule["tariffs_by_year"] = changes
    if _text(answers, "threshold"):
        rule["threshold"] = _decimal(_text(answers, "threshold"))
    for name in ("floor", "cap", "total_cap"):
        if _text(answers, name):
            rule[name] = _money(_text(answers, name))
    return rule


def _volume_fee(answers: Mapping[str, Any], errors: dict[str, str]) -> dict[str, Any] | None:
    if not _text(answers, "volume_tariff"):
        for name in ("volume_max_per_person", "volume_change1_tariff"):
            if _text(answers, name):
                errors[name] = "Enter the fee per event before limiting or changing it"
        return None
    fee: dict[str, Any] = {
        "id": _text(answers, "volume_rule_id") or VOLUME_RULE_ID,
        "event": _text(answers, "volume_event") or "referral",
        "tariff": _money(_text(answers, "volume_tariff")),
    }
    changes = builder_more.tariffs_by_year(answers, "volume", {}, _term_years(answers), errors)
    if changes:
        fee["tariffs_by_year"] = changes
    fee.update(builder_more.per_person_limit(answers))
    return fee


def _social_impact_bond(
    answers: Mapping[str, Any], errors: dict[str, str]
) -> dict[str, Any] | None:
    if not _text(answers, "investor_name"):
        return None
    if _text(answers, "measure_kind") not in REOFFENDING_KINDS:
        errors["investor_name"] = (
            "A social impact bond pays on a reoffending measure: choose binary or frequency "
            "reoffending as the outcome measure"
        )
        return None
    bond: dict[str, Any] = {
        "investor": _text(answers, "investor_id") or "investor",
        "capital": [{"period": 1, "amount": _money(_text(answers, "sib_capital") or "0")}],
        "measure": _measure_id(answers),
        "tariff": _money(_text(answers, "sib_tariff") or "0"),
        "all_cohorts_threshold": _decimal(_text(answers, "sib_threshold") or "0"),
        "final_period": int(_text(answers, "sib_final_period") or _text(answers, "term_periods")),
    }
    if _text(answers, "sib_max_return"):
        bond["max_return"] = _share(_text(answers, "sib_max_return"))
    return bond


def answers_from_mechanism(document: Mapping[str, Any]) -> tuple[dict[str, str], list[str]]:
    """The builder's answers for a stored mechanism, so a contract's mechanism is edited from
    what it says, and what the builder cannot show (a second measure, a service fee promised
    as money…): saving the built mechanism replaces those. Party ids are kept, so the
    contract's parties still name them."""
    answers: dict[str, str] = {
        "name": str(document.get("name", "")),
        "period": str(document.get("period", "")),
        "term_periods": str(document.get("term_periods", "")),
        "payment_terms_days": str(document.get("payment_terms_days", "")),
    }
    left_out: list[str] = []
    parties = list(document.get("parties", []))
    names = {p["id"]: p["name"] for p in parties}
    for role in ("commissioner", "prime", "investor"):
        for party in parties:
            if party["role"] == role:
                answers[f"{role}_id"] = party["id"]
                if role != "investor":
                    answers[f"{role}_name"] = party["name"]
                break
    if any(p["role"] == "outcome_payer" for p in parties):
        left_out.append("outcome payers other than the commissioner")
    measures = list(document.get("measures", []))
    fee = document.get("service_fee") or {}
    at_risk = fee.get("at_risk") or {}
    first_target = (at_risk.get("targets") or [at_risk])[0]
    outcomes = list(document.get("outcome_payments", []))
    wanted = first_target.get("measure") or (outcomes[0]["measure"] if outcomes else None)
    measure = next((m for m in measures if m["id"] == wanted), measures[0] if measures else None)
    if measure is not None:
        answers["measure_id"] = measure["id"]
        answers["measure_kind"] = measure["kind"]
        answers["measure_description"] = measure.get("description", "")
        answers["comparison"] = measure.get("comparison", "")
        answers["improvement"] = measure.get("improvement", "")
        answers["baseline"] = str(measure.get("baseline", ""))
        judged = {t["measure"] for t in at_risk.get("targets", [])} | {measure["id"]}
        if any(m["id"] not in judged for m in measures) or any(
            m["kind"] == builder_more.QUANTITY for m in measures if m["id"] != measure["id"]
        ):
            left_out.append("outcome measures after the first")
    if fee:
        answers.update(
            annual_value=fee["annual_value"], frequency=fee["frequency"], timing=fee["timing"]
        )
        if at_risk:
            answers.update(
                at_risk_percent=_percent_text(at_risk["share"]),
                at_risk_mode=at_risk["mode"],
                at_risk_target=str(first_target["target"]),
            )
            scale = at_risk.get("sliding_scale") or {}
            if at_risk["mode"] == "clawback":
                answers["clawback_scale"] = "sliding" if scale else "whole"
            if "share_per_unit" in scale:
                answers["sliding_percent_per_unit"] = _percent_text(scale["share_per_unit"])
            if "cap" in scale:
                answers["sliding_cap_percent"] = _percent_text(scale["cap"])
            if "amount_per_unit" in scale:
                left_out.append("a clawback of an amount in pounds for each point short")
    if outcomes:
        rule = outcomes[0]
        answers["outcome_rule_id"] = rule["id"]
        answers["outcome_tariff"] = rule["tariff"]
        answers["outcome_basis"] = "fixed" if rule["basis"] == "fixed" else "per_result"
        for number, (group, tariff) in enumerate(
            list(rule.get("need_group_tariffs", {}).items())[:NEED_GROUPS], start=1
        ):
            answers[f"group{number}"], answers[f"group{number}_tariff"] = group, tariff
        for name in ("threshold", "floor", "cap", "total_cap"):
            answers[name] = str(rule.get(name, ""))
        if len(outcomes) > 1 or len(rule.get("need_group_tariffs", {})) > NEED_GROUPS:
            left_out.append("outcome payments or need groups beyond the first")
    volumes = list(document.get("volume_fees", []))
    if volumes:
        answers["volume_event"], answers["volume_tariff"] = (
            volumes[0]["event"],
            volumes[0]["tariff"],
        )
        if len(volumes) > 1 or volumes[0].get("need_group_tariffs"):
            left_out.append("volume fees beyond one fee per event")
    bond = document.get("social_impact_bond")
    if bond:
        answers["investor_name"] = names.get(bond["investor"], "")
        answers["investor_id"] = bond["investor"]
        answers["sib_capital"] = format(sum(Decimal(c["amount"]) for c in bond["capital"]), "f")
        answers["sib_tariff"] = bond["tariff"]
        answers["sib_threshold"] = str(
            bond.get("all_cohorts_threshold", bond.get("single_cohort_threshold", ""))
        )
        answers["sib_final_period"] = str(bond["final_period"])
        if "max_return" in bond:
            answers["sib_max_return"] = _percent_text(bond["max_return"])
        left_out.append(
            "the social impact bond's capital schedule, single-cohort threshold and cap"
        )
    chain = list(document.get("supply_chain", []))
    for number, terms in enumerate(chain[:MAX_SUBCONTRACTORS], start=1):
        prefix = f"sub{number}_"
        answers[prefix + "id"] = terms["subcontractor"]
        answers[prefix + "name"] = names.get(terms["subcontractor"], "")
        for answer, field in SUBCONTRACT_SHARES:
            if field in terms:
                answers[prefix + answer] = _percent_text(terms[field])
        for answer, field in ATTRIBUTED_SHARES:
            if f"attributed_{field}" in terms:
                answers[prefix + answer] = _percent_text(terms[f"attributed_{field}"])
                answers[prefix + answer.replace("_share", "_basis")] = OWN_PARTICIPANTS
        if "minimum_contract_value" in terms:
            answers[prefix + "minimum"] = terms["minimum_contract_value"]
        if "payment_terms_days" in terms:
            answers[prefix + "payment_terms"] = str(terms["payment_terms_days"])
        if "service_fee_value" in terms:
            left_out.append(f"the service fee promised to {answers[prefix + 'name']} as money")
    if len(chain) > MAX_SUBCONTRACTORS:
        left_out.append(f"sub-contractors after the first {MAX_SUBCONTRACTORS}")
    group_numbers = {
        group: str(number)
        for number, group in enumerate(
            (outcomes[0].get("need_group_tariffs", {}) if outcomes else {}), start=1
        )
    }
    builder_more.read_back(document, answers, lambda group: group_numbers.get(group, "1"))
    left_out.extend(builder_more.left_out(document))
    return answers, left_out


SUBCONTRACT_SHARES = (
    ("fee_share", "service_fee_share"),
    ("outcome_share", "outcome_payment_share"),
    ("volume_share", "volume_fee_share"),
    ("management_fee", "management_fee"),
    ("risk_passed", "at_risk_share"),
)


ATTRIBUTED_SHARES = (
    ("outcome_share", "outcome_payment_share"),
    ("volume_share", "volume_fee_share"),
)
OWN_PARTICIPANTS = "own"
"""The answer to "a share of what?" (``sub1_outcome_basis``, ``sub1_volume_basis``) that makes
the share one of what the sub-contractor's own participants earned (PBR-4, PBR-6)."""


def _supply_chain(
    answers: Mapping[str, Any], subs: list[str], errors: dict[str, str]
) -> list[dict[str, Any]]:
    chain: list[dict[str, Any]] = []
    numbers = [n for n in range(1, MAX_SUBCONTRACTORS + 1) if _text(answers, f"sub{n}_name")]
    for number, party_id in zip(numbers, subs, strict=True):
        terms: dict[str, Any] = {"subcontractor": party_id}
        for answer, field in SUBCONTRACT_SHARES:
            value = _text(answers, f"sub{number}_{answer}")
            if value:
                terms[field] = _share(value)
        for answer, field in ATTRIBUTED_SHARES:
            basis = f"sub{number}_{answer.replace('_share', '_basis')}"
            if _text(answers, basis) != OWN_PARTICIPANTS:
                continue
            if field in terms:
                terms[f"attributed_{field}"] = terms.pop(field)
            else:
                errors[f"sub{number}_{answer}"] = (
                    "Enter the share of what its own participants earn that it is passed"
                )
        if _text(answers, f"sub{number}_minimum"):
            terms["minimum_contract_value"] = _money(_text(answers, f"sub{number}_minimum"))
        if _text(answers, f"sub{number}_payment_terms"):
            terms["payment_terms_days"] = int(_text(answers, f"sub{number}_payment_terms"))
        chain.append(terms)
    return chain


def build_mechanism(answers: Mapping[str, Any], *, mechanism_id: str = "") -> dict[str, Any]:
    """The mechanism document the answers describe (PBR-1). Raises :class:`BuilderError` for
    answers that depend on one another and disagree (a fee at risk with no measure to judge
    it); the document itself is then checked by the core's schema and cross-references."""
    errors: dict[str, str] = {}
    name = _text(answers, "name")
    parties, subs = _parties(answers)
    document: dict[str, Any] = {
        "format_version": 1,
        "id": mechanism_id or slug(name, "mechanism"),
        "name": name,
        "period": _text(answers, "period"),
        "term_periods": int(_text(answers, "term_periods") or 0),
        "payment_terms_days": int(_text(answers, "payment_terms_days") or 30),
        "parties": parties,
    }
    measure = _measure(answers, errors)
    extras = builder_more.extra_measures(answers)
    if measure is not None:
        document["measures"] = [measure, *extras]
    fee = _service_fee(answers, errors)
    if extras and "targets" not in (fee or {}).get("at_risk", {}) and not errors:
        errors["target2_kind"] = (
            "Put a share of the service fee at risk on the first measure before adding "
            "other measures it is judged on"
        )
    if fee is not None:
        document["service_fee"] = fee
    outcome = _outcome_payment(answers, errors)
    if outcome is not None:
        document["outcome_payments"] = [outcome]
    volume = _volume_fee(answers, errors)
    if volume is not None:
        document["volume_fees"] = [volume]
    bond = _social_impact_bond(answers, errors)
    if bond is not None:
        document["social_impact_bond"] = bond
    chain = _supply_chain(answers, subs, errors)
    if chain:
        document["supply_chain"] = chain
    if errors:
        raise BuilderError(errors)
    return document


def guidance(document: Mapping[str, Any]) -> list[str]:
    """Where the answers depart from the seeds' guidance on fair risk (PBR-4): at least 70% of
    the service fee paid whatever the results, and 10–30% of it at risk. Management fees above
    the policy threshold are flagged by the risk table (``chain_risk``)."""
    fee = document.get("service_fee")
    if not fee:
        return []
    share = Decimal(fee.get("at_risk", {}).get("share", "0"))
    low, high = AT_RISK_GUIDANCE
    messages: list[str] = []
    if 1 - share < UP_FRONT_GUIDANCE:
        messages.append(
            f"Only {_percent(1 - share)} of the service fee is paid whatever the results: "
            f"guidance is at least {_percent(UP_FRONT_GUIDANCE)}"
        )
    if fee.get("timing") == "arrears":
        messages.append(
            "The service fee is paid in arrears: guidance is to pay most of it up front, so "
            "that small providers do not fund the work themselves"
        )
    if share and not low <= share <= high:
        messages.append(
            f"{_percent(share)} of the service fee is at risk: guidance is between "
            f"{_percent(low)} and {_percent(high)}"
        )
    return messages


def _percent(share: Decimal) -> str:
    return f"{format((share * HUNDRED).normalize(), 'f')}%"


def _period_dates(period: str, number: int) -> tuple[date, date]:
    if period == "four_weeks":
        start = PREVIEW_START + timedelta(days=28 * (number - 1))
        return start, start + timedelta(days=27)
    months = PERIOD_MONTHS[period]

    def first_of(index: int) -> date:
        month = PREVIEW_START.month - 1 + index * months
        return date(PREVIEW_START.year + month // 12, month % 12 + 1, 1)

    return first_of(number - 1), first_of(number) - timedelta(days=1)


def scenario_observed(
    document: Mapping[str, Any],
    *,
    referrals_per_year: int,
    outcome_rate: Decimal,
    comparison_rate: Decimal = Decimal(50),
) -> dict[str, Any]:
    """Observed data for the preview (PBR-1): ``referrals_per_year`` people, each contract year
    one cohort whose result is ``outcome_rate`` per cent: people achieving an intermediate
    outcome (split evenly across the need groups), people not reconvicted (binary), or the cut
    in reconviction events per 100 (frequency); judged at the year's last period against the
    baseline, or
    ``comparison_rate`` where the comparison has no fixed baseline. Volume fees count each
    referral once, in the period it arrives; the event a volume fee's per-person limit counts
    (a job outcome, say) happens to ``outcome_rate`` per cent of them, spread alike, so the
    limit is kept in total. Dates start on 1 April 2026. When a sub-contractor
    is paid on what its own participants earn, the people are spread evenly over the prime and
    the sub-contractors (``delivered_by``, ``by_party``), so its attributed payments show."""
    period = document["period"]
    per_year = PERIODS_PER_YEAR[period]
    term = int(document["term_periods"])
    measures = {m["id"]: m for m in document.get("measures", [])}
    groups = sorted(
        {
            group
            for rule in [*document.get("outcome_payments", []), *document.get("volume_fees", [])]
            for group in rule.get("need_group_tariffs", {})
        }
    ) or ["all"]
    events = {fee["event"] for fee in document.get("volume_fees", [])}
    limiting = sorted(
        {fee.get("per_person_event") or "" for fee in document.get("volume_fees", [])}
        - events
        - {""}
    )
    achieving_per_year = int(referrals_per_year * outcome_rate / HUNDRED)
    deliverers = _deliverers(document)
    periods: list[dict[str, Any]] = []
    for number in range(1, term + 1):
        start, end = _period_dates(period, number)
        entry: dict[str, Any] = {
            "period": number,
            "start": start.isoformat(),
            "end": end.isoformat(),
        }
        referrals = _spread(referrals_per_year, per_year, number)
        if events:
            entry["volumes"] = [
                {"event": event, "need_group": group, "count": count}
                | _delivered_by(count, deliverers)
                for event in sorted(events)
                for group, count in zip(groups, _split(referrals, len(groups)), strict=True)
                if count
            ]
            achieving = _spread(achieving_per_year, per_year, number)
            entry["volumes"] += [
                {"event": event, "count": achieving} | _delivered_by(achieving, deliverers)
                for event in limiting
                if achieving
            ]
        if number % per_year == 0 or number == term:
            cohort_size = max(referrals_per_year, 1)
            entry["outcomes"] = [
                _by_party(
                    _outcome(
                        measure,
                        str((number - 1) // per_year + 1),
                        cohort_size,
                        outcome_rate,
                        comparison_rate,
                        groups,
                    ),
                    deliverers,
                )
                for measure in measures.values()
            ]
        periods.append(entry)
    return {"format_version": 1, "mechanism": document["id"], "periods": periods}


def _outcome(
    measure: Mapping[str, Any],
    cohort: str,
    cohort_size: int,
    rate: Decimal,
    comparison_rate: Decimal,
    groups: list[str],
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "measure": measure["id"],
        "cohort": cohort,
        "cohort_size": cohort_size,
    }
    if measure["kind"] == "intermediate":
        achieved = int(cohort_size * rate / HUNDRED)
        result["achieved"] = dict(zip(groups, _split(achieved, len(groups)), strict=True))
        return result
    reference = Decimal(measure.get("baseline", comparison_rate))
    observed = reference * (1 - rate / HUNDRED)
    if measure.get("better") == "higher":
        observed = reference * (1 + rate / HUNDRED)
    if measure["kind"] == "binary":
        observed = HUNDRED - rate
    result["observed"] = format(observed.quantize(Decimal("0.1")), "f")
    if "baseline" not in measure:
        result["reference"] = format(reference, "f")
    return result


def _spread(total: int, parts: int, number: int) -> int:
    """The ``number``th period's share of ``total`` a year, whole people, adding up each year."""
    index = (number - 1) % parts
    return total * (index + 1) // parts - total * index // parts


def _split(total: int, parts: int) -> list[int]:
    return [total * (i + 1) // parts - total * i // parts for i in range(parts)]


def _deliverers(document: Mapping[str, Any]) -> list[str]:
    """The prime and the sub-contractors, when any sub-contractor's terms are attributed to its
    own participants (PBR-4, PBR-6); otherwise none, and the scenario is not split."""
    chain = document.get("supply_chain", [])
    if not any(key.startswith("attributed_") for terms in chain for key in terms):
        return []
    prime = next(p["id"] for p in document["parties"] if p["role"] == "prime")
    return [prime, *(terms["subcontractor"] for terms in chain)]


def _delivered_by(count: int, deliverers: list[str]) -> dict[str, Any]:
    if not deliverers:
        return {}
    parts = zip(deliverers, _split(count, len(deliverers)), strict=True)
    return {"delivered_by": {party: n for party, n in parts if n}}


def _by_party(result: dict[str, Any], deliverers: list[str]) -> dict[str, Any]:
    """``result`` with each deliverer's even part of its cohort (and of the people achieving an
    intermediate outcome; a reoffending result is the same for each part)."""
    size = result["cohort_size"]
    if not deliverers or size < len(deliverers):
        return result
    sizes = _split(size, len(deliverers))
    achieved = {g: _split(n, len(deliverers)) for g, n in result.get("achieved", {}).items()}
    parts: dict[str, Any] = {}
    for index, party in enumerate(deliverers):
        part: dict[str, Any] = {"cohort_size": sizes[index]}
        if "achieved" in result:
            part["achieved"] = {g: counts[index] for g, counts in achieved.items()}
        if "observed" in result:
            part["observed"] = result["observed"]
        parts[party] = part
    return {**result, "by_party": parts}
