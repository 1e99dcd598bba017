"""Equality impact assessments for tests (EQU-1): complete answers for the form and the service,
and a published assessment so that an exercise's tender may be published."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from commissioning.equality.models import Assessment, Characteristic, Impact
from commissioning.equality.services import seed_published
from commissioning.exercises.models import CommissioningExercise


def complete_answers(**overrides: Any) -> dict[str, Any]:
    """Answers that pass every publication check: evidence and an impact for each
    characteristic, mitigation where the impact is negative (race) or not known (gender
    reassignment), and who was engaged."""
    answers: dict[str, Any] = {
        "scope": "Resettlement support for people leaving prison in the area.",
        "organisations_engaged": "Women's Centre Network; Black Training and Enterprise Group.",
        "service_users_engaged": "Two lived-experience panels of 12 people each.",
    }
    for characteristic in Characteristic:
        key = characteristic.value
        impact = {"race": Impact.NEGATIVE, "gender_reassignment": Impact.NOT_KNOWN}.get(
            key, Impact.NEUTRAL
        )
        answers[f"{key}_evidence"] = f"Needs assessment data on {characteristic.label.lower()}."
        answers[f"{key}_impact"] = impact.value
        answers[f"{key}_mitigation"] = (
            f"Monitor {characteristic.label.lower()} each quarter." if impact != "neutral" else ""
        )
    answers.update(overrides)
    return answers


def published_assessment(exercise: CommissioningExercise, **fields: Any) -> Assessment:
    """A published version 1 of ``exercise``'s assessment (the tender guard passes)."""
    answers = complete_answers()
    findings = [
        (
            c.value,
            answers[f"{c.value}_evidence"],
            answers[f"{c.value}_impact"],
            answers[f"{c.value}_mitigation"],
        )
        for c in Characteristic
    ]
    defaults = {
        "scope": answers["scope"],
        "organisations_engaged": answers["organisations_engaged"],
        "service_users_engaged": answers["service_users_engaged"],
    }
    return seed_published(
        exercise,
        findings=findings,
        published_at=fields.pop("published_at", datetime(2026, 1, 5, 9, tzinfo=UTC)),
        **{**defaults, **fields},
    )
