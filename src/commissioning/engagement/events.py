"""Market engagement events, their published notes and sign-up (CYC-3): one transaction and one
audit record an action. Notes go to everyone at once, so no would-be bidder gains an advantage.
Signed-in members of an organisation take a place at a published event until it starts (and
while it has places, when it has a limit) and may give it up; only the body's commissioners see
who signed up."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from commissioning import idempotency
from commissioning.accounts.models import User
from commissioning.audit.services import created, diff, record, snapshot
from commissioning.audit.versions import check_version
from commissioning.directory.models import Organisation
from commissioning.engagement import access, rules, signals
from commissioning.engagement.models import EventRegistration, MarketEvent
from commissioning.engagement.services import EngagementError, set_people_served
from commissioning.exercises.models import CommissioningExercise
from commissioning.permissions import Visitor, is_signed_in

EVENT_FIELDS = (
    "title",
    "starts_at",
    "is_online",
    "location",
    "audience",
    "agenda",
    "capacity",
    "cohorts",
)


def _values(data: dict[str, Any]) -> dict[str, Any]:
    starts_at = datetime.combine(data["starts_on"], data["start_time"], tzinfo=rules.LONDON)
    return {
        "title": data["title"],
        "starts_at": starts_at,
        "is_online": data["is_online"],
        "location": data["location"],
        "audience": data["audience"],
        "agenda": data["agenda"],
        "capacity": data.get("capacity"),
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
        "capacity": event.capacity,
        "cohorts": [cohort.slug for cohort in event.cohorts.all()],
    }


def create_event(actor: User, exercise: CommissioningExercise, data: dict[str, Any]) -> MarketEvent:
    """A draft event; the form sent twice records one (issue 11 item 25)."""

    def create(key: str) -> MarketEvent:
        with transaction.atomic():
            event = MarketEvent.objects.create(
                exercise=exercise, created_by=actor, submission_key=key, **_values(data)
            )
            set_people_served(event, data)
            record(actor, "market_event.create", event, created(snapshot(event, EVENT_FIELDS)))
        return event

    return idempotency.create_keyed(exercise.market_events.all(), data, create)


def update_event(actor: User, event: MarketEvent, data: dict[str, Any]) -> None:
    """Edit an event's details (its notes are published separately). A published event can be
    changed too — a moved date must reach people — and the change is in the audit trail."""
    with transaction.atomic():
        event = MarketEvent.objects.select_for_update().get(pk=event.pk)
        check_version(event, data.get("version"))
        before = snapshot(event, EVENT_FIELDS)
        for field, value in _values(data).items():
            setattr(event, field, value)
        event.save()
        set_people_served(event, data)
        record(actor, "market_event.update", event, diff(before, snapshot(event, EVENT_FIELDS)))


def publish_event(actor: User, event: MarketEvent) -> None:
    with transaction.atomic():
        event = MarketEvent.objects.select_for_update().get(pk=event.pk)
        if not event.is_draft:
            raise EngagementError("This event has already been published")
        event.published_at = timezone.now()
        event.save(update_fields=["published_at"])
        record(
            actor, "market_event.publish", event, {"published_at": event.published_at.isoformat()}
        )
        signals.market_event_published.send(sender=MarketEvent, event=event)


def publish_notes(actor: User, event: MarketEvent, notes: str) -> None:
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


# ---------------------------------------------------------------- sign-up (CYC-3)


def places_taken(event: MarketEvent) -> int:
    return EventRegistration.objects.filter(event=event).count()


def places_left(event: MarketEvent) -> int | None:
    """Places still free, or None when the event has no limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - places_taken(event), 0)


def registration_for(user: Visitor, event: MarketEvent) -> EventRegistration | None:
    if not is_signed_in(user):
        return None
    return (
        EventRegistration.objects.select_related("organisation")
        .filter(event=event, user=user)
        .first()
    )


def attendees(event: MarketEvent) -> Any:
    """Who signed up, first come first: for the body's commissioners only (callers check)."""
    return (
        EventRegistration.objects.filter(event=event)
        .select_related("user", "organisation")
        .order_by("registered_at", "pk")
    )


def signup_problem(event: MarketEvent, now: datetime | None = None) -> str | None:
    """Why nobody can sign up now (by the server's clock), or None when they can."""
    now = now or timezone.now()
    if event.is_draft:
        return "This event has not been published"
    if not rules.can_sign_up(event.starts_at, now):
        return "This event has already started, so sign-up has closed"
    if places_left(event) == 0:
        return "This event is full"
    return None


def sign_up(
    actor: User, event: MarketEvent, organisation: Organisation, now: datetime | None = None
) -> EventRegistration:
    """Take a place at ``event`` for ``organisation`` (one each; refused once it has started or
    when it is full). Raises PermissionDenied or EngagementError. Signing up again — a double
    submit, two tabs — returns the place already taken (issue 11 item 25)."""
    if organisation.pk not in {o.pk for o in access.signup_organisations(actor, event)}:
        raise PermissionDenied("You can only sign up for an organisation you are a member of.")
    now = now or timezone.now()
    registration, _ = idempotency.create_once(
        lambda: registration_for(actor, event),
        lambda: _take_place(actor, event, organisation, now),
    )
    return registration


def _take_place(
    actor: User, event: MarketEvent, organisation: Organisation, now: datetime
) -> EventRegistration:
    with transaction.atomic():
        # Lock the event so two last sign-ups cannot both take the final place.
        locked = MarketEvent.objects.select_for_update().get(pk=event.pk)
        problem = signup_problem(locked, now)
        if problem:
            raise EngagementError(problem)
        registration = EventRegistration.objects.create(
            event=locked, user=actor, organisation=organisation, registered_at=now
        )
        record(
            actor,
            "market_event.sign_up",
            locked,
            {"organisation": {"from": None, "to": organisation.name}},
        )
    return registration


def cancel_registration(actor: User, event: MarketEvent, now: datetime | None = None) -> None:
    """Give up one's place before the event starts."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = (
            EventRegistration.objects.select_for_update()
            .select_related("organisation", "event")
            .filter(event=event, user=actor)
            .first()
        )
        if registration is None:
            raise EngagementError("You have not signed up to this event")
        if not rules.can_sign_up(registration.event.starts_at, now):
            raise EngagementError("This event has already started")
        record(
            actor,
            "market_event.cancel_sign_up",
            registration.event,
            {"organisation": {"from": registration.organisation.name, "to": None}},
        )
        registration.delete()
