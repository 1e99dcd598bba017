"""The opportunity state machine (issue 3; PRO-9 cancellation; EVA-1 criteria guard)."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest

from commissioning.procurement.lifecycle import (
    TERMINAL,
    TRANSITIONS,
    Status,
    TransitionError,
    action_for,
    allowed_next,
    can_cancel,
    check_transition,
    criteria_problems,
    dates_changeable,
    is_editable,
    write,
)


def test_the_happy_path_is_allowed() -> None:
    path = [Status.DRAFT, Status.OPEN, Status.CLOSED, Status.EVALUATION, Status.AWARDED]
    for current, target in pairwise(path):
        check_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (Status.DRAFT, Status.CLOSED),
        (Status.DRAFT, Status.AWARDED),
        (Status.OPEN, Status.DRAFT),
        (Status.OPEN, Status.AWARDED),
        (Status.CLOSED, Status.OPEN),
        (Status.AWARDED, Status.CANCELLED),
    ],
)
def test_skipping_or_going_back_is_refused(current: Status, target: Status) -> None:
    with pytest.raises(TransitionError):
        check_transition(current, target)


def test_same_status_is_refused_with_a_message() -> None:
    with pytest.raises(TransitionError, match="already “Open for bids”"):
        check_transition(Status.OPEN, Status.OPEN)


def test_terminal_statuses_have_no_way_out() -> None:
    assert {Status.AWARDED, Status.CANCELLED, Status.UNSUCCESSFUL} == TERMINAL
    for status in TERMINAL:
        assert allowed_next(status) == []
        with pytest.raises(TransitionError, match="can no longer change"):
            check_transition(status, Status.DRAFT)


def test_every_live_status_can_be_cancelled() -> None:
    live = [Status.DRAFT, Status.OPEN, Status.CLOSED, Status.EVALUATION]
    assert all(can_cancel(s) for s in live)
    assert not any(can_cancel(s) for s in TERMINAL)


def test_refusal_names_the_allowed_moves() -> None:
    with pytest.raises(TransitionError) as info:
        check_transition(Status.DRAFT, Status.AWARDED)
    assert "“Open for bids”" in info.value.message
    assert "“Cancelled”" in info.value.message


def test_every_status_is_in_the_machine() -> None:
    assert set(TRANSITIONS) == set(Status)


def test_audit_action_names() -> None:
    assert action_for(Status.DRAFT, Status.OPEN) == "opportunity.publish"
    assert action_for(Status.OPEN, Status.CANCELLED) == "opportunity.cancelled"


def test_only_drafts_are_edited_and_only_live_dates_change() -> None:
    assert is_editable(Status.DRAFT)
    assert not is_editable(Status.OPEN)
    assert dates_changeable(Status.OPEN)
    assert not dates_changeable(Status.CLOSED)


def test_criteria_must_add_to_100_with_at_least_10_percent_social_value() -> None:
    assert (
        criteria_problems([("P", "price", 30), ("Q", "quality", 60), ("S", "social_value", 10)])
        == []
    )
    problems = criteria_problems(
        [("P", "price", 40), ("Q", "quality", 55), ("S", "social_value", 5)]
    )
    assert problems == ["Social value carries 5% of the total; it must carry at least 10%."]
    problems = criteria_problems([("P", "price", 50), ("S", "social_value", 20)])
    assert problems == ["The criteria weights add up to 70%; they must add up to 100%."]


def test_no_criteria_or_price_only_is_refused() -> None:
    assert criteria_problems([]) == ["Add the evaluation criteria and their weights."]
    problems = criteria_problems([("P", "price", 100)])
    assert "Price cannot be the only criterion: add quality criteria." in problems
    assert any("Social value carries 0%" in p for p in problems)


def test_two_price_criteria_are_refused_at_publication() -> None:
    problems = criteria_problems(
        [("Annual price", "price", 20), ("Set-up price", "price", 10), ("S", "social_value", 70)]
    )
    assert problems == [
        "There are 2 price criteria (Annual price, Set-up price); price is one criterion, "
        "scored by the published price method."
    ]


class _Saved:
    """Stands in for a locked opportunity: records what ``save`` was asked to write."""

    def __init__(self, status: Status) -> None:
        self.status = status.value
        self.saved: list[str] | None = None

    def save(self, *, update_fields: list[str]) -> None:
        self.saved = update_fields


def test_write_is_the_one_writer_and_keeps_to_the_machine() -> None:
    """Issue 12: the lifecycle writes the status (and the fields that go with the move) only
    along an edge of the machine."""
    record: Any = _Saved(Status.OPEN)
    write(record, Status.CANCELLED, {"cancellation_code": "other"})
    assert (record.status, record.cancellation_code) == ("cancelled", "other")
    assert record.saved == ["status", "cancellation_code"]
    refused: Any = _Saved(Status.AWARDED)
    with pytest.raises(TransitionError, match="can no longer change"):
        write(refused, Status.OPEN, {})
    assert (refused.status, refused.saved) == ("awarded", None)
