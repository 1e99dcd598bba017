"""Market engagement events and their published notes (CYC-3): one transaction and one audit
record an action. Notes go to everyone at once, so no would-be bidder gains an advantage."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from commissioning.audit.services import created, diff, record, snapshot
from commissioning.engagement import rules
from commissioning.engagement.models import MarketEvent
from commissioning.engagement.services import EngagementError
from commissioning.exercises.models import CommissioningExercise

EVENT_FIELDS = ("title", "starts_at", "is_online", "location", "audience", "agenda")


def _values(data: dict[str, Any]) -> dict[str, Any]:
    starts_at = datetime.combine(data["starts_on"], data["start_time"], tzinfo=rules.LONDON)
    return {
        "title": data["title"],
        "starts_at": starts_at,
        "is_online": data["is_online"],
        "location": data["location"],
        "audience": data["audience"],
        "agenda": data["agenda"],
    }


def event_initial(event: MarketEvent) -> dict[str, Any]:
    local = event.starts_at.astimezone(rules.LONDON)
    return {
        "title": event.title,
        "starts_on": local.date(),
        "start_time": local.strftime("%H:%M"),
        "is_online": str(event.is_online),
        "location": event.location,
        "audience": event.audience,
        "agenda": event.agenda,
    }


def create_event(actor: Any, exercise: CommissioningExercise, data: dict[str, Any]) -> MarketEvent:
    with transaction.atomic():
        event = MarketEvent.objects.create(exercise=exercise, created_by=actor, **_values(data))
        record(actor, "market_event.create", event, created(snapshot(event, EVENT_FIELDS)))
    return event


def update_event(actor: Any, event: MarketEvent, data: dict[str, Any]) -> None:
    """Edit an event's details (its notes are published separately). A published event can be
    changed too — a moved date must reach people — and the change is in the audit trail."""
    with transaction.atomic():
        event = MarketEvent.objects.select_for_update().get(pk=event.pk)
        before = snapshot(event, EVENT_FIELDS)
        for field, value in _values(data).items():
            setattr(event, field, value)
        event.save()
        record(actor, "market_event.update", event, diff(before, snapshot(event, EVENT_FIELDS)))


def publish_event(actor: Any, event: MarketEvent) -> None:
    with transaction.atomic():
        event = MarketEvent.objects.select_for_update().get(pk=event.pk)
        if not event.is_draft:
            raise EngagementError("This event has already been published")
        event.published_at = timezone.now()
        event.save(update_fields=["published_at"])
        record(
            actor, "market_event.publish", event, {"published_at": event.published_at.isoformat()}
        )


def publish_notes(actor: Any, event: MarketEvent, notes: str) -> None:
    """Publish (or correct) the meeting notes once the event has taken place (CYC-3)."""
    with transaction.atomic():
        event = MarketEvent.objects.select_for_update().get(pk=event.pk)
        now = timezone.now()
        if event.is_draft:
            raise EngagementError("Publish the event before its notes")
        if not rules.can_publish_notes(event.starts_at, now):
            raise EngagementError("Notes can be published once the event has started")
        before = event.notes
        event.notes = notes
        event.notes_published_at = event.notes_published_at or now
        event.save(update_fields=["notes", "notes_published_at"])
        record(actor, "market_event.notes", event, {"notes": {"from": before, "to": notes}})
