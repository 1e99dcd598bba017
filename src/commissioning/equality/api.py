"""The equality impact assessment in the API (EQU-1): the published version for everyone, and
publishing the draft for the body's commissioners, refused with the same words as the check
your answers page (``{detail, errors}``, 400, naming each field)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.security import django_auth

from commissioning.api.errors import WRITE_ERRORS, ErrorOut, error
from commissioning.equality import access, services
from commissioning.equality.models import Assessment, Characteristic
from commissioning.equality.queries import current_draft, published_assessment
from commissioning.exercises.models import CommissioningExercise
from commissioning.permissions import signed_in_user

router = Router(tags=["equality impact assessments"])


class FindingOut(Schema):
    characteristic: str
    label: str
    evidence: str
    impact: str
    mitigation: str


class AssessmentOut(Schema):
    exercise: str
    version: int
    status: str
    published_at: datetime | None
    scope: str
    revision_reason: str
    organisations_engaged: str
    service_users_engaged: str
    consultations: list[str]
    market_events: list[str]
    findings: list[FindingOut]
    is_synthetic: bool


def assessment_out(assessment: Assessment) -> dict[str, Any]:
    return {
        "exercise": assessment.exercise.reference,
        "version": assessment.version,
        "status": assessment.status,
        "published_at": assessment.published_at,
        "scope": assessment.scope,
        "revision_reason": assessment.revision_reason,
        "organisations_engaged": assessment.organisations_engaged,
        "service_users_engaged": assessment.service_users_engaged,
        "consultations": [c.title for c in assessment.consultations.all()],
        "market_events": [e.title for e in assessment.market_events.all()],
        "findings": [
            {
                "characteristic": c.value,
                "label": c.label,
                "evidence": finding.evidence,
                "impact": finding.impact,
                "mitigation": finding.mitigation,
            }
            for c in Characteristic
            if (finding := assessment.finding_for(c.value)) is not None
        ],
        "is_synthetic": assessment.is_synthetic,
    }


@router.get(
    "/{reference}/equality-assessment",
    response={200: AssessmentOut, 404: ErrorOut},
    summary="An exercise's published equality impact assessment",
)
def get_assessment(request: HttpRequest, reference: str) -> Any:
    """The published version: each protected characteristic's evidence, likely impact
    (`positive`, `neutral`, `negative`, `not_known`) and mitigation, and who was engaged."""
    exercise = get_object_or_404(CommissioningExercise, reference=reference)
    assessment = published_assessment(exercise)
    if assessment is None:
        return error(404, "The equality impact assessment is not published yet.")
    return Status(200, assessment_out(assessment))


@router.post(
    "/{reference}/equality-assessment/publish",
    auth=django_auth,
    response={200: AssessmentOut, **WRITE_ERRORS},
    summary="Publish the exercise's draft equality impact assessment",
)
def publish_assessment(request: HttpRequest, reference: str) -> Any:
    """For the commissioners of the exercise's body. Refused (400, naming each field) while a
    characteristic lacks its evidence or impact, a negative or unknown impact its mitigation,
    who was engaged is missing, or a revision its reason."""
    exercise = get_object_or_404(CommissioningExercise, reference=reference)
    user = signed_in_user(request)
    if not access.can_write_assessment(user, exercise):
        return error(403, "Only the exercise's commissioners publish its assessment.")
    draft = current_draft(exercise)
    if draft is None:
        return error(404, "There is no draft assessment to publish.")
    return Status(200, assessment_out(services.publish(user, draft)))
