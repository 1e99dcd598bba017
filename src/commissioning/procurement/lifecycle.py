"""An opportunity's status as one explicit state machine (style.md convention 3; issue 3).

draft → open (published) → closed → evaluation → awarded | unsuccessful; draft, open, closed
and evaluation may be cancelled (with a coded, published reason: PRO-9, LAW-1 UK12). Framework
-free: :func:`commissioning.procurement.services.transition` applies it, runs the guards (which
need the database) and the side effects, and audits every transition; :func:`write` here is the
only code that writes ``Opportunity.status`` (issue 12).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    EVALUATION = "evaluation"
    AWARDED = "awarded"
    CANCELLED = "cancelled"
    UNSUCCESSFUL = "unsuccessful"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[Status, str] = {
    Status.DRAFT: "Draft",
    Status.OPEN: "Open for bids",
    Status.CLOSED: "Closed for bids",
    Status.EVALUATION: "Evaluation",
    Status.AWARDED: "Awarded",
    Status.CANCELLED: "Cancelled",
    Status.UNSUCCESSFUL: "Unsuccessful",
}

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.OPEN, Status.CANCELLED}),
    Status.OPEN: frozenset({Status.CLOSED, Status.CANCELLED}),
    Status.CLOSED: frozenset({Status.EVALUATION, Status.CANCELLED, Status.UNSUCCESSFUL}),
    Status.EVALUATION: frozenset({Status.AWARDED, Status.UNSUCCESSFUL, Status.CANCELLED}),
    Status.AWARDED: frozenset(),
    Status.CANCELLED: frozenset(),
    Status.UNSUCCESSFUL: frozenset(),
}

TERMINAL: frozenset[Status] = frozenset(s for s, nexts in TRANSITIONS.items() if not nexts)

TRANSITION_ACTIONS: dict[tuple[Status, Status], str] = {
    (Status.DRAFT, Status.OPEN): "opportunity.publish",
    (Status.OPEN, Status.CLOSED): "opportunity.close",
    (Status.CLOSED, Status.EVALUATION): "opportunity.evaluate",
    (Status.EVALUATION, Status.AWARDED): "opportunity.award",
}
"""Audit action names; any other move is ``opportunity.<target>`` (e.g. opportunity.cancelled)."""


class TransitionError(ValueError):
    """A status change the lifecycle does not allow, or whose guards failed.

    ``reasons`` lists every failed guard in words (publication lists them all at once);
    ``field`` names the input the first message belongs to, for forms and the API.
    """

    def __init__(self, reasons: list[str] | str, field: str = "status") -> None:
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        self.field = field
        super().__init__(" ".join(self.reasons))

    @property
    def message(self) -> str:
        return " ".join(self.reasons)


def allowed_next(current: Status) -> list[Status]:
    order = list(Status)
    return sorted(TRANSITIONS[current], key=order.index)


def check_transition(current: Status, target: Status) -> None:
    """Raise :class:`TransitionError` unless ``current → target`` is an edge of the machine."""
    if target == current:
        raise TransitionError(f"The opportunity is already “{current.label}”.")
    if target not in TRANSITIONS[current]:
        if current in TERMINAL:
            raise TransitionError(
                f"The opportunity is “{current.label}”: its status can no longer change."
            )
        allowed = ", ".join(f"“{s.label}”" for s in allowed_next(current))
        raise TransitionError(
            f"An opportunity that is “{current.label}” can move only to {allowed}, "
            f"not “{target.label}”."
        )


def write(locked: Any, target: Status, fields: Mapping[str, Any]) -> None:
    """Write ``target`` and ``fields`` to an opportunity locked by the caller whose guards have
    passed: the only writer of ``Opportunity.status``. Raises :class:`TransitionError` (nothing
    written) unless ``current → target`` is an edge of the machine."""
    check_transition(Status(locked.status), target)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.status = target.value
    locked.save(update_fields=["status", *fields])


def seed(record: Any, status: Status) -> None:
    """Save a new opportunity already in ``status``: synthetic demo data only, which records a
    history that never ran on the platform (an awarded opportunity behind a demo contract)."""
    record.status = Status(status).value
    record.save()


def action_for(current: Status, target: Status) -> str:
    return TRANSITION_ACTIONS.get((current, target), f"opportunity.{target.value}")


def is_editable(current: Status) -> bool:
    """Details, lots, specification and criteria are edited only while a draft; once published
    only dates change (with a reason, PRO-3) and the opportunity can be cancelled."""
    return current is Status.DRAFT


def dates_changeable(current: Status) -> bool:
    return current in (Status.DRAFT, Status.OPEN)


def can_cancel(current: Status) -> bool:
    return Status.CANCELLED in TRANSITIONS[current]


# ------------------------------------------------------------------ publication guards

MIN_SOCIAL_VALUE_PERCENT = 10
"""EVA-1 (issue 3): social value must carry at least 10% of the total weight."""


def criteria_problems(weights: list[tuple[str, str, float]]) -> list[str]:
    """Problems with the criteria as ``(name, kind, weight %)``: none at all, weights not adding
    to 100, social value under 10%, price as the only criterion or more than one price
    criterion (EVA-1, EVA-4: price is scored once, by the published method)."""
    if not weights:
        return ["Add the evaluation criteria and their weights."]
    problems: list[str] = []
    total = round(sum(w for _, _, w in weights), 2)
    if total != 100:
        problems.append(f"The criteria weights add up to {total:g}%; they must add up to 100%.")
    social = round(sum(w for _, kind, w in weights if kind == "social_value"), 2)
    if social < MIN_SOCIAL_VALUE_PERCENT:
        problems.append(
            f"Social value carries {social:g}% of the total; it must carry at least "
            f"{MIN_SOCIAL_VALUE_PERCENT}%."
        )
    if all(kind == "price" for _, kind, _ in weights):
        problems.append("Price cannot be the only criterion: add quality criteria.")
    prices = [name for name, kind, _ in weights if kind == "price"]
    if len(prices) > 1:
        problems.append(
            f"There are {len(prices)} price criteria ({', '.join(prices)}); price is one "
            "criterion, scored by the published price method."
        )
    return problems
