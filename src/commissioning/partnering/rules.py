"""Pure rules of partner finding and messaging (PRO-6): no database, unit-tested on their own.

* :func:`clean_message_text` / :func:`clean_subject`: messages are plain text, trimmed, within a
  length limit, and free of control characters (a newline or a tab is fine).
* :func:`directory_search_links`: the directory searches that find partners for a lot, one per
  area of the lot (with its service when it has exactly one, otherwise one per service too).
* :func:`unread_after`: whether a message is new to someone who read the thread at a time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

MAX_MESSAGE_LENGTH = 2000
MAX_SUBJECT_LENGTH = 150
MAX_NOTE_LENGTH = 1000
MAX_DIRECTORY_LINKS = 8

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class TextProblem(ValueError):
    """What is wrong with a piece of text, in words a person can act on."""


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def clean_message_text(text: str, *, limit: int = MAX_MESSAGE_LENGTH, what: str = "message") -> str:
    """The message as stored: line endings normalised and trimmed; raises :class:`TextProblem`
    when it is blank, longer than ``limit`` characters or carries control characters."""
    cleaned = _normalise(text)
    if not cleaned:
        raise TextProblem(f"Enter a {what}")
    if len(cleaned) > limit:
        raise TextProblem(
            f"The {what} must be {limit:,} characters or fewer (it has {len(cleaned):,})"
        )
    if _CONTROL.search(cleaned):
        raise TextProblem(f"The {what} must be plain text without control characters")
    return cleaned


def clean_subject(text: str) -> str:
    """A one-line subject: whitespace runs collapse to one space."""
    collapsed = " ".join(_normalise(text).split())
    return clean_message_text(collapsed, limit=MAX_SUBJECT_LENGTH, what="subject")


def clean_note(text: str) -> str:
    """An interest's optional note: may be blank, otherwise as a message up to 1,000 characters."""
    if not _normalise(text):
        return ""
    return clean_message_text(text, limit=MAX_NOTE_LENGTH, what="note")


@dataclass(frozen=True)
class SearchLink:
    label: str
    querystring: str


def directory_search_links(
    areas: Sequence[tuple[str, str]],
    specialisms: Sequence[tuple[str, str]],
    limit: int = MAX_DIRECTORY_LINKS,
) -> list[SearchLink]:
    """Directory searches (``directory:list`` GET filters ``area`` and ``specialism``, by slug)
    that find would-be partners for a lot in ``areas`` offering ``specialisms`` — both given as
    ``(slug, name)`` pairs. Every area with every specialism, then each area alone (anyone
    working there), at most ``limit`` links; with no areas, one search per specialism."""
    links: list[SearchLink] = []
    for area_slug, area_name in areas:
        for specialism_slug, specialism_name in specialisms:
            links.append(
                SearchLink(
                    f"{specialism_name} in {area_name}",
                    urlencode({"area": area_slug, "specialism": specialism_slug}),
                )
            )
    for area_slug, area_name in areas:
        links.append(SearchLink(f"Any service in {area_name}", urlencode({"area": area_slug})))
    if not areas:
        for specialism_slug, specialism_name in specialisms:
            links.append(
                SearchLink(
                    f"{specialism_name} anywhere", urlencode({"specialism": specialism_slug})
                )
            )
    return links[:limit]


def unread_after(message_at: datetime, read_at: datetime | None) -> bool:
    """A message is unread by someone who never opened the thread or read it before it came."""
    return read_at is None or message_at > read_at


def excerpt(text: str, length: int = 120) -> str:
    """The first line-ish of a message for the inbox, cut at a word with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= length:
        return flat
    cut = flat[: length - 1].rsplit(" ", 1)[0] or flat[: length - 1]
    return cut.rstrip(" ,.;:") + "…"
