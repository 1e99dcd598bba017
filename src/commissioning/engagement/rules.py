"""Pure rules of consultations and events (CYC-2, CYC-3, USR-1): no database, no Django.

Dates are timezone-aware; a consultation opens at the start of its opening day and closes at
11:59pm on its closing day, both in Europe/London. The stored closing moment is that 11:59pm
itself, so every page, feed and notice that formats it shows the closing day the commissioner
chose (it once was midnight after, which read as the next day everywhere).
"""

from __future__ import annotations

import enum
import secrets
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time

from commissioning_analytics.outcomes.safeguards import SUPPRESS_BELOW, publish_count
from commissioning_analytics.timelines.working_days import LONDON

CLOSING_TIME = time(23, 59)
MIN_CHOICES = 2
MAX_CHOICES = 10
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


class State(enum.Enum):
    DRAFT = "draft"
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "upcoming": "Opens soon",
            "open": "Open",
            "closed": "Closed",
        }[self.value]


def consultation_state(
    published_at: datetime | None, opens_at: datetime, closes_at: datetime, now: datetime
) -> State:
    """Draft until published; then upcoming, open from ``opens_at`` and closed from
    ``closes_at`` by the server's clock (responses after it are refused)."""
    if published_at is None:
        return State.DRAFT
    if now >= closes_at:
        return State.CLOSED
    if now < opens_at:
        return State.UPCOMING
    return State.OPEN


def opening_moment(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=LONDON)


def closing_moment(day: date) -> datetime:
    """11:59pm on ``day`` in London (GMT or BST as the day falls): responses are refused from
    that moment."""
    return datetime.combine(day, CLOSING_TIME, tzinfo=LONDON)


def closing_day(closes_at: datetime) -> date:
    """The closing date a person entered, back from the stored moment."""
    return closes_at.astimezone(LONDON).date()


def date_errors(opens_on: date, closes_on: date, today: date) -> dict[str, str]:
    """Field errors for a consultation's dates: it must close on or after the day it opens,
    and not in the past."""
    errors: dict[str, str] = {}
    if closes_on < opens_on:
        errors["closes_on"] = "The closing date must be the same as or after the opening date"
    elif closes_on < today:
        errors["closes_on"] = "The closing date must be today or in the future"
    return errors


def publish_problems(question_count: int, closes_at: datetime, now: datetime) -> list[str]:
    """Why a draft consultation cannot be published yet (empty when it can)."""
    problems = []
    if question_count == 0:
        problems.append("Add at least one question")
    if closes_at <= now:
        problems.append("Change the closing date: it has passed")
    return problems


def parse_choices(text: str) -> list[str]:
    """Choices typed one a line: blanks dropped, repeats removed (first kept)."""
    seen: dict[str, None] = {}
    for line in text.splitlines():
        choice = " ".join(line.split())
        if choice and choice.casefold() not in {c.casefold() for c in seen}:
            seen[choice] = None
    return list(seen)


def choices_error(choices: list[str]) -> str | None:
    if not choices:
        return None
    if len(choices) < MIN_CHOICES:
        return f"Give at least {MIN_CHOICES} choices, or none for a free-text answer"
    if len(choices) > MAX_CHOICES:
        return f"Give at most {MAX_CHOICES} choices"
    if any(len(choice) > 200 for choice in choices):
        return "Each choice must be 200 characters or fewer"
    return None


def new_reference(random_source: secrets.SystemRandom | None = None, length: int = 8) -> str:
    """A response reference like ``CR-7KQ4-M2XD``: short to read out, hard to guess."""
    chooser = random_source or secrets.SystemRandom()
    code = "".join(chooser.choice(REFERENCE_ALPHABET) for _ in range(length))
    return f"CR-{code[:4]}-{code[4:]}"


def published_counts(
    counts: Mapping[str, int], labels: Iterable[tuple[str, str]]
) -> list[tuple[str, int | str]]:
    """Counts of responses by respondent type as the public sees them: every type listed (0 when
    none), 1–4 shown as ``"<5"`` (OUT-4's small-number rule). So that the total cannot give a
    suppressed count away, it is exact only when nothing is suppressed; otherwise it is rounded
    down to a multiple of 5 and shown as ``"N or more"``."""
    rows: list[tuple[str, int | str]] = [
        (label, publish_count(counts.get(value, 0))) for value, label in labels
    ]
    total = sum(counts.values())
    suppressed = any(isinstance(shown, str) for _, shown in rows)
    if suppressed and total >= SUPPRESS_BELOW:
        rows.append(("Total", f"{total - total % SUPPRESS_BELOW} or more"))
    else:
        rows.append(("Total", publish_count(total)))
    return rows


def can_publish_notes(starts_at: datetime, now: datetime) -> bool:
    """Meeting notes are published after the event has started (CYC-3)."""
    return now >= starts_at


def can_sign_up(starts_at: datetime, now: datetime) -> bool:
    """Sign-up to an event (and giving a place up) is open until it starts (CYC-3)."""
    return now < starts_at
