"""What an alert or a feed entry is about (issue 18, PRO-6): a published opportunity,
consultation or market engagement event, read into one shape with the areas, specialisms and
groups of people a subscription is matched against."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from commissioning.alerts.models import ItemKind
from commissioning.directory.models import Area
from commissioning.directory.queries import areas_matching, areas_within_reach
from commissioning.engagement.models import Consultation, MarketEvent
from commissioning.procurement.lifecycle import Status
from commissioning.procurement.models import Opportunity

FEED_LENGTH = 50
"""Entries in a feed, newest first; older items are on the platform's lists."""


@dataclass(frozen=True)
class AlertItem:
    kind: ItemKind
    pk: int
    title: str
    summary: str
    url: str
    published_at: datetime
    body_name: str
    area_ids: frozenset[int]
    specialism_ids: frozenset[int]
    cohort_ids: frozenset[int]
    """The groups of people the commissioner said the item serves (directory cohorts)."""

    @property
    def kind_label(self) -> str:
        return {
            ItemKind.OPPORTUNITY: "New opportunity",
            ItemKind.CONSULTATION: "New consultation",
            ItemKind.EVENT: "New market engagement event",
        }[self.kind]


@dataclass(frozen=True)
class Criteria:
    """A subscription as sets: empty means "any"."""

    kinds: frozenset[str]
    area_reach: frozenset[int]
    has_areas: bool
    specialism_ids: frozenset[int]
    cohort_ids: frozenset[int]

    def matches(self, item: AlertItem) -> bool:
        if item.kind.value not in self.kinds:
            return False
        if self.has_areas and not item.area_ids & self.area_reach:
            return False
        if self.specialism_ids and not item.specialism_ids & self.specialism_ids:
            return False
        return not self.cohort_ids or bool(item.cohort_ids & self.cohort_ids)


def criteria_of(subscription: Any, all_areas: Sequence[Area] | None = None) -> Criteria:
    """A subscription's matching rule. An area takes in what the directory's area rule does: a
    region its police force areas, a police force area its region, and national items match
    every area. ``all_areas`` (every area, read once) spares a query per area when many
    subscriptions are matched at once."""
    areas = list(subscription.areas.all())
    reach: set[int] = set()
    for area in areas:
        reach |= areas_within_reach(area) if all_areas is None else areas_matching(area, all_areas)
    return Criteria(
        kinds=frozenset(subscription.kinds),
        area_reach=frozenset(reach),
        has_areas=bool(areas),
        specialism_ids=frozenset(item.pk for item in subscription.specialisms.all()),
        cohort_ids=frozenset(item.pk for item in subscription.cohorts.all()),
    )


def _exercise_facts(exercise: Any) -> tuple[frozenset[int], frozenset[int]]:
    return (
        frozenset(area.pk for area in exercise.areas.all()),
        frozenset({exercise.service_area_id}),
    )


def _cohort_ids(item: Opportunity | Consultation | MarketEvent) -> frozenset[int]:
    return frozenset(cohort.pk for cohort in item.cohorts.all())


def opportunity_item(opportunity: Opportunity) -> AlertItem:
    lots = list(opportunity.lots.all())
    area_ids = {area.pk for lot in lots for area in lot.areas.all()}
    specialism_ids = {item.pk for lot in lots for item in lot.specialisms.all()}
    exercise_areas, exercise_specialisms = _exercise_facts(opportunity.exercise)
    return AlertItem(
        kind=ItemKind.OPPORTUNITY,
        pk=opportunity.pk,
        title=f"{opportunity.reference}: {opportunity.title}",
        summary=opportunity.description,
        url=opportunity.get_absolute_url(),
        published_at=opportunity.published_at or opportunity.created_at,
        body_name=opportunity.exercise.commissioning_body.name,
        area_ids=frozenset(area_ids or exercise_areas),
        specialism_ids=frozenset(specialism_ids | exercise_specialisms),
        cohort_ids=_cohort_ids(opportunity),
    )


def consultation_item(consultation: Consultation) -> AlertItem:
    area_ids, specialism_ids = _exercise_facts(consultation.exercise)
    opens, closes = (
        date_format(timezone.localtime(moment), "j F Y")
        for moment in (consultation.opens_at, consultation.closes_at)
    )
    return AlertItem(
        kind=ItemKind.CONSULTATION,
        pk=consultation.pk,
        title=consultation.title,
        summary=f"{consultation.purpose}\n\nOpen for responses from {opens} to {closes}.",
        url=consultation.get_absolute_url(),
        published_at=consultation.published_at or consultation.created_at,
        body_name=consultation.exercise.commissioning_body.name,
        area_ids=area_ids,
        specialism_ids=specialism_ids,
        cohort_ids=_cohort_ids(consultation),
    )


def event_item(event: MarketEvent) -> AlertItem:
    area_ids, specialism_ids = _exercise_facts(event.exercise)
    where = "Online" if event.is_online else event.location
    starts = date_format(timezone.localtime(event.starts_at), "j F Y, H:i")
    return AlertItem(
        kind=ItemKind.EVENT,
        pk=event.pk,
        title=event.title,
        summary=f"{starts}. {where}. For {event.audience}.\n\n{event.agenda}",
        url=event.get_absolute_url(),
        published_at=event.published_at or event.created_at,
        body_name=event.exercise.commissioning_body.name,
        area_ids=area_ids,
        specialism_ids=specialism_ids,
        cohort_ids=_cohort_ids(event),
    )


_EXERCISE_RELATIONS = ("exercise__commissioning_body",)
_EXERCISE_PREFETCH = ("exercise__areas", "cohorts")


def published_opportunities() -> QuerySet[Opportunity]:
    """Opportunities the public sees: published, whatever happened to them since."""
    return (
        Opportunity.objects.exclude(status=Status.DRAFT)
        .exclude(published_at=None)
        .select_related(*_EXERCISE_RELATIONS)
        .prefetch_related(*_EXERCISE_PREFETCH, "lots__areas", "lots__specialisms")
        .order_by("-published_at", "-pk")
    )


def _published_engagement(queryset: QuerySet[Any]) -> QuerySet[Any]:
    return (
        queryset.exclude(published_at=None)
        .select_related(*_EXERCISE_RELATIONS)
        .prefetch_related(*_EXERCISE_PREFETCH)
        .order_by("-published_at", "-pk")
    )


def published_consultations() -> QuerySet[Consultation]:
    return _published_engagement(Consultation.objects.all())


def published_events() -> QuerySet[MarketEvent]:
    return _published_engagement(MarketEvent.objects.all())


def recent_items(kinds: Iterable[str], limit: int = 200) -> list[AlertItem]:
    """The newest published items of ``kinds``, up to ``limit`` of each, newest first."""
    wanted = set(kinds)
    items: list[AlertItem] = []
    if ItemKind.OPPORTUNITY in wanted:
        items += [opportunity_item(o) for o in published_opportunities()[:limit]]
    if ItemKind.CONSULTATION in wanted:
        items += [consultation_item(c) for c in published_consultations()[:limit]]
    if ItemKind.EVENT in wanted:
        items += [event_item(e) for e in published_events()[:limit]]
    items.sort(key=lambda item: item.published_at, reverse=True)
    return items


def items_for(criteria: Criteria) -> list[AlertItem]:
    """A subscription's feed: the newest matching items."""
    return [item for item in recent_items(criteria.kinds) if criteria.matches(item)][:FEED_LENGTH]


def area_items(kind: ItemKind, area: Any) -> list[AlertItem]:
    """A public area feed: the newest items of ``kind`` reaching ``area`` by the directory's
    area rule (the opportunity list's area filter gives the same opportunities)."""
    criteria = Criteria(
        kinds=frozenset({kind.value}),
        area_reach=areas_within_reach(area),
        has_areas=True,
        specialism_ids=frozenset(),
        cohort_ids=frozenset(),
    )
    return items_for(criteria)
