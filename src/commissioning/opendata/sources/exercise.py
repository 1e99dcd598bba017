"""An exercise's planning notices: the UK1 pipeline notice and the UK2 preliminary market
engagement release (LAW-1, CYC-2, CYC-3).

UK1 (issue 11 item 9): an exercise that reached the plan stage with an expected procurement at or
above the light-touch procurement threshold (its estimated annual value,
:data:`~commissioning.opendata.ocds.pipeline.LIGHT_TOUCH_THRESHOLD`) announces it in the pipeline,
dated when it entered the plan stage (or when its estimate was raised to the threshold later).
It is stored when published (:mod:`commissioning.opendata.sources.stored`) and served as stored: it
stays published, unchanged, whatever stage follows and however the estimate is edited.

The engagement is what the exercise published *before* tendering: its consultations and its
market engagement events, each a planning milestone of type ``engagement`` (``met`` once it has
closed or taken place). The notice is dated when the first of them was published. Drafts are
never included, and neither is anything published after the opportunity itself (that is no
longer preliminary).

Which contracting process it belongs to: UK2 starts the process that the tender continues, so it
is published under each published opportunity's ocid (one record: UK2, UK4, UK6, UK7). While the
exercise has no published opportunity, it is published under the exercise's own reference.

Callers should prefetch ``consultations``, ``market_events``, ``stage_changes`` and
``opportunities`` with the commissioning body (:func:`with_engagement`): nothing here queries
per row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from commissioning.exercises.models import CommissioningExercise, PublishedNotice
from commissioning.opendata.ocds.common import JsonDict
from commissioning.opendata.ocds.data import (
    EngagementActivity,
    Notice,
    Period,
    Pipeline,
    PlanningStage,
)
from commissioning.opendata.ocds.engagement import build_planning
from commissioning.opendata.ocds.pipeline import (
    LIGHT_TOUCH_THRESHOLD,
    above_threshold,
    build_pipeline,
)
from commissioning.opendata.sources import stored as published_notices
from commissioning.opendata.sources.common import ocid_prefix, organisation_party


def with_engagement(
    queryset: QuerySet[CommissioningExercise],
) -> QuerySet[CommissioningExercise]:
    return queryset.select_related("commissioning_body").prefetch_related(
        "consultations", "market_events", "stage_changes", "opportunities", "published_notices"
    )


def _published(moment: datetime | None, before: datetime | None, now: datetime) -> bool:
    if moment is None or moment > now:
        return False
    return before is None or moment < before


def _when(moment: datetime | None) -> datetime:
    assert moment is not None
    return moment


def activities(
    exercise: CommissioningExercise, before: datetime | None, now: datetime
) -> list[tuple[datetime, datetime, EngagementActivity]]:
    """(published, starts, activity) for each published consultation and event, oldest first."""
    out: list[tuple[datetime, datetime, EngagementActivity]] = []
    for consultation in exercise.consultations.all():
        if not _published(consultation.published_at, before, now):
            continue
        activity = EngagementActivity(
            id=f"consultation-{consultation.pk}",
            title=f"Consultation: {consultation.title}",
            description=consultation.purpose,
            due=consultation.closes_at,
            met=consultation.closes_at <= now,
        )
        out.append((_when(consultation.published_at), consultation.opens_at, activity))
    for event in exercise.market_events.all():
        if not _published(event.published_at, before, now):
            continue
        activity = EngagementActivity(
            id=f"event-{event.pk}",
            title=f"Market engagement event: {event.title}",
            description=f"For {event.audience}. {event.agenda}".strip(),
            due=event.starts_at,
            met=event.starts_at <= now,
        )
        out.append((_when(event.published_at), event.starts_at, activity))
    return sorted(out, key=lambda row: (row[0], row[2].id))


def planning_stage(
    exercise: CommissioningExercise,
    reference: str,
    site: str,
    before: datetime | None = None,
    now: datetime | None = None,
) -> PlanningStage | None:
    """The UK2 stage under ``reference``, or ``None`` when nothing was published in time."""
    rows = activities(exercise, before, now or timezone.now())
    if not rows:
        return None
    first_published = rows[0][0]
    starts = min(row[1] for row in rows)
    ends = max(row[2].due for row in rows)
    value = exercise.estimated_annual_value
    return PlanningStage(
        reference=reference,
        title=exercise.title,
        description=exercise.summary or exercise.title,
        buyer=organisation_party(exercise.commissioning_body, "buyer"),
        engagement_period=Period(starts, ends),
        notice=Notice(
            published=first_published,
            url=site.rstrip("/") + exercise.get_absolute_url(),
            description=f"Preliminary market engagement for {exercise.reference}",
        ),
        estimated_value=value,
        budget_description="Estimated annual value" if value is not None else None,
        activities=tuple(row[2] for row in rows),
    )


def pipeline_notice(exercise: CommissioningExercise, published: datetime) -> Pipeline:
    """The UK1 as it reads when published at ``published`` (site-relative link)."""
    assert exercise.estimated_annual_value is not None
    return Pipeline(
        reference=exercise.reference,
        title=exercise.title,
        description=exercise.summary or exercise.title,
        buyer=organisation_party(exercise.commissioning_body, "buyer"),
        notice=Notice(
            published=published,
            url=exercise.get_absolute_url(),
            description=f"Pipeline notice for {exercise.reference}",
        ),
        estimated_value=exercise.estimated_annual_value,
    )


def publish_pipeline(
    exercise: CommissioningExercise, published: datetime
) -> PublishedNotice | None:
    """Store the exercise's UK1 dated ``published`` if it qualifies now (planned, at or above the
    threshold) and has none yet: called when it enters the plan stage and when its estimate is
    raised to the threshold afterwards (then dated at the raise, never backdated)."""
    if not above_threshold(exercise.estimated_annual_value):
        return None
    release = build_pipeline(pipeline_notice(exercise, published), prefix=ocid_prefix())
    return published_notices.store(
        PublishedNotice.NoticeType.PIPELINE, release, published, exercise
    )


def _entered_plan(exercise: CommissioningExercise) -> datetime | None:
    planned = [c.changed_at for c in exercise.stage_changes.all() if c.to_stage == "plan"]
    return min(planned, default=None)


def stored_pipeline(exercise: CommissioningExercise) -> PublishedNotice | None:
    """The exercise's UK1 as published. One that qualified before UK1s were stored (it entered
    the plan stage at or above the threshold) is stored at its first publication (its first
    request, or an edit of the exercise), dated when it entered the plan stage; since then
    :func:`~commissioning.exercises.services.change_stage` and ``update_exercise`` store it
    when it is published, so it is never backdated."""
    notice = published_notices.stored(
        exercise.published_notices, PublishedNotice.NoticeType.PIPELINE
    )
    if notice is not None:
        return notice
    entered = _entered_plan(exercise)
    if entered is None or entered > timezone.now():
        return None
    return publish_pipeline(exercise, entered)


def pipeline(
    exercise: CommissioningExercise,
    reference: str,
    site: str,
    before: datetime | None = None,
    now: datetime | None = None,
) -> JsonDict | None:
    """The UK1 release as published, under ``reference``, if it was published by ``before``."""
    notice = stored_pipeline(exercise)
    if notice is None or not _published(notice.released_at, before, now or timezone.now()):
        return None
    return published_notices.served(notice, site, reference, ocid_prefix())


def _planning_releases(
    exercise: CommissioningExercise, reference: str, site: str, before: datetime | None
) -> list[JsonDict]:
    """UK1 and UK2 under ``reference``, each when it was published (before ``before``)."""
    out: list[JsonDict] = []
    announced = pipeline(exercise, reference, site, before)
    if announced is not None:
        out.append(announced)
    stage = planning_stage(exercise, reference, site, before=before)
    if stage is not None:
        out.append(build_planning(stage, prefix=ocid_prefix()))
    return out


def _public_opportunities(exercise: CommissioningExercise) -> list[Any]:
    return sorted(
        (
            o
            for o in exercise.opportunities.all()
            if o.status != "draft" and o.published_at is not None
        ),
        key=lambda o: o.reference,
    )


def releases_for_opportunity(opportunity: Any, site: str) -> list[JsonDict]:
    """The UK1 and UK2 releases under the opportunity's ocid (published before it)."""
    if opportunity.status == "draft" or opportunity.published_at is None:
        return []
    return _planning_releases(
        opportunity.exercise, opportunity.reference, site, opportunity.published_at
    )


def releases_for_exercise(exercise: CommissioningExercise, site: str) -> list[JsonDict]:
    """UK1 and UK2 releases of one exercise: under each published opportunity's ocid, else
    under its own."""
    opportunities = _public_opportunities(exercise)
    if not opportunities:
        return _planning_releases(exercise, exercise.reference, site, None)
    return [
        release
        for opportunity in opportunities
        for release in _planning_releases(
            exercise, opportunity.reference, site, opportunity.published_at
        )
    ]


def all_planning_releases(site: str) -> list[JsonDict]:
    engaged = (
        Q(consultations__published_at__isnull=False)
        | Q(market_events__published_at__isnull=False)
        | Q(stage_changes__to_stage="plan", estimated_annual_value__gte=LIGHT_TOUCH_THRESHOLD)
        | Q(published_notices__notice_type=PublishedNotice.NoticeType.PIPELINE)
    )
    exercises = with_engagement(
        CommissioningExercise.objects.filter(engaged).distinct().order_by("reference")
    )
    return [release for exercise in exercises for release in releases_for_exercise(exercise, site)]
