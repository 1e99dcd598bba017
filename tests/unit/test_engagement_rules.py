"""Pure rules of consultations (CYC-2, USR-1): states by the clock, London closing times across
BST, choices, publishing problems, references and suppressed public counts."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning.engagement import rules

UTC = ZoneInfo("UTC")
LABELS = [("organisation", "Org"), ("lived_experience", "Lived"), ("individual", "Other")]


def test_states_follow_the_clock() -> None:
    opens = datetime(2027, 1, 1, tzinfo=UTC)
    closes = datetime(2027, 2, 1, tzinfo=UTC)
    published = opens - timedelta(days=3)
    assert rules.consultation_state(None, opens, closes, opens) is rules.State.DRAFT
    assert rules.consultation_state(published, opens, closes, published) is rules.State.UPCOMING
    assert rules.consultation_state(published, opens, closes, opens) is rules.State.OPEN
    just_before = closes - timedelta(microseconds=1)
    assert rules.consultation_state(published, opens, closes, just_before) is rules.State.OPEN
    assert rules.consultation_state(published, opens, closes, closes) is rules.State.CLOSED


def test_closing_moment_is_1159pm_london_in_winter_and_summer() -> None:
    assert rules.closing_moment(date(2027, 1, 15)).astimezone(UTC) == datetime(
        2027, 1, 15, 23, 59, tzinfo=UTC
    )
    # British Summer Time: 11:59pm BST is 10:59pm UTC.
    assert rules.closing_moment(date(2027, 7, 15)).astimezone(UTC) == datetime(
        2027, 7, 15, 22, 59, tzinfo=UTC
    )


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_closing_day_round_trips(day: date) -> None:
    assert rules.closing_day(rules.closing_moment(day)) == day


def test_date_errors() -> None:
    today = date(2027, 3, 1)
    assert rules.date_errors(date(2027, 3, 5), date(2027, 3, 4), today) == {
        "closes_on": "The closing date must be the same as or after the opening date"
    }
    assert "closes_on" in rules.date_errors(date(2027, 2, 1), date(2027, 2, 20), today)
    assert rules.date_errors(today, today, today) == {}


def test_choices_parsed_one_a_line_without_blanks_or_repeats() -> None:
    assert rules.parse_choices(" Online \n\nIn  person\nonline\nBoth") == [
        "Online",
        "In person",
        "Both",
    ]
    assert rules.choices_error([]) is None
    assert rules.choices_error(["Only one"]) is not None
    assert rules.choices_error([str(n) for n in range(11)]) is not None


def test_publish_problems() -> None:
    now = datetime(2027, 1, 1, tzinfo=UTC)
    assert rules.publish_problems(0, now - timedelta(days=1), now) == [
        "Add at least one question",
        "Change the closing date: it has passed",
    ]
    assert rules.publish_problems(2, now + timedelta(days=1), now) == []


def test_references_are_readable_and_seedable() -> None:
    reference = rules.new_reference(random.Random(1))  # type: ignore[arg-type]
    assert reference.startswith("CR-") and len(reference) == 12
    assert not set(reference[3:].replace("-", "")) & set("01IO")


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({}, [("Org", 0), ("Lived", 0), ("Other", 0), ("Total", 0)]),
        (
            {"organisation": 6, "lived_experience": 3},
            [("Org", 6), ("Lived", "<5"), ("Other", 0), ("Total", "5 or more")],
        ),
        ({"organisation": 2}, [("Org", "<5"), ("Lived", 0), ("Other", 0), ("Total", "<5")]),
        (
            {"organisation": 7, "individual": 5},
            [("Org", 7), ("Lived", 0), ("Other", 5), ("Total", 12)],
        ),
    ],
)
def test_published_counts_suppress_small_numbers(
    counts: dict[str, int], expected: list[tuple[str, int | str]]
) -> None:
    assert rules.published_counts(counts, LABELS) == expected


@given(st.dictionaries(st.sampled_from([v for v, _ in LABELS]), st.integers(0, 60)))
def test_no_published_number_is_between_one_and_four(counts: dict[str, int]) -> None:
    for _, shown in rules.published_counts(counts, LABELS):
        assert not (isinstance(shown, int) and 0 < shown < 5)


def test_notes_only_after_the_event_starts() -> None:
    start = datetime(2027, 1, 1, 10, tzinfo=UTC)
    assert not rules.can_publish_notes(start, start - timedelta(minutes=1))
    assert rules.can_publish_notes(start, start)
