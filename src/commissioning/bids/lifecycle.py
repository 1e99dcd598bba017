"""A bid's status as one explicit state machine (PRO-7, PRO-8; issue 12).

    draft ──submit──▶ submitted ──withdraw──▶ withdrawn ──submit──▶ submitted …

The transition table names each move's audit action, its guard and its side effects;
:mod:`commissioning.bids.submission` runs the guards (which need the bid's sealed content) and the
side effects, and :func:`move` here is the only code that writes ``Bid.status``. Whether a bid
can still be changed is decided once, by :func:`edit_refusal`.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError

from commissioning.bids.models import Bid
from commissioning.procurement.services import is_open_for_bids
from commissioning.transitions import Transition

Status = Bid.Status


_SUBMIT = Transition(
    action="bid.submit",
    guard="Before the bid deadline by the server's clock, by a member of the bidding "
    "organisation, with price, full-cost disclosure and every criterion answered, and every "
    "named sub-contractor confirmed; for a bid together, every consortium member confirmed and "
    "the shares adding up to 100% (submission.submission_problems, consortium.problems).",
    effects=("receipt with the sealed digest", "audit bid.submit", "notice bid.receipt"),
)

TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (Status.DRAFT, Status.SUBMITTED): _SUBMIT,
    (Status.WITHDRAWN, Status.SUBMITTED): _SUBMIT,
    (Status.SUBMITTED, Status.WITHDRAWN): Transition(
        action="bid.withdraw",
        guard="Before the bid deadline, by a member of the bidding organisation.",
        effects=("audit bid.withdraw", "notice bid.withdrawn"),
    ),
}

STAMPS: dict[Status, str] = {Status.SUBMITTED: "submitted_at", Status.WITHDRAWN: "withdrawn_at"}
"""The field that records when the bid entered each state."""


def can_move(current: Status | str, target: Status | str) -> bool:
    return (Status(current), Status(target)) in TRANSITIONS


def move(locked: Bid, target: Status, now: datetime, *, caller: Bid | None = None) -> Transition:
    """Write ``target`` (and the time of the move) to a bid locked by the caller, whose guards
    have passed: the only writer of ``Bid.status``. ``caller`` is the caller's copy of the bid,
    brought up to date too."""
    current = Status(locked.status)
    transition = TRANSITIONS.get((current, target))
    if transition is None:
        raise ValidationError(
            f"A bid that is {current.label.lower()} cannot become {target.label.lower()}."
        )
    stamp = STAMPS[target]
    locked.status = target
    setattr(locked, stamp, now)
    locked.save(update_fields=["status", stamp, "updated_at"])
    if caller is not None:
        caller.status = target
        setattr(caller, stamp, now)
    return transition


SUBMITTED_REFUSAL = "This bid has been submitted: withdraw it before changing it."
DEADLINE_REFUSAL = "The bid deadline has passed: this bid can no longer be changed."


def edit_refusal(bid: Bid, now: datetime | None = None) -> str | None:
    """Why the bid's content (price, answers, documents, supply chain and the sub-contractors'
    answers) can no longer change, or ``None`` while it can: never once the deadline has passed
    by the server's clock, and not while submitted (withdraw first) (PRO-8)."""
    if not is_open_for_bids(bid.lot.opportunity, now):
        return DEADLINE_REFUSAL
    if bid.status == Status.SUBMITTED:
        return SUBMITTED_REFUSAL
    return None


def is_editable(bid: Bid, now: datetime | None = None) -> bool:
    return edit_refusal(bid, now) is None
