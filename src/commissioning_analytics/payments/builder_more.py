"""The builder's answers for the format's later additions (PBR-1, PBR-2, PBR-3): a quantity
measure (custody bed nights), a target measured over several years, a fee at risk on several
weighted measures, tariffs that change by contract year and a per-person limit on a volume fee.

Kept apart from :mod:`commissioning_analytics.payments.builder`, which calls these while it
builds a document and reads one back; the answers are the same flat text mapping. Each rule
that joins answers from different steps raises through ``errors`` (answer name → sentence), so
the builder refuses what the loader would, naming the question to change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

HUNDRED = Decimal(100)
QUANTITY = "quantity"
EXTRA_TARGETS = (2, 3)
"""The weighted-targets step asks for a second and a third measure beside the first."""
TARIFF_CHANGES = (1, 2)
"""The tariffs-by-year step asks for up to two changes of each rule's tariffs."""
ORDINAL = {2: "second", 3: "third"}
EXTRA_KINDS = ("intermediate", "binary", "frequency")
"""What the second and third measures may be (a quantity's unit and direction are asked for
the first measure only)."""


def answer_text(answers: Mapping[str, Any], name: str) -> str:
    """The answer to ``name`` as text, stripped; "" when not given."""
    value = answers.get(name)
    return "" if value is None else str(value).strip()


def share_text(percent: str) -> str:
    """ "10" (per cent) as the format's share "0.1"."""
    share = Decimal(percent) / HUNDRED
    return format(share.normalize(), "f") if share else "0"


def percent_text(share: object) -> str:
    return format((Decimal(str(share)) * HUNDRED).normalize(), "f")


def money_text(text: str) -> str:
    return format(Decimal(text).quantize(Decimal("0.01")), "f")


def decimal_text(text: str) -> str:
    return format(Decimal(text).normalize(), "f") if Decimal(text) else "0"


def quantity_terms(answers: Mapping[str, Any], errors: dict[str, str]) -> dict[str, str]:
    """A quantity measure's ``unit`` and ``better`` (PBR-2); refused on other kinds, whose
    direction is fixed, as the loader refuses them."""
    unit, better = answer_text(answers, "measure_unit"), answer_text(answers, "measure_better")
    if answer_text(answers, "measure_kind") != QUANTITY:
        if unit:
            errors["measure_unit"] = (
                "Leave the unit blank: only a quantity per person, like custody bed nights, has one"
            )
        if better:
            errors["measure_better"] = (
                "Leave which way is better blank: only a quantity per person has a choice"
            )
        return {}
    if not unit:
        errors["measure_unit"] = "Enter what is counted for each person, like custody bed nights"
    if not better:
        errors["measure_better"] = "Select whether fewer or more is better"
    return {"unit": unit, "better": better} if unit and better else {}


def extra_measures(answers: Mapping[str, Any]) -> list[dict[str, str]]:
    """The second and third measures the fee at risk is judged on (PBR-2)."""
    measures = []
    for number in EXTRA_TARGETS:
        kind = answer_text(answers, f"target{number}_kind")
        if not kind:
            continue
        measure: dict[str, str] = {"id": f"outcome-{number}", "kind": kind}
        if answer_text(answers, f"target{number}_description"):
            measure["description"] = answer_text(answers, f"target{number}_description")
        if kind == "intermediate":
            measure["indicator"] = "leading"
        else:
            baseline = answer_text(answers, f"target{number}_baseline")
            measure["comparison"] = "baseline" if baseline else "matched_comparison"
            measure["improvement"] = "percentage_points" if kind == "binary" else "events_per_100"
            if baseline:
                measure["baseline"] = decimal_text(baseline)
            measure["indicator"] = "lagging"
        measures.append(measure)
    return measures


def at_risk_additions(
    answers: Mapping[str, Any], at_risk: dict[str, Any], errors: dict[str, str]
) -> None:
    """A target measured over several years, or several weighted targets, on ``at_risk``
    (PBR-1, PBR-2). The two do not combine, nor weighted targets with a sliding scale."""
    years = answer_text(answers, "at_risk_years")
    extras = [n for n in EXTRA_TARGETS if answer_text(answers, f"target{n}_kind")]
    if not extras:
        if answer_text(answers, "at_risk_weight"):
            errors["at_risk_weight"] = (
                "Add a second measure with its target and weight, or leave the first "
                "measure's weight blank"
            )
        if years:
            at_risk["measured_over_years"] = int(years)
        return
    if years:
        errors["at_risk_years"] = (
            "Leave the years blank: a fee at risk on several measures is judged on each "
            "year's results"
        )
    if "sliding_scale" in at_risk:
        errors["clawback_scale"] = (
            "Choose all of the share at risk: a fee at risk on several measures earns each "
            "measure's weight, not a sliding scale"
        )
    weights = [answer_text(answers, "at_risk_weight")] + [
        answer_text(answers, f"target{n}_weight") for n in extras
    ]
    if not weights[0]:
        errors["at_risk_weight"] = "Enter the weight of the first measure's target"
        return
    if any(not weight for weight in weights):
        return  # the step's form names the missing weight
    total = sum((Decimal(weight) for weight in weights), Decimal(0))
    if total != HUNDRED:
        errors["at_risk_weight"] = (
            f"The weights add up to {format(total.normalize(), 'f')}%: they must add up to 100%"
        )
        return
    targets = [{"measure": at_risk.pop("measure"), "target": at_risk.pop("target"), "weight": ""}]
    targets += [
        {
            "measure": f"outcome-{n}",
            "target": decimal_text(answer_text(answers, f"target{n}_target") or "0"),
            "weight": "",
        }
        for n in extras
    ]
    for target, weight in zip(targets, weights, strict=True):
        target["weight"] = share_text(weight)
    at_risk["targets"] = targets


def tariffs_by_year(
    answers: Mapping[str, Any],
    prefix: str,
    groups: Mapping[str, str],
    term_years: int,
    errors: dict[str, str],
) -> list[dict[str, Any]]:
    """Up to two tariff changes of a rule (PBR-1, PBR-3), ``prefix`` ``outcome`` or ``volume``;
    each from a later year within the term, naming every need group the rule has (``groups``:
    the answer number's group id)."""
    entries: list[dict[str, Any]] = []
    for change in TARIFF_CHANGES:
        name = f"{prefix}_change{change}_"
        year, tariff = (
            answer_text(answers, name + "from_year"),
            answer_text(answers, name + "tariff"),
        )
        if not year or not tariff:
            continue
        if int(year) > term_years:
            errors[name + "from_year"] = (
                f"The term has {term_years} contract "
                f"{'year' if term_years == 1 else 'years'}: enter a year from 2 to {term_years}"
            )
        entry: dict[str, Any] = {"from_year": int(year), "tariff": money_text(tariff)}
        group_tariffs = {}
        for number, group in groups.items():
            value = answer_text(answers, f"{name}group{number}_tariff")
            if not value:
                errors[f"{name}group{number}_tariff"] = (
                    f"Enter the {ORDINALS_LOWER[int(number)]} need group's tariff from year {year}"
                )
            else:
                group_tariffs[group] = money_text(value)
        if group_tariffs:
            entry["need_group_tariffs"] = group_tariffs
        entries.append(entry)
    return entries


ORDINALS_LOWER = {1: "first", 2: "second"}


def per_person_limit(answers: Mapping[str, Any]) -> dict[str, Any]:
    """At most N of the fee's events for each of another event (PBR-1), kept for each person
    when the observed volumes say whose events they are."""
    limit = answer_text(answers, "volume_max_per_person")
    event = answer_text(answers, "volume_per_person_event")
    if not limit or not event:
        return {}
    return {"max_units_per_person": int(limit), "per_person_event": event}


def read_back(
    document: Mapping[str, Any],
    answers: dict[str, str],
    group_number: Callable[[str], str],
) -> None:
    """The answers for the additions in a stored ``document`` (the reverse of the above), so a
    mechanism using them is edited with the forms and nothing of them is left out.
    ``group_number`` gives the answer number ("1", "2") of a need group id."""
    measures = {m["id"]: m for m in document.get("measures", [])}
    first = measures.get(answers.get("measure_id", ""), {})
    if first.get("kind") == QUANTITY:
        answers["measure_unit"] = first["unit"]
        answers["measure_better"] = first["better"]
    at_risk = (document.get("service_fee") or {}).get("at_risk") or {}
    if "measured_over_years" in at_risk:
        answers["at_risk_years"] = str(at_risk["measured_over_years"])
    targets = at_risk.get("targets", [])
    if targets:
        answers["at_risk_weight"] = percent_text(targets[0]["weight"])
    for number, target in zip(EXTRA_TARGETS, targets[1:], strict=False):
        measure = measures[target["measure"]]
        if measure["kind"] not in EXTRA_KINDS:
            continue  # listed as left out
        answers[f"target{number}_kind"] = measure["kind"]
        answers[f"target{number}_description"] = measure.get("description", "")
        answers[f"target{number}_baseline"] = str(measure.get("baseline", ""))
        answers[f"target{number}_target"] = str(target["target"])
        answers[f"target{number}_weight"] = percent_text(target["weight"])
    for prefix, key in (("outcome", "outcome_payments"), ("volume", "volume_fees")):
        rules = document.get(key, [])
        changes = rules[0].get("tariffs_by_year", []) if rules else []
        for change, entry in zip(TARIFF_CHANGES, changes, strict=False):
            name = f"{prefix}_change{change}_"
            answers[name + "from_year"] = str(entry["from_year"])
            answers[name + "tariff"] = entry["tariff"]
            for group, tariff in entry.get("need_group_tariffs", {}).items():
                answers[f"{name}group{group_number(group)}_tariff"] = tariff
    volumes = document.get("volume_fees", [])
    if volumes and "max_units_per_person" in volumes[0]:
        answers["volume_max_per_person"] = str(volumes[0]["max_units_per_person"])
        answers["volume_per_person_event"] = volumes[0]["per_person_event"]


def left_out(document: Mapping[str, Any]) -> list[str]:
    """What of the additions the forms cannot show: more than they ask for."""
    items = []
    at_risk = (document.get("service_fee") or {}).get("at_risk") or {}
    if len(at_risk.get("targets", [])) > 1 + len(EXTRA_TARGETS):
        items.append(f"an at-risk share on more than {1 + len(EXTRA_TARGETS)} measures")
    measures = {m["id"]: m for m in document.get("measures", [])}
    if any(
        measures.get(t["measure"], {}).get("kind") not in EXTRA_KINDS
        for t in at_risk.get("targets", [])[1:]
    ):
        items.append("an at-risk target on a quantity measure after the first")
    rules = [*document.get("outcome_payments", [])[:1], *document.get("volume_fees", [])[:1]]
    if any(len(rule.get("tariffs_by_year", [])) > len(TARIFF_CHANGES) for rule in rules):
        items.append(f"more than {len(TARIFF_CHANGES)} changes of tariffs by contract year")
    return items
