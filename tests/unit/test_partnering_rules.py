"""Pure rules of partner finding and messaging (PRO-6): message text validation, directory
searches for a lot, unread logic and inbox excerpts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning.partnering.rules import (
    MAX_MESSAGE_LENGTH,
    TextProblem,
    clean_message_text,
    clean_note,
    clean_subject,
    directory_search_links,
    excerpt,
    unread_after,
)


def test_message_is_trimmed_and_line_endings_normalised() -> None:
    assert clean_message_text("  Hello\r\nthere\r  ") == "Hello\nthere"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "Enter a message"),
        (" \n\t ", "Enter a message"),
        ("x" * (MAX_MESSAGE_LENGTH + 1), "2,000 characters or fewer (it has 2,001)"),
        ("bell\x07", "plain text"),
        ("nul\x00", "plain text"),
        ("delete\x7f", "plain text"),
    ],
)
def test_bad_messages_are_refused_with_a_reason(text: str, problem: str) -> None:
    with pytest.raises(TextProblem, match=problem.replace("(", r"\(").replace(")", r"\)")):
        clean_message_text(text)


def test_exactly_the_limit_is_fine_and_tabs_are_plain_text() -> None:
    assert len(clean_message_text("x" * MAX_MESSAGE_LENGTH)) == MAX_MESSAGE_LENGTH
    assert clean_message_text("a\tb") == "a\tb"


def test_subject_is_one_line() -> None:
    assert clean_subject("  Lot 1:\n  partnering   please ") == "Lot 1: partnering please"
    with pytest.raises(TextProblem, match="Enter a subject"):
        clean_subject("   ")
    with pytest.raises(TextProblem, match="150 characters"):
        clean_subject("s" * 151)


def test_note_may_be_blank_but_not_too_long() -> None:
    assert clean_note("   ") == ""
    assert clean_note(" We bring women's services ") == "We bring women's services"
    with pytest.raises(TextProblem, match="The note must be 1,000 characters"):
        clean_note("n" * 1001)


@given(st.text(max_size=3000))
def test_clean_text_is_stable_and_within_limits(text: str) -> None:
    try:
        cleaned = clean_message_text(text)
    except TextProblem:
        return
    assert cleaned == clean_message_text(cleaned)
    assert 0 < len(cleaned) <= MAX_MESSAGE_LENGTH
    assert cleaned == cleaned.strip()


def test_directory_links_combine_each_area_with_each_service_then_each_area() -> None:
    links = directory_search_links(
        [("tyne", "Northumbria"), ("durham", "Durham")], [("housing", "Housing")]
    )

    assert [link.label for link in links] == [
        "Housing in Northumbria",
        "Housing in Durham",
        "Any service in Northumbria",
        "Any service in Durham",
    ]
    assert parse_qs(links[0].querystring) == {"area": ["tyne"], "specialism": ["housing"]}
    assert parse_qs(links[2].querystring) == {"area": ["tyne"]}


def test_directory_links_without_areas_search_by_service_and_are_capped() -> None:
    assert [link.label for link in directory_search_links([], [("housing", "Housing")])] == [
        "Housing anywhere"
    ]
    many = directory_search_links([(f"a{i}", f"A{i}") for i in range(5)], [("s", "S")], limit=3)
    assert len(many) == 3
    assert directory_search_links([], []) == []


def test_directory_link_values_are_url_encoded() -> None:
    (link, _any) = directory_search_links([("a&b", "A and B")], [("c d", "C")])
    assert link.querystring == "area=a%26b&specialism=c+d"


def test_unread_after() -> None:
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    assert unread_after(now, None)
    assert unread_after(now, now - timedelta(seconds=1))
    assert not unread_after(now, now)
    assert not unread_after(now, now + timedelta(minutes=1))


def test_excerpt_cuts_at_a_word() -> None:
    assert excerpt("Short\nmessage") == "Short message"
    text = "We bring specialist women's services in Tyneside and would like to partner."
    cut = excerpt(text, length=30)
    assert cut.endswith("…") and len(cut) <= 30
    assert cut == "We bring specialist women's…"
