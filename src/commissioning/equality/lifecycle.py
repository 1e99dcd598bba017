"""An equality impact assessment's status as one explicit state machine (EQU-1; the pattern of
issue 12).

    draft ──publish──▶ published ──(a revision is published)──▶ superseded

A published assessment is never edited: revising it drafts the next version with a reason, and
publishing that version supersedes this one. :func:`publish` is the only code that writes
``Assessment.status``.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError

from commissioning.equality.models import Assessment, Characteristic, Impact
from commissioning.transitions import Transition

Status = Assessment.Status

TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (Status.DRAFT, Status.PUBLISHED): Transition(
        action="equality_assessment.publish",
        guard="A commissioner of the body; every characteristic assessed, who was engaged "
        "recorded, and a reason for a revision.",
        effects=("public page and PDF", "the exercise's tender may be published"),
    ),
    (Status.PUBLISHED, Status.SUPERSEDED): Transition(
        action="",
        guard="The next version is published.",
        effects=("the page shows the new version",),
    ),
}

NEEDS_MITIGATION = frozenset({Impact.NEGATIVE, Impact.NOT_KNOWN})


def publish_problems(assessment: Assessment) -> dict[str, str]:
    """What stops ``assessment`` being published, by form field (empty when it can be)."""
    if assessment.status != Status.DRAFT:
        return {"__all__": "Only a draft assessment can be published."}
    problems: dict[str, str] = {}
    if not assessment.scope.strip():
        problems["scope"] = "Enter what the assessment covers"
    findings = {f.characteristic: f for f in assessment.findings.all()}
    for characteristic in Characteristic:
        finding = findings.get(characteristic.value)
        label = characteristic.label.lower()
        if finding is None or not finding.evidence.strip():
            problems[f"{characteristic.value}_evidence"] = f"Enter the evidence about {label}"
        if finding is None or not finding.impact:
            problems[f"{characteristic.value}_impact"] = (
                f"Select the likely impact on people by {label}"
            )
        elif finding.impact in NEEDS_MITIGATION and not finding.mitigation.strip():
            problems[f"{characteristic.value}_mitigation"] = (
                f"Enter the mitigation for {label}: the impact is "
                f"{Impact(finding.impact).label.lower()}"
            )
    if not assessment.organisations_engaged.strip():
        problems["organisations_engaged"] = "Enter which specialist organisations were engaged"
    if not assessment.service_users_engaged.strip():
        problems["service_users_engaged"] = "Enter how service users were engaged"
    if assessment.version > 1 and not assessment.revision_reason.strip():
        problems["revision_reason"] = "Enter why the assessment was revised"
    return problems


def publish(locked: Assessment, previous: Assessment | None, now: datetime) -> Transition:
    """Publish a draft locked by the caller and supersede ``previous`` (the published version it
    revises); refuses with every problem by field, nothing written."""
    problems = publish_problems(locked)
    if problems:
        raise ValidationError(problems)
    if previous is not None:
        previous.status = Status.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])
    locked.status = Status.PUBLISHED
    locked.published_at = now
    locked.save(update_fields=["status", "published_at", "updated_at"])
    return TRANSITIONS[(Status.DRAFT, Status.PUBLISHED)]


def seed(assessment: Assessment, status: Status) -> None:
    """Save a new assessment already in ``status``: synthetic demo data only."""
    assessment.status = status
    assessment.save()
