"""A referral's status as one explicit state machine (REF-1).

    referred ──accept──▶ accepted ──start──▶ started ──engage──▶ engaged ──complete──▶ completed
        └──decline (reason)──▶ declined
    referred, accepted, started, engaged ──withdraw (reason, the referrer)──▶ withdrawn
    accepted, started, engaged ──disengage (reason, the provider)──▶ disengaged

Each move is made by one side: the referring organisation withdraws; the receiving organisation
does everything else. Every step is dated (the day it happened: not in the future, not before
the step before it) and kept as a :class:`~commissioning.referrals.models.ReferralEvent`.
:func:`move` (with :func:`open_referral`, and :func:`seeded` for demo data) is the only code
that writes ``Referral.status``; :mod:`commissioning.referrals.services` runs the guards that
need the database (who the actor speaks for) inside the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from commissioning.referrals.models import Referral, ReferralEvent
from commissioning.transitions import Transition

if TYPE_CHECKING:
    from commissioning.directory.models import Organisation

Status = Referral.Status


class Side(StrEnum):
    REFERRER = "referrer"
    PROVIDER = "provider"


def _by(side: Side, action: str, what: str, *, reason: bool = False) -> Transition:
    who = "the referring organisation" if side is Side.REFERRER else "the receiving organisation"
    needs = ", with the reason" if reason else ""
    return Transition(
        action=f"referral.{action}",
        guard=f"An approved member of {who}{needs}, dated on or after the step before and not in "
        "the future.",
        effects=(f"event {what}", f"audit referral.{action}"),
    )


TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (Status.REFERRED, Status.ACCEPTED): _by(Side.PROVIDER, "accept", "accepted"),
    (Status.REFERRED, Status.DECLINED): _by(Side.PROVIDER, "decline", "declined", reason=True),
    (Status.ACCEPTED, Status.STARTED): _by(Side.PROVIDER, "start", "started"),
    (Status.STARTED, Status.ENGAGED): _by(Side.PROVIDER, "engage", "engaged"),
    (Status.ENGAGED, Status.COMPLETED): _by(Side.PROVIDER, "complete", "completed"),
    **{
        (source, Status.WITHDRAWN): _by(Side.REFERRER, "withdraw", "withdrawn", reason=True)
        for source in (Status.REFERRED, Status.ACCEPTED, Status.STARTED, Status.ENGAGED)
    },
    **{
        (source, Status.DISENGAGED): _by(Side.PROVIDER, "disengage", "disengaged", reason=True)
        for source in (Status.ACCEPTED, Status.STARTED, Status.ENGAGED)
    },
}

#: The verbs of the API, the import and the buttons, and the status each leads to.
ACTIONS: dict[str, Status] = {
    "accept": Status.ACCEPTED,
    "decline": Status.DECLINED,
    "start": Status.STARTED,
    "engage": Status.ENGAGED,
    "complete": Status.COMPLETED,
    "withdraw": Status.WITHDRAWN,
    "disengage": Status.DISENGAGED,
}
VERB = {status: verb for verb, status in ACTIONS.items()}
NEEDS_REASON = frozenset({Status.DECLINED, Status.WITHDRAWN, Status.DISENGAGED})
FINAL = frozenset({Status.DECLINED, Status.COMPLETED, Status.WITHDRAWN, Status.DISENGAGED})
WAITING = Status.REFERRED
"""A referral waiting for the receiving organisation's decision."""


def side_of(target: Status) -> Side:
    return Side.REFERRER if target is Status.WITHDRAWN else Side.PROVIDER


def allowed_next(current: Status | str) -> list[Status]:
    return [target for source, target in TRANSITIONS if source == current]


def problems(
    current: Status | str,
    target: Status,
    *,
    happened_on: date | None,
    previous_on: date,
    today: date,
    reason: str = "",
) -> dict[str, str]:
    """Why a referral that is ``current`` (its last step dated ``previous_on``) cannot move to
    ``target`` on ``happened_on``, by field (empty when it can)."""
    current = Status(current)
    if (current, target) not in TRANSITIONS:
        if current in FINAL:
            return {"action": f"The referral is {current.label.lower()}: it can no longer change."}
        return {
            "action": f"A referral that is {current.label.lower()} cannot be "
            f"{target.label.lower()}."
        }
    errors: dict[str, str] = {}
    if happened_on is None:
        errors["happened_on"] = "Enter the date it happened"
    elif happened_on > today:
        errors["happened_on"] = "The date it happened must be today or in the past"
    elif happened_on < previous_on:
        errors["happened_on"] = (
            f"The date it happened must be on or after {previous_on.day} {previous_on:%B %Y}, "
            f"when the referral was {current.label.lower()}"
        )
    if target in NEEDS_REASON and not reason.strip():
        errors["reason"] = f"Enter why the referral was {target.label.lower()}"
    return errors


def referral_date_problem(referred_on: date | None, *, contract_start: date, today: date) -> str:
    """Why ``referred_on`` cannot be the day a referral under a contract that started on
    ``contract_start`` was made (empty when it can)."""
    if referred_on is None:
        return "Enter the date of the referral"
    if referred_on > today:
        return "The date of the referral must be today or in the past"
    if referred_on < contract_start:
        return (
            f"The date of the referral must be on or after {contract_start.day} "
            f"{contract_start:%B %Y}, when the contract started"
        )
    return ""


def _event(referral: Referral, status: Status, happened_on: date, **attribution: Any) -> None:
    ReferralEvent.objects.create(
        referral=referral, step=status, happened_on=happened_on, **attribution
    )


def open_referral(referral: Referral, **attribution: Any) -> None:
    """The first step of a referral just created (status referred by the field's default)."""
    _event(referral, Status.REFERRED, referral.referred_on, **attribution)


def move(
    locked: Referral,
    target: Status,
    happened_on: date,
    *,
    caller: Referral | None = None,
    **attribution: Any,
) -> Transition:
    """Write ``target`` and its event to a referral locked by the caller, whose guards have
    passed: the only writer of ``Referral.status``."""
    current = Status(locked.status)
    transition = TRANSITIONS.get((current, target))
    if transition is None:
        raise ValueError(f"{current.label} cannot become {target.label.lower()}")
    locked.status = target
    locked.status_on = happened_on
    locked.save(update_fields=["status", "status_on", "updated_at"])
    _event(locked, target, happened_on, **attribution)
    if caller is not None:
        caller.status, caller.status_on = target, happened_on
    return transition


def seeded(
    referral: Referral,
    steps: Sequence[tuple[Status, date, str, Organisation]],
    *,
    source: str = ReferralEvent.Source.DEMO,
) -> list[ReferralEvent]:
    """Demo data: an unsaved ``referral`` walked through ``steps`` (status, day, reason,
    organisation), each checked against the table and the dates; returns its events (unsaved,
    the first being the referral itself) for the caller to save in bulk."""
    current, previous = Status.REFERRED, referral.referred_on
    events = [
        ReferralEvent(
            referral=referral,
            step=current,
            happened_on=previous,
            organisation=referral.referrer,
            source=source,
        )
    ]
    for target, day, reason, organisation in steps:
        if (current, target) not in TRANSITIONS or day < previous:
            raise ValueError(f"{current.label} cannot become {target.label.lower()} on {day}")
        events.append(
            ReferralEvent(
                referral=referral,
                step=target,
                happened_on=day,
                organisation=organisation,
                reason=reason,
                source=source,
            )
        )
        current, previous = target, day
    referral.status, referral.status_on = current, previous
    return events
