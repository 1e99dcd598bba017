"""Who may do what with consultations and market engagement events (CYC-2, CYC-3, USR-1).

Written on the building blocks of :mod:`commissioning.permissions` (ADR 0007): commissioners of
an exercise's commissioning body (and site administrators) manage its engagement and read its
responses; everyone reads what is published; anyone, signed in or not, may respond to an open
consultation; only approved members respond on behalf of an organisation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from commissioning import permissions

if TYPE_CHECKING:
    from commissioning.directory.models import Organisation
    from commissioning.engagement.models import Consultation, MarketEvent
    from commissioning.exercises.models import CommissioningExercise


def can_manage_engagement(user: permissions.Visitor, exercise: CommissioningExercise) -> bool:
    """Create, edit and publish consultations, events, notes and summaries of ``exercise``."""
    return bool(permissions.can_edit_exercise(user, exercise))


def can_view_consultation(user: permissions.Visitor, consultation: Consultation) -> bool:
    """Published consultations are public; drafts only for those who manage them."""
    if consultation.published_at is not None:
        return True
    return can_manage_engagement(user, consultation.exercise)


def can_read_responses(user: permissions.Visitor, consultation: Consultation) -> bool:
    """Responses are read by the body's commissioners only (never the public, USR-1)."""
    return can_manage_engagement(user, consultation.exercise)


def can_view_event(user: permissions.Visitor, event: MarketEvent) -> bool:
    if event.published_at is not None:
        return True
    return can_manage_engagement(user, event.exercise)


def response_organisations(user: permissions.Visitor) -> list[Organisation]:
    """The organisations ``user`` may respond on behalf of: those they are an approved member of
    (site administrators get no extra right to speak for an organisation)."""
    return list(permissions.member_organisations(user))


def signup_organisations(user: permissions.Visitor, event: MarketEvent) -> list[Organisation]:
    """The organisations ``user`` may take a place at ``event`` for: those they are an approved
    member of, except the commissioning body running it (its people run the event)."""
    return [
        org
        for org in response_organisations(user)
        if org.pk != event.exercise.commissioning_body_id
    ]


def can_sign_up(user: permissions.Visitor, event: MarketEvent) -> bool:
    """Signed-in approved members of an organisation, for a published event (CYC-3); whether
    it is still upcoming and has places is the service's rule."""
    return event.published_at is not None and bool(signup_organisations(user, event))


def can_see_attendees(user: permissions.Visitor, event: MarketEvent) -> bool:
    """Who signed up is for the body's commissioners (and site administrators) only."""
    return can_manage_engagement(user, event.exercise)
