"""Writing monitoring returns and what each funder needs from them (SUP-7). Every function is one
transaction, refuses with ``PermissionDenied`` (who) or a ``ValidationError`` by field (what,
nothing written), and audits what it did. The web forms, the API and the command line call these.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.contracts.models import Contract
from commissioning.directory.models import Organisation
from commissioning.grants.models import GrantAgreement
from commissioning.kernel.quarters import quarter_end, quarter_start
from commissioning.monitoring import access, lifecycle
from commissioning.monitoring.models import (
    BREAKDOWN_GROUPS,
    CaseStudy,
    Correction,
    Entitlement,
    MonitoringReturn,
    Part,
)
from commissioning.supply_returns.quarters import parse_quarter

#: A title and a capitalised word: "Mr Smith", "Ms. Jones". Stories are told without names.
_NAMED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z]+")


@dataclass(frozen=True)
class Story:
    title: str
    story: str
    consent_confirmed: bool


def _count(value: Any, field: str, message: str, errors: dict[str, str]) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = int(str(value).replace(",", "").strip())
        if number < 0:
            raise ValueError
    except (TypeError, ValueError):
        errors[field] = message
        return None
    return number


def breakdown_field(characteristic: str, group: str) -> str:
    """The form's and the API's name of one count: ``age_18_24``."""
    return f"{characteristic}_{group}"


def _breakdown(
    values: Mapping[str, Any], people: int | None, errors: dict[str, str]
) -> dict[str, dict[str, int]]:
    """The counts by characteristic (only the groups given); each characteristic's counts may
    not add up to more than the people served."""
    found: dict[str, dict[str, int]] = {}
    for characteristic, (label, groups) in BREAKDOWN_GROUPS.items():
        counts: dict[str, int] = {}
        for group, group_label in groups:
            field = breakdown_field(characteristic, group)
            number = _count(
                values.get(field),
                field,
                f"Enter the number aged or described as "
                f"{group_label.lower()} as a whole number, 0 or more",
                errors,
            )
            if number is not None:
                counts[group] = number
        total = sum(counts.values())
        if people is not None and total > people:
            first = breakdown_field(characteristic, groups[0][0])
            errors.setdefault(
                first,
                f"The counts by {label.lower()} add up to {total}: more than the {people} "
                "people served",
            )
        if counts:
            found[characteristic] = counts
    return found


def values_from(document: Mapping[str, Any]) -> dict[str, Any]:
    """The API's and the command line's shape (``breakdown`` nested by characteristic and
    group) as the form's flat values; a characteristic or group we do not count is refused."""
    values = {key: document.get(key) for key in ("people_served", "outputs", "outcomes")}
    breakdown = document.get("breakdown") or {}
    if not isinstance(breakdown, Mapping) or not all(
        isinstance(counts, Mapping) for counts in breakdown.values()
    ):
        raise ValidationError({"breakdown": "Give the counts as {characteristic: {group: count}}"})
    known = {
        breakdown_field(c, g) for c, (_, groups) in BREAKDOWN_GROUPS.items() for g, _ in groups
    }
    unknown: list[str] = []
    for characteristic, counts in breakdown.items():
        for group, count in counts.items():
            field = breakdown_field(characteristic, group)
            if field not in known:
                unknown.append(f"{characteristic}.{group}")
            values[field] = count
    if unknown:
        raise ValidationError(
            {"breakdown": f"Not a characteristic and group we count: {', '.join(unknown)}"}
        )
    return values


def _stories(stories: Iterable[Story], errors: dict[str, str]) -> list[Story]:
    kept: list[Story] = []
    for number, story in enumerate(stories, start=1):
        prefix = "case_study" if number == 1 else f"case_study_{number}"
        if not story.title.strip() and not story.story.strip():
            continue
        if not story.title.strip():
            errors[f"{prefix}_title"] = f"Case study {number}: enter a short title"
        if not story.story.strip():
            errors[f"{prefix}_story"] = f"Case study {number}: enter the story"
        if _NAMED.search(story.title) or _NAMED.search(story.story):
            errors[f"{prefix}_story"] = (
                f"Case study {number}: leave out the person's name; say 'a woman in her 30s' "
                "or similar"
            )
        if not story.consent_confirmed:
            errors[f"{prefix}_consent"] = (
                f"Case study {number}: confirm the person agreed to their story being shared"
            )
        kept.append(Story(story.title.strip(), story.story.strip(), story.consent_confirmed))
    return kept


def _checked(values: Mapping[str, Any], stories: Iterable[Story]) -> dict[str, Any]:
    """The typed values, or a ValidationError naming every problem by field."""
    errors: dict[str, str] = {}
    people = _count(
        values.get("people_served"),
        "people_served",
        "Enter how many people you served as a whole number, 0 or more",
        errors,
    )
    breakdown = _breakdown(values, people, errors)
    kept = _stories(stories, errors)
    if errors:
        raise ValidationError(errors)
    return {
        "people_served": people,
        "breakdown": breakdown,
        "outputs": str(values.get("outputs") or "").strip(),
        "outcomes": str(values.get("outcomes") or "").strip(),
        "stories": kept,
    }


def _write(monitoring_return: MonitoringReturn, checked: dict[str, Any]) -> None:
    for field in ("people_served", "breakdown", "outputs", "outcomes"):
        setattr(monitoring_return, field, checked[field])
    monitoring_return.save()
    monitoring_return.case_studies.all().delete()
    CaseStudy.objects.bulk_create(
        CaseStudy(
            monitoring_return=monitoring_return,
            title=story.title,
            story=story.story,
            consent_confirmed=story.consent_confirmed,
        )
        for story in checked["stories"]
    )


def _require_member(actor: User, organisation: Organisation) -> None:
    if not access.can_write(actor, organisation.pk):
        raise PermissionDenied("Only the organisation's approved members write its returns.")


def save_return(
    actor: User,
    organisation: Organisation,
    quarter: date,
    values: Mapping[str, Any],
    stories: Iterable[Story] = (),
    *,
    submit: bool = False,
) -> MonitoringReturn:
    """Save the organisation's draft return for the quarter ``quarter`` falls in (creating it),
    and with ``submit`` send it: one return a quarter, in one format, for every funder."""
    _require_member(actor, organisation)
    checked = _checked(values, stories)
    start = quarter_start(quarter)
    with transaction.atomic():
        found = (
            MonitoringReturn.objects.select_for_update()
            .filter(organisation=organisation, quarter_start=start)
            .first()
        )
        if found is not None and not lifecycle.is_draft(found):
            raise ValidationError(
                {"quarter": "You have already sent the return for this quarter: correct it instead"}
            )
        monitoring_return = found or MonitoringReturn(
            organisation=organisation,
            quarter_start=start,
            quarter_end=quarter_end(start),
            created_by=actor,
        )
        _write(monitoring_return, checked)
        record(actor, "monitoring_return.save", organisation, {"quarter": str(start)})
        if submit:
            _submit_locked(actor, monitoring_return)
    return monitoring_return


def save_document(
    actor: User, organisation: Organisation, document: Mapping[str, Any]
) -> MonitoringReturn:
    """Save (and with ``submit`` send) a return given in the API's and the command line's shape:
    ``quarter`` like 2026Q3, ``people_served``, ``breakdown`` by characteristic and group,
    ``outputs``, ``outcomes`` and ``case_studies`` (title, story, consent_confirmed)."""
    try:
        start, _ = parse_quarter(str(document.get("quarter") or ""))
    except ValueError:
        raise ValidationError({"quarter": "Give the quarter like 2026Q3"}) from None
    values = values_from(document)
    stories = []
    for item in document.get("case_studies") or []:
        if not isinstance(item, Mapping):
            raise ValidationError({"case_studies": "Give each case study as an object"})
        stories.append(
            Story(
                str(item.get("title") or ""),
                str(item.get("story") or ""),
                item.get("consent_confirmed") is True,
            )
        )
    return save_return(
        actor, organisation, start, values, stories, submit=document.get("submit") is True
    )


def _submit_locked(actor: User, locked: MonitoringReturn) -> None:
    problems = lifecycle.submit_problems(locked, timezone.localdate())
    if problems:
        raise ValidationError(problems)
    transition = lifecycle.submit(locked, actor, timezone.now())
    record(actor, transition.action, locked.organisation, {"quarter": str(locked.quarter_start)})


def submit_return(actor: User, monitoring_return: MonitoringReturn) -> MonitoringReturn:
    """Send a draft (checked: people served, outputs and outcomes, the quarter ended)."""
    _require_member(actor, monitoring_return.organisation)
    with transaction.atomic():
        locked = MonitoringReturn.objects.select_for_update().get(pk=monitoring_return.pk)
        _submit_locked(actor, locked)
    return locked


def _snapshot(monitoring_return: MonitoringReturn) -> dict[str, Any]:
    return {
        "people_served": monitoring_return.people_served,
        "breakdown": monitoring_return.breakdown,
        "outputs": monitoring_return.outputs,
        "outcomes": monitoring_return.outcomes,
        "case_studies": [
            {"title": c.title, "story": c.story} for c in monitoring_return.case_studies.all()
        ],
    }


def correct_return(
    actor: User,
    monitoring_return: MonitoringReturn,
    values: Mapping[str, Any],
    stories: Iterable[Story],
    reason: str,
) -> MonitoringReturn:
    """Change a sent return: the reason, who and when, and what it said before are kept."""
    _require_member(actor, monitoring_return.organisation)
    checked = _checked(values, stories)
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = "Enter why you are correcting the return"
    for field, message in (
        ("people_served", "Enter how many people you served in the quarter"),
        ("outputs", "Enter what you delivered in the quarter"),
        ("outcomes", "Enter what changed for the people you served"),
    ):
        if checked[field] in (None, ""):
            errors[field] = message
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = MonitoringReturn.objects.select_for_update().get(pk=monitoring_return.pk)
        previous = _snapshot(locked)
        transition = lifecycle.correct(locked)
        _write(locked, checked)
        Correction.objects.create(
            monitoring_return=locked, reason=reason.strip(), previous=previous, corrected_by=actor
        )
        record(
            actor,
            transition.action,
            locked.organisation,
            {"quarter": str(locked.quarter_start), "reason": reason.strip()},
        )
    return locked


def declare_needs(
    actor: User,
    organisation: Organisation,
    parts: Iterable[str],
    *,
    contract: Contract | None = None,
    grant_agreement: GrantAgreement | None = None,
) -> Entitlement:
    """Say which parts of ``organisation``'s returns a contract or a grant needs (replacing what
    it said before): its funder then sees those parts, with no new return asked for."""
    if contract is not None:
        if organisation not in access.contract_providers(contract):
            raise ValidationError(
                {"organisation": "This organisation is not funded by the contract"}
            )
        allowed = access.declares_for_contract(actor, contract)
    elif grant_agreement is not None:
        if grant_agreement.application.organisation_id != organisation.pk:
            raise ValidationError({"organisation": "This organisation does not hold the grant"})
        allowed = access.funds_grant(actor, grant_agreement)
    else:
        raise ValueError("a contract or a grant agreement")
    if not allowed:
        raise PermissionDenied("Only the organisation's funder says what it needs.")
    chosen = set(parts)
    unknown = chosen - set(Part.values)
    if unknown or not chosen:
        raise ValidationError({"parts": "Choose at least one part of the return you need"})
    ordered = [part for part in Part.values if part in chosen]
    with transaction.atomic():
        entitlement, _ = Entitlement.objects.update_or_create(
            organisation=organisation,
            contract=contract,
            grant_agreement=grant_agreement,
            defaults={"parts": ordered, "declared_by": actor},
        )
        record(actor, "monitoring.declare_needs", organisation, {"parts": ordered})
    return entitlement
