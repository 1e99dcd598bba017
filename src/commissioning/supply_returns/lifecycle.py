"""A supply-chain return's status and its lines' statuses as explicit state machines (SUP-1).

    return:  draft ──submit (the prime, once the quarter has ended)──▶ submitted
    line:    draft ──(the return is submitted)──▶ awaiting confirmation
             awaiting confirmation ──confirm (the sub-contractor)──▶ confirmed
             awaiting confirmation ──dispute (the sub-contractor, with a reason)──▶ disputed

While the return is a draft its figures are drawn again from the records each time it is
drafted; once submitted they are fixed. The guards that need no database are plain functions
returning problems by field; :mod:`commissioning.supply_returns.services` runs them inside the
transaction, and :func:`submit` and :func:`respond` are the only code that writes ``status``.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from commissioning.supply_returns.models import ReturnLine, SupplyReturn
from commissioning.transitions import Transition

Status = SupplyReturn.Status
LineStatus = ReturnLine.Status

RETURN_TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (Status.DRAFT, Status.SUBMITTED): Transition(
        action="supply_return.submit",
        guard="An approved member of the prime contractor, after the quarter has ended.",
        effects=(
            "figures fixed as drafted, with the prime's notes",
            "every line awaits its sub-contractor's confirmation",
            "audit supply_return.submit",
            "the sub-contractors are notified",
            "published on the contract page, as CSV and in OCDS",
        ),
    ),
}

LINE_TRANSITIONS: dict[tuple[LineStatus, LineStatus], Transition] = {
    (LineStatus.DRAFT, LineStatus.AWAITING): Transition(
        action="", guard="The return is submitted.", effects=("the sub-contractor is notified",)
    ),
    (LineStatus.AWAITING, LineStatus.CONFIRMED): Transition(
        action="supply_return.confirm",
        guard="An approved member of the line's sub-contractor.",
        effects=("audit supply_return.confirm",),
    ),
    (LineStatus.AWAITING, LineStatus.DISPUTED): Transition(
        action="supply_return.dispute",
        guard="An approved member of the line's sub-contractor, with the reason.",
        effects=(
            "audit supply_return.dispute, with the reason",
            "the prime and the contract's commissioners are notified",
        ),
    ),
}

#: The answers a sub-contractor may give, by the word the forms and the API use.
ANSWERS = {"confirm": LineStatus.CONFIRMED, "dispute": LineStatus.DISPUTED}


def is_draft(supply_return: SupplyReturn) -> bool:
    return Status(supply_return.status) is Status.DRAFT


def submit_problems(supply_return: SupplyReturn, today: date) -> dict[str, str]:
    """Why the return cannot be submitted today (empty if it can)."""
    if not is_draft(supply_return):
        return {"__all__": "This return has already been submitted."}
    if supply_return.quarter_end >= today:
        end = supply_return.quarter_end
        return {
            "__all__": f"The quarter ends on {end.day} {end:%B %Y}: submit its return after that."
        }
    return {}


def answer_problems(line: ReturnLine, answer: str, reason: str) -> dict[str, str]:
    """Why the sub-contractor's ``answer`` to its line cannot be recorded (empty if it can)."""
    current = LineStatus(line.status)
    if current is LineStatus.DRAFT:
        return {"__all__": "This return has not been submitted yet."}
    if current is not LineStatus.AWAITING:
        return {"__all__": f"This line has already been {current.label.lower()}."}
    problems: dict[str, str] = {}
    if answer not in ANSWERS:
        problems["answer"] = "Choose whether you confirm or dispute your line"
    elif ANSWERS[answer] is LineStatus.DISPUTED and not reason.strip():
        problems["reason"] = "Enter why you dispute your line"
    return problems


def submit(locked: SupplyReturn, lines: list[ReturnLine]) -> Transition:
    """Write submitted to a return locked by the caller whose guards have passed, and set each of
    its lines awaiting confirmation. Returns the move's table entry."""
    transition = RETURN_TRANSITIONS.get((Status(locked.status), Status.SUBMITTED))
    if transition is None:
        raise ValidationError("This return has already been submitted.")
    locked.status = Status.SUBMITTED
    for line in lines:
        line.status = LineStatus.AWAITING
    return transition


def respond(locked: ReturnLine, answer: str) -> Transition:
    """Write the sub-contractor's answer to a line locked by the caller whose guards passed."""
    target = ANSWERS[answer]
    transition = LINE_TRANSITIONS.get((LineStatus(locked.status), target))
    if transition is None:
        raise ValidationError(f"This line cannot become {target.label.lower()}.")
    locked.status = target
    return transition


def seed(supply_return: SupplyReturn, lines: list[ReturnLine], answers: dict[int, str]) -> None:
    """Mark a drafted return submitted and its lines answered (``answers``: line id → confirm or
    dispute; a line not named awaits confirmation): synthetic demo data only, which records a
    history that never ran on the platform."""
    assert supply_return.is_synthetic, "only synthetic demo returns are seeded"
    supply_return.status = Status.SUBMITTED
    for line in lines:
        line.status = ANSWERS[answers[line.pk]] if line.pk in answers else LineStatus.AWAITING
