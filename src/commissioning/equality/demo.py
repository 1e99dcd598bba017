"""Synthetic equality impact assessments for the demo (EQU-1): one published assessment for each
exercise that has reached procurement, so that the demo's own tenders may be published."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from commissioning.equality.models import Assessment, Characteristic, Impact
from commissioning.equality.services import seed_published
from commissioning.exercises.models import CommissioningExercise

SYNTHETIC = "Synthetic demonstration data."

IMPACTS: dict[str, tuple[Impact, str, str]] = {
    Characteristic.AGE: (
        Impact.NEUTRAL,
        "Two in five people on probation in the area are under 30; the service is open to all "
        "adults.",
        "",
    ),
    Characteristic.DISABILITY: (
        Impact.NEGATIVE,
        "Half of the people referred report a mental health condition or learning disability; "
        "the current service's offices have no step-free access.",
        "Step-free venues in every lot and easy-read materials, checked at mobilisation.",
    ),
    Characteristic.GENDER_REASSIGNMENT: (
        Impact.NOT_KNOWN,
        "Referral data does not record gender reassignment.",
        "Ask the provider to monitor it, with consent, from the first quarter.",
    ),
    Characteristic.MARRIAGE: (
        Impact.NEUTRAL,
        "No evidence that the service affects people differently by marital status.",
        "",
    ),
    Characteristic.PREGNANCY: (
        Impact.POSITIVE,
        "Pregnant women leaving prison need settled accommodation before the birth.",
        "",
    ),
    Characteristic.RACE: (
        Impact.NEGATIVE,
        "Black and minoritised people complete the current service less often than others.",
        "A lot suited to specialist organisations led by and for Black and minoritised people; "
        "completion monitored by ethnicity each quarter.",
    ),
    Characteristic.RELIGION: (
        Impact.NEUTRAL,
        "Chaplaincy and faith groups reported no barriers.",
        "",
    ),
    Characteristic.SEX: (
        Impact.POSITIVE,
        "Women are one in ten referrals and need women-only spaces.",
        "",
    ),
    Characteristic.SEXUAL_ORIENTATION: (
        Impact.NOT_KNOWN,
        "Referral data does not record sexual orientation.",
        "Monitor it, with consent, and review after the first year.",
    ),
}


def exercises_in_procurement() -> QuerySet[CommissioningExercise]:
    return CommissioningExercise.objects.filter(opportunities__isnull=False).distinct()


def load_demo_assessments(
    exercises: QuerySet[CommissioningExercise] | None = None, published_at: datetime | None = None
) -> int:
    """Publish a synthetic assessment for each of ``exercises`` (default: those with
    opportunities) that has none; returns how many were made."""
    published_at = published_at or timezone.now() - timedelta(days=800)
    made = 0
    for exercise in exercises if exercises is not None else exercises_in_procurement():
        if Assessment.objects.filter(exercise=exercise).exists():
            continue
        seed_published(
            exercise,
            findings=[(c, evidence, i.value, m) for c, (i, evidence, m) in IMPACTS.items()],
            published_at=published_at,
            scope=f"{exercise.title}: who the service is for and how it will be bought. "
            f"{SYNTHETIC}",
            organisations_engaged="A women's centre, a Black-led mentoring charity and a "
            "disabled people's organisation in the area (synthetic).",
            service_users_engaged="Two lived-experience panels of people on probation, "
            "anonymous (synthetic).",
            is_synthetic=True,
        )
        made += 1
    return made
