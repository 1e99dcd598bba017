"""The supply-chain return's state machines (SUP-1), without a database: the transition table,
the guards' messages, and that a refused move writes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from commissioning.supply_returns import lifecycle
from commissioning.supply_returns.models import ReturnLine, SupplyReturn
from commissioning.supply_returns.quarters import code_of, ended_quarters, parse_quarter

Status, LineStatus = SupplyReturn.Status, ReturnLine.Status


def _return(status: str = "draft") -> SupplyReturn:
    return SupplyReturn(
        quarter_start=date(2026, 7, 1), quarter_end=date(2026, 9, 30), status=status
    )


def test_the_tables_name_every_move_and_its_audit_action() -> None:
    assert set(lifecycle.RETURN_TRANSITIONS) == {(Status.DRAFT, Status.SUBMITTED)}
    assert {t.action for t in lifecycle.LINE_TRANSITIONS.values()} == {
        "",
        "supply_return.confirm",
        "supply_return.dispute",
    }


def test_submitting_waits_for_the_quarter_to_end_and_happens_once() -> None:
    draft = _return()
    assert lifecycle.submit_problems(draft, date(2026, 9, 30)) == {
        "__all__": "The quarter ends on 30 September 2026: submit its return after that."
    }
    assert lifecycle.submit_problems(draft, date(2026, 10, 1)) == {}
    lines = [ReturnLine(status=LineStatus.DRAFT), ReturnLine(status=LineStatus.DRAFT)]
    assert lifecycle.submit(draft, lines).action == "supply_return.submit"
    assert draft.status == Status.SUBMITTED
    assert {line.status for line in lines} == {LineStatus.AWAITING}
    assert lifecycle.submit_problems(draft, date(2026, 10, 1)) == {
        "__all__": "This return has already been submitted."
    }
    with pytest.raises(Exception, match=r"cannot become|already been submitted"):
        lifecycle.submit(draft, [])


def test_a_line_is_answered_once_and_a_dispute_needs_a_reason() -> None:
    line = ReturnLine(status=LineStatus.DRAFT)
    assert lifecycle.answer_problems(line, "confirm", "") == {
        "__all__": "This return has not been submitted yet."
    }
    line.status = LineStatus.AWAITING
    assert lifecycle.answer_problems(line, "maybe", "") == {
        "answer": "Choose whether you confirm or dispute your line"
    }
    assert lifecycle.answer_problems(line, "dispute", "  ") == {
        "reason": "Enter why you dispute your line"
    }
    assert lifecycle.respond(line, "dispute").action == "supply_return.dispute"
    assert line.status == LineStatus.DISPUTED
    assert lifecycle.answer_problems(line, "confirm", "") == {
        "__all__": "This line has already been disputed."
    }
    with pytest.raises(Exception, match=r"cannot become|already been submitted"):
        lifecycle.respond(line, "confirm")
    assert line.status == LineStatus.DISPUTED


def test_quarters_are_named_like_2026Q3() -> None:
    assert parse_quarter("2026Q3") == (date(2026, 7, 1), date(2026, 9, 30))
    assert parse_quarter("2027-q1") == (date(2027, 1, 1), date(2027, 3, 31))
    assert code_of(date(2026, 10, 1)) == "2026Q4"
    with pytest.raises(ValueError):
        parse_quarter("2026Q5")
    assert ended_quarters(date(2026, 4, 1), date(2028, 3, 31), date(2026, 10, 1)) == [
        date(2026, 4, 1),
        date(2026, 7, 1),
    ]
