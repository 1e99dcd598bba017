"""Timeline rules with frozen time (PRO-3, PRO-4): published date changes with reasons, the
public change log, notifications to interest holders, and automatic deadline extension across
England & Wales bank holidays (early May bank holiday, Monday 3 May 2027; Easter 2027)."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from commissioning.audit.models import AuditEvent
from commissioning.notifications.models import Notification
from commissioning.procurement import services
from commissioning.procurement.models import DateChange
from commissioning_analytics.timelines.working_days import LONDON
from tests.procurement_factories import commissioner_of, interested_member, open_opportunity

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2027, 3, 1, 9, 0, tzinfo=LONDON)  # a Monday
TODAY = datetime(2027, 3, 10, 10, 0, tzinfo=LONDON)


def noon(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, 0, tzinfo=LONDON)


def test_the_fixture_timeline_counts_easter_as_holidays() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    # Question deadline Monday 22 March; five working days skip Good Friday and Easter Monday.
    assert opportunity.question_deadline == noon(2027, 3, 22)
    assert opportunity.answers_by == noon(2027, 3, 31)
    assert opportunity.bid_deadline == noon(2027, 5, 10)


@time_machine.travel(TODAY, tick=False)
def test_moving_answers_later_extends_the_deadline_automatically_past_a_bank_holiday(
    django_capture_on_commit_callbacks: pytest.FixtureRequest,
) -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    holder = interested_member(opportunity)
    user = commissioner_of(opportunity)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        changes = services.apply_timeline_change(
            user,
            opportunity,
            field="answers_by",
            new_value=noon(2027, 4, 30),
            reason="Legal advice on TUPE is needed first.",
        )
    manual, automatic = changes
    assert (manual.field, manual.automatic, manual.changed_by) == ("answers_by", False, user)
    assert manual.reason == "Legal advice on TUPE is needed first."
    # Ten working days after Friday 30 April, skipping the bank holiday on Monday 3 May.
    assert automatic.field == "bid_deadline"
    assert automatic.automatic and automatic.changed_by is None
    assert automatic.old_value == noon(2027, 5, 10)
    assert automatic.new_value == noon(2027, 5, 17)
    assert "moves automatically" in automatic.reason
    opportunity.refresh_from_db()
    assert opportunity.bid_deadline == noon(2027, 5, 17)
    assert opportunity.answers_by == noon(2027, 4, 30)
    assert DateChange.objects.filter(opportunity=opportunity).count() == 2
    event = AuditEvent.objects.get(action="opportunity.date_change")
    assert set(event.changes) == {"answers_by", "bid_deadline"}
    assert Notification.objects.get(user=holder).kind == "procurement.timeline_change"
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Legal advice on TUPE is needed first." in body
    assert "Bid deadline (automatic)" in body
    assert "Monday 17 May 2027" in body


@time_machine.travel(TODAY, tick=False)
def test_a_change_that_keeps_enough_time_moves_nothing_else() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    user = commissioner_of(opportunity)
    changes = services.apply_timeline_change(
        user,
        opportunity,
        field="bid_deadline",
        new_value=noon(2027, 5, 24),
        reason="More time for consortium bids.",
    )
    assert [(c.field, c.automatic) for c in changes] == [("bid_deadline", False)]
    opportunity.refresh_from_db()
    assert opportunity.bid_deadline == noon(2027, 5, 24)


@time_machine.travel(TODAY, tick=False)
def test_a_bid_deadline_below_the_policy_minimum_is_refused_next_to_the_field() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    user = commissioner_of(opportunity)
    with pytest.raises(ValidationError) as info:
        services.apply_timeline_change(
            user,
            opportunity,
            field="bid_deadline",
            new_value=noon(2027, 4, 20),
            reason="Hurry up.",
        )
    message = info.value.message_dict["bid_deadline"][0]
    assert message.startswith("The bid deadline must be Monday 26 April 2027 or later")
    assert not DateChange.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_a_reason_is_required_and_dates_in_the_past_are_refused() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    user = commissioner_of(opportunity)
    with pytest.raises(ValidationError) as info:
        services.apply_timeline_change(
            user, opportunity, field="bid_deadline", new_value=noon(2027, 6, 1), reason=""
        )
    assert "reason" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.apply_timeline_change(
            user, opportunity, field="question_deadline", new_value=noon(2027, 3, 9), reason="x"
        )
    assert info.value.message_dict["question_deadline"] == ["The new date must be in the future"]


@time_machine.travel(datetime(2027, 5, 5, 15, 0, tzinfo=LONDON), tick=False)
def test_a_late_answer_extends_the_deadline(
    django_capture_on_commit_callbacks: pytest.FixtureRequest,
) -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    holder = interested_member(opportunity)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        changes = services.answer_published(opportunity, datetime.now(tz=LONDON))
    (change,) = changes
    assert change.automatic and change.field == "bid_deadline"
    # Ten working days after Wednesday 5 May 2027.
    assert change.new_value == noon(2027, 5, 19)
    assert "published late on Wednesday 5 May 2027" in change.reason
    assert opportunity.bid_deadline == noon(2027, 5, 19)
    assert AuditEvent.objects.get(action="opportunity.date_change").actor_label == "system"
    assert [m.to for m in mail.outbox] == [[holder.email]]


@time_machine.travel(datetime(2027, 3, 25, 15, 0, tzinfo=LONDON), tick=False)
def test_an_answer_on_time_moves_nothing() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    assert services.answer_published(opportunity, datetime.now(tz=LONDON)) == []
    opportunity.refresh_from_db()
    assert opportunity.bid_deadline == noon(2027, 5, 10)
