"""An opportunity's timeline against the policy (PRO-3, PRO-4): checks, published date changes
with reasons, and the automatic deadline extension — the rules themselves live in the analytics
core (:mod:`commissioning_analytics.timelines.policy`); this module maps the model's aware
datetimes to the core's England & Wales dates and back.

A moved date keeps its London time of day (a new bid deadline at noon stays at noon).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from itertools import pairwise
from typing import Literal, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.notifications.services import notify
from commissioning.procurement import access
from commissioning.procurement.lifecycle import Status
from commissioning.procurement.models import DateChange, Opportunity
from commissioning_analytics.timelines.policy import (
    AnswerPublished,
    ChangeOutcome,
    DateMoved,
    Timeline,
    TimelinePolicy,
    apply_change,
    check_timeline,
)
from commissioning_analytics.timelines.working_days import LONDON, london_date

TIMELINE_FIELDS: tuple[str, ...] = ("question_deadline", "answers_by", "bid_deadline")
"""The dates a commissioner sets; publication is stamped when the opportunity opens."""
CoreField = Literal["question_deadline", "answers_by", "bid_deadline"]
DEFAULT_TIME = time(12, 0)
FIELD_LABELS: dict[str, str] = {
    "published_at": "Publication date",
    "question_deadline": "Deadline for questions",
    "answers_by": "Answers published by",
    "bid_deadline": "Bid deadline",
}


def timeline_policy(opportunity: Opportunity) -> TimelinePolicy:
    """The core's policy from settings, with the opportunity's guaranteed response time."""
    return TimelinePolicy(
        min_bid_window_weeks=getattr(settings, "PROCUREMENT_MIN_BID_WINDOW_WEEKS", 8),
        consortium_extra_weeks=getattr(settings, "PROCUREMENT_CONSORTIUM_EXTRA_WEEKS", 4),
        response_working_days=opportunity.response_working_days,
        working_days_after_answers=getattr(settings, "PROCUREMENT_WORKING_DAYS_AFTER_ANSWERS", 10),
    )


def at_london_time(day: date, like: datetime | None) -> datetime:
    """``day`` at the London time of day of ``like`` (noon when there is none), made aware."""
    clock = like.astimezone(LONDON).time() if like is not None else DEFAULT_TIME
    return datetime.combine(day, clock, tzinfo=LONDON)


def core_timeline(
    values: Mapping[str, datetime | None],
    published: datetime,
    consortium: bool,
    planned_notice: datetime | None = None,
) -> Timeline:
    """The core's timeline from aware datetimes (all three deadlines must be set); with the
    planned procurement notice (UK3), if one was published, which may shorten the bid window."""
    return Timeline(
        published_on=london_date(published),
        question_deadline=london_date(cast(datetime, values["question_deadline"])),
        answers_by=london_date(cast(datetime, values["answers_by"])),
        bid_deadline=london_date(cast(datetime, values["bid_deadline"])),
        consortium_encouraged=consortium,
        planned_notice_on=london_date(planned_notice) if planned_notice else None,
    )


def _values(opportunity: Opportunity) -> dict[str, datetime | None]:
    return {name: getattr(opportunity, name) for name in TIMELINE_FIELDS}


def timeline_errors(
    opportunity: Opportunity,
    values: Mapping[str, datetime | None] | None = None,
    now: datetime | None = None,
    consortium: bool | None = None,
) -> dict[str, list[str]]:
    """Policy breaches as ``{field: [message]}`` (``"__all__"`` for the ordering rule), for
    ``values`` (default: the opportunity's dates). Publication is the opportunity's
    ``published_at``, or ``now`` for a draft (it would open today). Empty when compliant."""
    values = dict(values if values is not None else _values(opportunity))
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    for name in TIMELINE_FIELDS:
        if not values.get(name):
            errors.setdefault(name, []).append(f"Enter the {FIELD_LABELS[name].lower()}")
    if errors:
        return errors
    published = opportunity.published_at or now
    consortium = opportunity.consortium_encouraged if consortium is None else consortium
    order = ["question_deadline", "answers_by", "bid_deadline"]
    for earlier, later in pairwise(order):
        if cast(datetime, values[later]) < cast(datetime, values[earlier]):
            errors.setdefault(later, []).append(
                f"The {FIELD_LABELS[later].lower()} must be after the "
                f"{FIELD_LABELS[earlier].lower()}"
            )
    if cast(datetime, values["question_deadline"]) < published:
        errors.setdefault("question_deadline", []).append(
            "The deadline for questions must be after publication"
        )
    if errors:
        return errors
    for problem in check_timeline(
        core_timeline(values, published, consortium, opportunity.planned_notice_at),
        timeline_policy(opportunity),
    ):
        field = "answers_by" if problem.startswith("Answers") else "bid_deadline"
        errors.setdefault(field, []).append(problem)
    return errors


def timeline_problems(opportunity: Opportunity, now: datetime | None = None) -> list[str]:
    """The timeline's breaches as a flat list, for the publication guard."""
    return [
        message
        for messages in timeline_errors(opportunity, now=now).values()
        for message in messages
    ]


def _label_date(value: datetime) -> str:
    local = value.astimezone(LONDON)
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}"


def _notify_changes(opportunity: Opportunity, changes: list[DateChange]) -> None:
    from commissioning.procurement.services import interest_holders

    lines = [
        f"The timeline of {opportunity.reference}, “{opportunity.title}”, has changed:",
        "",
    ]
    for change in changes:
        before = _label_date(change.old_value) if change.old_value else "not set"
        kind = " (automatic)" if change.automatic else ""
        lines.append(
            f"- {FIELD_LABELS[change.field]}{kind}: {before} → {_label_date(change.new_value)}. "
            f"Reason: {change.reason}"
        )
    notify(
        interest_holders(opportunity),
        subject=f"Timeline changed: {opportunity.reference} {opportunity.title}",
        body="\n".join(lines),
        url=opportunity.get_absolute_url(),
        kind="procurement.timeline_change",
    )


def _apply_outcome(
    actor: User | None,
    opportunity: Opportunity,
    outcome: ChangeOutcome,
    manual: tuple[str, datetime, str] | None,
    now: datetime,
) -> list[DateChange]:
    """Write the changed dates, one :class:`DateChange` each, audit and notify."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    planned: list[tuple[str, datetime, str, bool]] = []
    if manual is not None:
        planned.append((manual[0], manual[1], manual[2], False))
    automatic_reason = " ".join(outcome.reasons if manual is None else outcome.reasons[1:])
    moved = {
        "answers_by": (outcome.answers_by_moved, outcome.timeline.answers_by),
        "bid_deadline": (outcome.deadline_moved, outcome.timeline.bid_deadline),
    }
    for name, (did_move, day) in moved.items():
        if did_move and (manual is None or manual[0] != name):
            current = getattr(opportunity, name)
            planned.append((name, at_london_time(day, current), automatic_reason, True))
    changes: list[DateChange] = []
    for name, value, reason, automatic in planned:
        old = getattr(opportunity, name)
        if old == value:
            continue
        changes.append(
            DateChange.objects.create(
                opportunity=opportunity,
                field=name,
                old_value=old,
                new_value=value,
                reason=reason,
                automatic=automatic,
                changed_by=None if automatic else user,
                changed_at=now,
            )
        )
        setattr(opportunity, name, value)
    if not changes:
        return []
    opportunity.save(update_fields=[c.field for c in changes])
    record(
        actor,
        "opportunity.date_change",
        opportunity,
        {
            c.field: {
                "from": c.old_value.isoformat() if c.old_value else None,
                "to": c.new_value.isoformat(),
                "reason": c.reason,
                "automatic": c.automatic,
            }
            for c in changes
        },
    )
    _notify_changes(opportunity, changes)
    return changes


def apply_timeline_change(
    actor: User,
    opportunity: Opportunity,
    *,
    field: str,
    new_value: datetime,
    reason: str,
    now: datetime | None = None,
) -> list[DateChange]:
    """Change a published date with a reason (PRO-3): recorded in the public change log, sent to
    every interest holder, and — when the change leaves less than the policy allows — the
    answers-published-by date and the bid deadline move automatically (their own log entries).

    Raises ``PermissionDenied``, or ``ValidationError`` keyed by ``field`` / ``reason``.
    """
    if not access.can_manage_opportunity(actor, opportunity):
        raise PermissionDenied("You cannot change this opportunity's timeline.")
    if field not in TIMELINE_FIELDS:
        raise ValidationError({"field": ["Select a date to change"]})
    reason = (reason or "").strip()
    now = now or timezone.now()
    if not reason:
        raise ValidationError({"reason": ["Give the reason for the change; it is published"]})
    if timezone.is_naive(new_value):
        raise ValidationError({field: ["Enter a date and time"]})
    if new_value <= now:
        raise ValidationError({field: ["The new date must be in the future"]})
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if locked.status != Status.OPEN:
            raise ValidationError(
                {field: ["Only an opportunity that is open for bids has published dates to change"]}
            )
        values = _values(locked)
        if any(v is None for v in values.values()) or locked.published_at is None:
            raise ValidationError({field: ["The opportunity's timeline is incomplete"]})
        if values[field] == new_value:
            raise ValidationError({field: ["The new date is the same as the current one"]})
        timeline = core_timeline(
            values, locked.published_at, locked.consortium_encouraged, locked.planned_notice_at
        )
        policy = timeline_policy(locked)
        try:
            outcome = apply_change(
                timeline, DateMoved(cast(CoreField, field), london_date(new_value), reason), policy
            )
        except ValueError as error:
            raise ValidationError({field: [str(error).capitalize()]}) from error
        if field == "bid_deadline" and outcome.deadline_moved:
            raise ValidationError(
                {
                    field: [
                        "The bid deadline must be "
                        f"{outcome.timeline.bid_deadline:%A} {outcome.timeline.bid_deadline.day} "
                        f"{outcome.timeline.bid_deadline:%B %Y} or later: "
                        + " ".join(outcome.reasons[1:])
                    ]
                }
            )
        changes = _apply_outcome(actor, locked, outcome, (field, new_value, reason), now)
    _refresh(opportunity, locked)
    return changes


def answer_published(
    opportunity: Opportunity, answered_at: datetime, now: datetime | None = None
) -> list[DateChange]:
    """A clarification answer was published at ``answered_at`` (PRO-4): when it was late and
    leaves bidders less time than the policy allows, the bid deadline moves automatically
    (PRO-3), logged, audited as a system change and sent to interest holders. Returns the
    changes (empty when the deadline stands or the opportunity is not open)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        values = _values(locked)
        if locked.status != Status.OPEN or locked.published_at is None:
            return []
        if any(v is None for v in values.values()):
            return []
        timeline = core_timeline(
            values, locked.published_at, locked.consortium_encouraged, locked.planned_notice_at
        )
        outcome = apply_change(
            timeline, AnswerPublished(london_date(answered_at)), timeline_policy(locked)
        )
        if not outcome.deadline_moved:
            return []
        changes = _apply_outcome(None, locked, outcome, None, now)
    _refresh(opportunity, locked)
    return changes


def _refresh(opportunity: Opportunity, locked: Opportunity) -> None:
    for name in TIMELINE_FIELDS:
        setattr(opportunity, name, getattr(locked, name))
