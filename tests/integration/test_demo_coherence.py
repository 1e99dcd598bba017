"""The demo tells one consistent story at every stage, however often it is loaded (issue 11
item 27; CYC-1, CYC-2, USR-1).

``load_demo_market --with-users`` is run twice, as ``make demo`` does each time it starts:
the second load replaces the first, notifications included; a consultation is open only while
its exercise is at the consultation's stage and was closed, within the exercise's time at that
stage, once the exercise moved on; every stage change says who made it; an opportunity past
publication has its publication date, and its exercise's engagement was over by then (items 20,
27; CYC-3).
"""

from __future__ import annotations

from collections import Counter
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from commissioning.accounts.models import User
from commissioning.engagement.models import Consultation, MarketEvent
from commissioning.exercises.lifecycle import STAGE_ORDER, Stage
from commissioning.exercises.models import CommissioningExercise, StageChange
from commissioning.notifications.models import Notification
from commissioning.procurement.models import Opportunity

pytestmark = pytest.mark.django_db

STAGE_OF_TITLE = {"Needs assessment": Stage.ASSESS_NEED, "Shaping the lots": Stage.PLAN}
"""The stage each demo consultation is held at."""


def _load() -> dict[str, Any]:
    call_command(
        "load_demo_market", "--seed", "5", "--scale", "0.05", "--with-users", stdout=StringIO()
    )
    return {
        "notifications": Counter(Notification.objects.values_list("user__username", "kind")),
        "users": User.objects.count(),
        "consultations": Consultation.objects.count(),
        "open consultations": sum(c.is_open for c in Consultation.objects.all()),
        "events": MarketEvent.objects.count(),
        "opportunities": Opportunity.objects.count(),
        "stage changes": StageChange.objects.count(),
    }


def test_loading_the_demo_twice_tells_one_consistent_story(
    settings: Any, tmp_path: Path, client: Client
) -> None:
    """One test, as loading the demo twice takes a while; each fact is checked below."""
    settings.OUTCOMES_POOL_SIZE = 5_000
    settings.OUTCOMES_POOL_DIR = tmp_path / "pool"
    first, second = _load(), _load()
    _reloading_replaces_the_demo_and_its_notifications(first, second)
    _consultations_are_open_only_at_their_exercises_stage()
    _an_exercise_further_on_has_no_open_consultation()
    _every_published_opportunity_is_dated_after_its_engagement()
    _every_stage_change_says_which_commissioner_made_it(client)


def _reloading_replaces_the_demo_and_its_notifications(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    assert sum(first["notifications"].values()) > 20  # the demo story tells people things
    assert second == first
    # Reading the demo does not mark anything: each demo user starts with the story's own.
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def _consultations_are_open_only_at_their_exercises_stage() -> None:
    consultations = list(Consultation.objects.select_related("exercise"))
    assert consultations and any(c.is_open for c in consultations)
    for consultation in consultations:
        exercise = consultation.exercise
        title = consultation.title.split(":", 1)[0]
        stage = STAGE_OF_TITLE[title]
        reached = STAGE_ORDER.index(Stage(exercise.stage)) >= STAGE_ORDER.index(stage)
        assert reached, f"{exercise.reference} at {exercise.stage} has “{consultation.title}”"
        if exercise.stage != stage:
            assert not consultation.is_open, f"{exercise.reference}: “{consultation.title}”"
            assert consultation.summary_published_at is not None
            moved_on = exercise.stage_changes.filter(from_stage=stage).order_by("-changed_at")
            left = moved_on.first()
            if left is not None:  # closed while the exercise was still at that stage
                assert consultation.closes_at <= left.changed_at
        else:
            assert consultation.is_open, f"{exercise.reference}: “{consultation.title}”"
    # The market event on the draft lots comes with planning, not before.
    for event in MarketEvent.objects.select_related("exercise"):
        assert event.exercise.stage != Stage.ASSESS_NEED
        assert event.starts_at < timezone.now() and event.notes_published_at is not None


def _an_exercise_further_on_has_no_open_consultation() -> None:
    beyond = Consultation.objects.filter(
        exercise__stage__in=[Stage.PROCURE, Stage.DELIVER, Stage.REVIEW]
    )
    assert beyond.exists()  # the demo shows an exercise further on, with its closed ones
    assert not any(c.is_open for c in beyond)


PUBLISHED_OR_LATER = [
    Opportunity.Status.OPEN,
    Opportunity.Status.CLOSED,
    Opportunity.Status.EVALUATION,
    Opportunity.Status.AWARDED,
    Opportunity.Status.UNSUCCESSFUL,
]


def _every_published_opportunity_is_dated_after_its_engagement() -> None:
    """No opportunity is open for bids, decided or awarded without the day it was published,
    and on that day its exercise had no consultation open and no market event to come."""
    published = list(
        Opportunity.objects.filter(status__in=PUBLISHED_OR_LATER).select_related("exercise")
    )
    assert any(o.status == Opportunity.Status.AWARDED for o in published)
    for opportunity in published:
        at = opportunity.published_at
        assert at is not None, f"{opportunity.reference} ({opportunity.status}) has no date"
        assert opportunity.bid_deadline is None or opportunity.bid_deadline > at
        exercise = opportunity.exercise
        for consultation in exercise.consultations.all():
            assert consultation.closes_at <= at, (
                f"{opportunity.reference}, published {at:%d %B %Y}: “{consultation.title}” "
                f"is open until {consultation.closes_at:%d %B %Y}"
            )
        for event in exercise.market_events.all():
            assert event.starts_at < at, (
                f"{opportunity.reference}, published {at:%d %B %Y}: “{event.title}” "
                f"on {event.starts_at:%d %B %Y}"
            )


def _every_stage_change_says_which_commissioner_made_it(client: Client) -> None:
    changes = StageChange.objects.filter(exercise__is_synthetic=True)
    assert changes.exists()
    assert not changes.filter(changed_by__isnull=True).exists()
    for change in changes.select_related("changed_by", "exercise__commissioning_body"):
        who = change.changed_by
        assert who is not None and who.role == User.Role.COMMISSIONER
        assert not who.is_active and not who.has_usable_password()  # nobody signs in as them
        assert who.memberships.get().organisation == change.exercise.commissioning_body
    exercise = CommissioningExercise.objects.filter(is_synthetic=True).order_by("reference")[0]
    page = client.get(f"/exercises/{exercise.reference}/").content.decode()
    assert "Not recorded" not in page
    assert f"Commissioner, {escape(exercise.commissioning_body.name)}" in page
