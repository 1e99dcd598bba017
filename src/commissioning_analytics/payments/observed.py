"""Observed volumes and outcomes per contract period (format version 1, ``observed.schema.json``).

Checked against its mechanism too: every measure, cohort and fee event it names must exist, and
periods must lie within the term, in order, without repeats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from commissioning_analytics.payments.errors import FieldError, PaymentsFormatError
from commissioning_analytics.payments.loader import read_json
from commissioning_analytics.payments.model import Measure, Mechanism, Role
from commissioning_analytics.payments.schema_check import schema_errors


@dataclass(frozen=True, slots=True)
class OutcomeResult:
    """One cohort's result on one measure: ``observed`` against ``reference`` (the baseline or
    the matched comparison; rates in %, frequencies in events per 100), or for an intermediate
    measure the number of people ``achieved`` per need group. ``by_party`` (optional) is the
    part of the result each delivering organisation's own participants make up, by mechanism
    party id: what outcome payments attributed to a sub-contractor are worked out from."""

    measure: str
    cohort: str
    cohort_size: int
    observed: Decimal | None = None
    reference: Decimal | None = None
    achieved: dict[str, int] = field(default_factory=dict)
    by_party: dict[str, OutcomeResult] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Volume:
    """``count`` fee-bearing events; ``people`` (optional) splits them by pseudonymous person
    id, so a per-person limit is enforced for each person (PBR-1); ``delivered_by`` (optional)
    splits them by the mechanism party whose participants they are, so volume fees can be
    attributed to the sub-contractor that delivered them (PBR-4, PBR-6)."""

    event: str
    count: int
    need_group: str | None = None
    people: dict[str, int] = field(default_factory=dict)
    delivered_by: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PeriodObservation:
    period: int
    label: str
    start: date
    end: date
    outcomes: tuple[OutcomeResult, ...] = ()
    volumes: tuple[Volume, ...] = ()


@dataclass(frozen=True, slots=True)
class Observed:
    mechanism: str
    periods: tuple[PeriodObservation, ...]


def load_observed(path: str | Path, mechanism: Mechanism) -> Observed:
    return parse_observed(read_json(path, f"Observed data {path}"), mechanism)


def parse_observed(document: object, mechanism: Mechanism) -> Observed:
    """Validate ``document`` against the schema and ``mechanism``; raise with every problem."""
    errors = schema_errors("observed", document)
    if not errors:
        assert isinstance(document, dict)
        errors = _reference_errors(document, mechanism)
    if errors:
        raise PaymentsFormatError("Observed data", errors)
    assert isinstance(document, dict)
    return Observed(document["mechanism"], tuple(_period(p) for p in document["periods"]))


def _period(doc: dict[str, Any]) -> PeriodObservation:
    return PeriodObservation(
        period=doc["period"],
        label=doc.get("label", f"Period {doc['period']}"),
        start=date.fromisoformat(doc["start"]),
        end=date.fromisoformat(doc["end"]),
        outcomes=tuple(_outcome(o) for o in doc.get("outcomes", [])),
        volumes=tuple(
            Volume(
                v["event"],
                v["count"],
                v.get("need_group"),
                dict(v.get("people", {})),
                dict(v.get("delivered_by", {})),
            )
            for v in doc.get("volumes", [])
        ),
    )


def _outcome(o: dict[str, Any], whole: dict[str, Any] | None = None) -> OutcomeResult:
    """One result; a party's part of a result (``whole`` given) takes the whole's measure and
    cohort, and its reference unless it has its own."""
    source = whole or o
    reference = o.get("reference", source.get("reference"))
    return OutcomeResult(
        measure=source["measure"],
        cohort=source["cohort"],
        cohort_size=o["cohort_size"],
        observed=Decimal(o["observed"]) if "observed" in o else None,
        reference=Decimal(reference) if reference is not None else None,
        achieved=dict(o.get("achieved", {})),
        by_party={party: _outcome(part, o) for party, part in o.get("by_party", {}).items()},
    )


def _reference_errors(doc: dict[str, Any], mechanism: Mechanism) -> list[FieldError]:
    errors: list[FieldError] = []
    if doc["mechanism"] != mechanism.id:
        errors.append(FieldError("mechanism", f"is {doc['mechanism']!r}, not {mechanism.id!r}"))
    # A per-person limit counts its per_person_event, which need not be paid for itself.
    events = {fee.event for fee in mechanism.volume_fees} | {
        fee.per_person_event for fee in mechanism.volume_fees if fee.per_person_event
    }
    previous = 0
    for i, period in enumerate(doc["periods"]):
        here = f"periods[{i}]"
        number = period["period"]
        if number <= previous:
            errors.append(FieldError(f"{here}.period", "must be after the previous period"))
        if number > mechanism.term_periods:
            errors.append(FieldError(f"{here}.period", "is after the last period of the term"))
        previous = number
        try:
            if date.fromisoformat(period["end"]) < date.fromisoformat(period["start"]):
                errors.append(FieldError(f"{here}.end", "must not be before start"))
        except ValueError:
            errors.append(FieldError(f"{here}.start", "must be a real calendar date"))
        for j, outcome in enumerate(period.get("outcomes", [])):
            errors.extend(_outcome_errors(f"{here}.outcomes[{j}]", outcome, mechanism))
        for j, volume in enumerate(period.get("volumes", [])):
            if volume["event"] not in events:
                msg = f"is {volume['event']!r}, which no volume fee pays for or counts"
                errors.append(FieldError(f"{here}.volumes[{j}].event", msg))
            for key in ("people", "delivered_by"):
                if key in volume and sum(volume[key].values()) != volume["count"]:
                    msg = f"add up to {sum(volume[key].values())}, not the count {volume['count']}"
                    errors.append(FieldError(f"{here}.volumes[{j}].{key}", msg))
            path = f"{here}.volumes[{j}].delivered_by"
            errors.extend(_party_errors(path, volume.get("delivered_by", {}), mechanism))
    errors.extend(_people_errors(doc, mechanism))
    return errors


def _people_errors(doc: dict[str, Any], mechanism: Mechanism) -> list[FieldError]:
    """A per-person limit is checked for each person only if every volume of the fee's event
    and of its ``per_person_event`` says whose it is; some with people and some without would
    be counted half one way and half the other."""
    errors: list[FieldError] = []
    for fee in mechanism.volume_fees:
        if fee.per_person_event is None:
            continue
        limited = {fee.event, fee.per_person_event}
        entries = [
            (f"periods[{i}].volumes[{j}]", "people" in volume)
            for i, period in enumerate(doc["periods"])
            for j, volume in enumerate(period.get("volumes", []))
            if volume["event"] in limited
        ]
        if any(has for _, has in entries) and not all(has for _, has in entries):
            names = " and ".join(sorted(limited))
            msg = (
                f"is required: other volumes of {names} list people, and the limit of "
                f"{fee.max_units_per_person} per {fee.per_person_event} is then kept per person"
            )
            errors.extend(FieldError(f"{path}.people", msg) for path, has in entries if not has)
    return errors


DELIVERING_ROLES = (Role.PRIME, Role.SUBCONTRACTOR)


def _party_errors(path: str, parts: dict[str, Any], mechanism: Mechanism) -> list[FieldError]:
    """A breakdown by delivering organisation names only the mechanism's prime and
    sub-contractors (PBR-4)."""
    roles = {p.id: p.role for p in mechanism.parties}
    return [
        FieldError(
            f"{path}.{party}",
            f"names no prime or sub-contractor of {mechanism.id!r}: the parts are by the "
            "party that delivered them",
        )
        for party in parts
        if roles.get(party) not in DELIVERING_ROLES
    ]


def _by_party_errors(
    here: str, outcome: dict[str, Any], measure: Measure, mechanism: Mechanism
) -> list[FieldError]:
    """Each party's part of a result (PBR-4, PBR-6): the parts' cohorts add up to the whole's,
    and for an intermediate measure the people achieving it add up per need group; for other
    measures each part has its own observed result."""
    parts: dict[str, dict[str, Any]] = outcome.get("by_party", {})
    if not parts:
        return []
    path = f"{here}.by_party"
    errors = _party_errors(path, parts, mechanism)
    sizes = sum(part["cohort_size"] for part in parts.values())
    if sizes != outcome["cohort_size"]:
        msg = f"cohort sizes add up to {sizes}, not the cohort_size {outcome['cohort_size']}"
        errors.append(FieldError(path, msg))
    if measure.kind == "intermediate":
        totals: dict[str, int] = {}
        for party, part in parts.items():
            if "achieved" not in part:
                msg = "is required for an intermediate measure (an empty {} for nobody)"
                errors.append(FieldError(f"{path}.{party}.achieved", msg))
            for group, count in part.get("achieved", {}).items():
                totals[group] = totals.get(group, 0) + count
        whole = {g: n for g, n in outcome.get("achieved", {}).items() if n}
        if {g: n for g, n in totals.items() if n} != whole and all(
            "achieved" in part for part in parts.values()
        ):
            found = ", ".join(f"{g} {n}" for g, n in sorted(totals.items()) if n) or "none"
            wanted = ", ".join(f"{g} {n}" for g, n in sorted(whole.items())) or "none"
            msg = f"people achieving add up to {found} by need group, not achieved's {wanted}"
            errors.append(FieldError(path, msg))
        return errors
    for party, part in parts.items():
        if "observed" not in part:
            msg = f"is required for a {measure.kind} measure"
            errors.append(FieldError(f"{path}.{party}.observed", msg))
    return errors


def _outcome_errors(here: str, outcome: dict[str, Any], mechanism: Mechanism) -> list[FieldError]:
    measure = mechanism.measures.get(outcome["measure"])
    if measure is None:
        return [FieldError(f"{here}.measure", f"names no measure of {mechanism.id!r}")]
    errors = _by_party_errors(here, outcome, measure, mechanism)
    if measure.kind == "intermediate":
        if "achieved" not in outcome:
            errors.append(FieldError(f"{here}.achieved", "is required for an intermediate measure"))
        elif sum(outcome["achieved"].values()) > outcome["cohort_size"]:
            errors.append(FieldError(f"{here}.achieved", "counts more people than the cohort"))
        return errors
    if "observed" not in outcome:
        errors.append(FieldError(f"{here}.observed", f"is required for a {measure.kind} measure"))
    if "reference" not in outcome and measure.baseline is None:
        msg = "is required: the measure has no baseline in the mechanism"
        errors.append(FieldError(f"{here}.reference", msg))
    if measure.improvement == "relative_percent":
        reference = outcome.get("reference", measure.baseline)
        if reference is not None and Decimal(reference) <= 0:
            msg = "must be more than 0 to measure a relative change"
            errors.append(FieldError(f"{here}.reference", msg))
    return errors
