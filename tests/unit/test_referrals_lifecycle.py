"""A referral's state machine and the rules that need no database (REF-1): who makes each move,
the dates (not in the future, not before the step before), the reasons, and the suppression of
counts by protected characteristic."""

from __future__ import annotations

from datetime import date

import pytest

from commissioning.referrals import characteristics, lifecycle, pseudonyms
from commissioning.referrals.lifecycle import Side, Status

TODAY = date(2026, 12, 6)


def test_the_happy_path_and_every_exit_are_in_the_table() -> None:
    assert lifecycle.allowed_next(Status.REFERRED) == [
        Status.ACCEPTED,
        Status.DECLINED,
        Status.WITHDRAWN,
    ]
    assert lifecycle.allowed_next(Status.ENGAGED) == [
        Status.COMPLETED,
        Status.WITHDRAWN,
        Status.DISENGAGED,
    ]
    for final in lifecycle.FINAL:
        assert lifecycle.allowed_next(final) == []


def test_only_withdrawing_is_the_referrers_move() -> None:
    assert lifecycle.side_of(Status.WITHDRAWN) is Side.REFERRER
    for target in (Status.ACCEPTED, Status.DECLINED, Status.STARTED, Status.DISENGAGED):
        assert lifecycle.side_of(target) is Side.PROVIDER
    assert lifecycle.TRANSITIONS[(Status.REFERRED, Status.ACCEPTED)].action == "referral.accept"


def _problems(current: Status, target: Status, **kwargs: object) -> dict[str, str]:
    values: dict = {"happened_on": TODAY, "previous_on": date(2026, 11, 1), "today": TODAY}
    values.update(kwargs)
    return lifecycle.problems(current, target, **values)


def test_a_step_may_not_be_skipped_nor_a_final_state_left() -> None:
    assert _problems(Status.REFERRED, Status.STARTED) == {
        "action": "A referral that is referred cannot be started."
    }
    assert _problems(Status.COMPLETED, Status.WITHDRAWN, reason="moved") == {
        "action": "The referral is completed: it can no longer change."
    }
    assert _problems(Status.REFERRED, Status.ACCEPTED) == {}


def test_each_step_is_dated_not_in_the_future_and_not_before_the_last() -> None:
    assert _problems(Status.REFERRED, Status.ACCEPTED, happened_on=None) == {
        "happened_on": "Enter the date it happened"
    }
    assert _problems(Status.REFERRED, Status.ACCEPTED, happened_on=date(2026, 12, 7)) == {
        "happened_on": "The date it happened must be today or in the past"
    }
    assert _problems(Status.ACCEPTED, Status.STARTED, happened_on=date(2026, 10, 31)) == {
        "happened_on": "The date it happened must be on or after 1 November 2026, when the "
        "referral was accepted"
    }
    assert _problems(Status.ACCEPTED, Status.STARTED, happened_on=date(2026, 11, 1)) == {}


@pytest.mark.parametrize("target", [Status.DECLINED, Status.DISENGAGED])
def test_declining_and_disengaging_need_a_reason(target: Status) -> None:
    current = Status.REFERRED if target is Status.DECLINED else Status.STARTED
    assert _problems(current, target, reason="  ") == {
        "reason": f"Enter why the referral was {target.label.lower()}"
    }
    assert _problems(current, target, reason="No space this quarter") == {}


def test_the_referral_date_is_in_the_contract_and_not_in_the_future() -> None:
    start = date(2026, 4, 1)
    assert lifecycle.referral_date_problem(date(2026, 3, 31), contract_start=start, today=TODAY)
    assert lifecycle.referral_date_problem(date(2026, 12, 7), contract_start=start, today=TODAY)
    assert lifecycle.referral_date_problem(TODAY, contract_start=start, today=TODAY) == ""


def test_nine_protected_characteristics_each_allow_prefer_not_to_say() -> None:
    assert len(characteristics.CHARACTERISTICS) == 9
    for item in characteristics.CHARACTERISTICS:
        assert (characteristics.PREFER_NOT_TO_SAY, "Prefer not to say") in item.choices()
    assert characteristics.problems({"sex": "female", "age": "", "race": "martian"}) == {
        "race": "Ethnic group: choose one of asian, black, mixed, white, other, "
        "prefer-not-to-say, or leave it blank"
    }


def test_counts_below_five_are_never_shown_nor_recoverable_from_the_total() -> None:
    assert characteristics.publishable([12, 3, 0, 40]) == [
        characteristics.WITHHELD,
        "fewer than 5",
        0,
        40,
    ]
    assert characteristics.publishable([2, 4, 9]) == ["fewer than 5", "fewer than 5", 9]
    assert characteristics.publishable([5, 0, 6]) == [5, 0, 6]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("X123456", None),
        ("2001/0123456A", None),
        ("", "Enter the person's case reference"),
        ("Jane Smith", "Enter only your case reference, never the person's name"),
        ("X1 12/03/1980", "Enter only your case reference, never a date such as a date of birth"),
        (
            "X1;DROP",
            "The case reference can only have letters, numbers, slashes, dots, dashes "
            "and underscores",
        ),
    ],
)
def test_a_case_reference_is_refused_where_it_looks_like_a_name_or_a_date(
    text: str, problem: str | None
) -> None:
    assert pseudonyms.case_reference_problem(text) == problem
