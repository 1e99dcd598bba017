"""What each page shows: public listings, the exercise page's section and the published counts
of responses (CYC-2, CYC-3, USR-1)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from commissioning.engagement import access, rules
from commissioning.engagement.models import Consultation, MarketEvent, Response
from commissioning.exercises.models import CommissioningExercise
from commissioning.permissions import Visitor


def published_consultations() -> QuerySet[Consultation]:
    return Consultation.objects.filter(published_at__isnull=False).select_related(
        "exercise", "exercise__commissioning_body"
    )


def open_consultations() -> QuerySet[Consultation]:
    now = timezone.now()
    return published_consultations().filter(opens_at__lte=now, closes_at__gt=now)


def upcoming_consultations() -> QuerySet[Consultation]:
    return published_consultations().filter(opens_at__gt=timezone.now())


def closed_consultations() -> QuerySet[Consultation]:
    return published_consultations().filter(closes_at__lte=timezone.now()).order_by("-closes_at")


def published_events() -> QuerySet[MarketEvent]:
    return MarketEvent.objects.filter(published_at__isnull=False).select_related("exercise")


def upcoming_events() -> QuerySet[MarketEvent]:
    return published_events().filter(starts_at__gte=timezone.now())


def past_events() -> QuerySet[MarketEvent]:
    return published_events().filter(starts_at__lt=timezone.now()).order_by("-starts_at")


def response_counts(consultation: Consultation) -> dict[str, int]:
    rows = consultation.responses.values("respondent_type").annotate(n=Count("pk"))
    return {row["respondent_type"]: row["n"] for row in rows}


def public_response_counts(consultation: Consultation) -> list[tuple[str, int | str]]:
    """Counts by respondent type with 1–4 shown as "<5" (USR-1, OUT-4)."""
    return rules.published_counts(response_counts(consultation), Response.RespondentType.choices)


def responses_for_commissioners(consultation: Consultation) -> QuerySet[Response]:
    return consultation.responses.select_related("organisation", "user").prefetch_related(
        "answers__question"
    )


def engagement_for_exercise(user: Visitor, exercise: CommissioningExercise) -> dict[str, Any]:
    """Context for ``engagement/exercise_section.html`` on the exercise page: the published
    consultations and events of ``exercise`` for everyone, drafts too for those who manage it."""
    can_manage = access.can_manage_engagement(user, exercise)
    consultations = exercise.consultations.order_by("-opens_at", "pk")
    events = exercise.market_events.order_by("-starts_at", "pk")
    if not can_manage:
        consultations = consultations.filter(published_at__isnull=False)
        events = events.filter(published_at__isnull=False)
    return {
        "engagement_exercise": exercise,
        "engagement_can_manage": can_manage,
        "engagement_consultations": list(consultations),
        "engagement_events": list(events),
    }


def _long_date(moment: Any) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y}"


def running_engagement(exercise: CommissioningExercise, now: Any) -> list[str]:
    """Why the exercise's tender cannot be published at ``now``: each consultation or market
    engagement event it had published by then that is still to close or take place. A tender
    published before its own engagement ends contradicts the engagement notice (CYC-3)."""
    problems = []
    for consultation in exercise.consultations.filter(
        published_at__lte=now, closes_at__gt=now
    ).order_by("closes_at", "pk"):
        problems.append(
            f"The consultation “{consultation.title}” runs until 11:59pm on "
            f"{_long_date(consultation.closes_at)}: publish after it closes, or close it "
            "early with a public note."
        )
    for event in exercise.market_events.filter(published_at__lte=now, starts_at__gt=now).order_by(
        "starts_at", "pk"
    ):
        problems.append(
            f"The market engagement event “{event.title}” takes place on "
            f"{_long_date(event.starts_at)}: publish after it."
        )
    return problems
