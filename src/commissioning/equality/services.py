"""Writing and publishing equality impact assessments (EQU-1, USR-1): each user action is one
transaction with its audit record; who may act comes from :mod:`.access`, status from
:mod:`.lifecycle`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.equality import access, lifecycle
from commissioning.equality.models import Assessment, Characteristic, Finding
from commissioning.equality.queries import current_draft, published_assessment
from commissioning.exercises.models import CommissioningExercise

TEXT_FIELDS = ("scope", "organisations_engaged", "service_users_engaged", "revision_reason")


def save_draft(
    actor: User, exercise: CommissioningExercise, answers: Mapping[str, Any]
) -> Assessment:
    """Save ``answers`` (the form's cleaned data: the text fields, ``consultations``,
    ``market_events`` and ``<characteristic>_evidence|_impact|_mitigation``) to the exercise's
    draft, starting the next version when there is none."""
    if not access.can_write_assessment(actor, exercise):
        raise PermissionDenied("You cannot write this exercise's equality impact assessment.")
    with transaction.atomic():
        CommissioningExercise.objects.select_for_update().get(pk=exercise.pk)
        draft = current_draft(exercise)
        if draft is None:
            latest = exercise.equality_assessments.aggregate(v=Max("version"))["v"] or 0
            draft = Assessment(exercise=exercise, version=latest + 1, created_by=actor)
        for name in TEXT_FIELDS:
            setattr(draft, name, (answers.get(name) or "").strip())
        draft.save()
        draft.consultations.set(answers.get("consultations") or [])
        draft.market_events.set(answers.get("market_events") or [])
        for characteristic in Characteristic:
            key = characteristic.value
            Finding.objects.update_or_create(
                assessment=draft,
                characteristic=key,
                defaults={
                    "evidence": (answers.get(f"{key}_evidence") or "").strip(),
                    "impact": answers.get(f"{key}_impact") or "",
                    "mitigation": (answers.get(f"{key}_mitigation") or "").strip(),
                },
            )
        record(actor, "equality_assessment.save", draft, {"version": draft.version})
    return draft


def publish(actor: User, assessment: Assessment, now: datetime | None = None) -> Assessment:
    """Publish the draft (refused with every problem by field, nothing written); the version it
    revises is superseded."""
    if not access.can_write_assessment(actor, assessment.exercise):
        raise PermissionDenied("You cannot publish this exercise's equality impact assessment.")
    now = now or timezone.now()
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        previous = published_assessment(locked.exercise)
        move = lifecycle.publish(locked, previous, now)
        record(actor, move.action, locked, {"version": locked.version})
    assessment.refresh_from_db()
    return assessment


def draft_answers(assessment: Assessment | None) -> dict[str, Any]:
    """The form's initial data from ``assessment`` (a draft, or the published version a
    revision starts from)."""
    if assessment is None:
        return {}
    answers: dict[str, Any] = {name: getattr(assessment, name) for name in TEXT_FIELDS}
    if assessment.status != lifecycle.Status.DRAFT:
        answers["revision_reason"] = ""
    answers["consultations"] = list(assessment.consultations.values_list("pk", flat=True))
    answers["market_events"] = list(assessment.market_events.values_list("pk", flat=True))
    for finding in assessment.findings.all():
        for part in ("evidence", "impact", "mitigation"):
            answers[f"{finding.characteristic}_{part}"] = getattr(finding, part)
    return answers


def seed_published(
    exercise: CommissioningExercise,
    *,
    findings: Iterable[tuple[str, str, str, str]],
    published_at: datetime,
    author: User | None = None,
    **fields: Any,
) -> Assessment:
    """A published assessment without the forms (synthetic demo data and other apps' tests):
    ``findings`` as ``(characteristic, evidence, impact, mitigation)``."""
    assessment = Assessment(
        exercise=exercise, created_by=author, published_at=published_at, **fields
    )
    lifecycle.seed(assessment, lifecycle.Status.PUBLISHED)
    Finding.objects.bulk_create(
        Finding(assessment=assessment, characteristic=c, evidence=e, impact=i, mitigation=m)
        for c, e, i, m in findings
    )
    return assessment
