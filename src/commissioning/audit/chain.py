"""Appending to and verifying the audit trail's hash chain (issue 13 item 1; LAW-1).

Every new :class:`~commissioning.audit.models.AuditEvent` stores ``previous_hash`` (the hash of
the event before it, by id) and ``entry_hash`` (SHA-256 of that and its own content, see
:mod:`commissioning.audit.hashing`). Appends are serialised so that two requests recording at
once cannot both link to the same predecessor: a transaction-scoped advisory lock on PostgreSQL,
held until the recording transaction commits; SQLite runs every transaction ``IMMEDIATE``
(settings), so a writer already excludes every other.

:func:`verify` walks the chain in id order and names the first event whose content no longer
matches its hash (altered, or inserted with a made-up hash) or whose link does not match the
event before it (an event removed, or one inserted or rewritten before it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection

from commissioning.audit.hashing import GENESIS, content_of, event_hash

# Any fixed 64-bit number: the key of the PostgreSQL advisory lock that serialises appends.
_APPEND_LOCK = 0x61756469745F6368  # "audit_ch"


def lock_chain() -> None:
    """Hold the chain's append lock until the current transaction ends (PostgreSQL); SQLite's
    IMMEDIATE transactions already serialise writers. Call inside ``transaction.atomic``."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_APPEND_LOCK])


def chain_head() -> str:
    """The hash of the last event in the chain (the genesis value when there is none)."""
    from commissioning.audit.models import AuditEvent

    last = AuditEvent.objects.order_by("-id").values_list("entry_hash", flat=True).first()
    return last or GENESIS


def link(event: Any) -> None:
    """Give a new, unsaved event its place in the chain: lock, read the head, hash. The caller
    saves it in the same transaction (``AuditEvent.save`` does both)."""
    lock_chain()
    event.previous_hash = chain_head()
    event.entry_hash = event_hash(event.previous_hash, content_of(event))


@dataclass(frozen=True)
class Verdict:
    """What :func:`verify` found: ``problem`` is empty when the chain is intact."""

    count: int
    head: str
    problem: str = ""
    event_id: int | None = None

    @property
    def intact(self) -> bool:
        return not self.problem


def _events() -> Iterator[Any]:
    from commissioning.audit.models import AuditEvent

    return AuditEvent.objects.order_by("id").iterator(chunk_size=2000)


def verify(expect_head: str = "") -> Verdict:
    """Walk the whole chain; stop at the first break. ``expect_head`` (a head hash exported
    earlier and kept elsewhere) must still be in the chain: that also catches a trail rewritten
    from some event to the end, or cut short, which the chain alone cannot show. Events
    appended since the head was exported are allowed."""
    expected = expect_head.strip().lower()
    previous_hash, previous_id, count = GENESIS, None, 0
    passed_expected = expected in ("", GENESIS)
    # One query (one snapshot): events appended meanwhile are not read; no write lock taken.
    for event in _events():
        after = f"event {previous_id}" if previous_id is not None else "the start of the trail"
        if event.previous_hash != previous_hash:
            return Verdict(
                count,
                previous_hash,
                f"event {event.id} ({event}) does not follow {after}: an event between them "
                f"was removed, or event {event.id} or the one before it was inserted or "
                "rewritten",
                event.id,
            )
        if event_hash(event.previous_hash, content_of(event)) != event.entry_hash:
            return Verdict(
                count,
                previous_hash,
                f"event {event.id} ({event}) was altered or inserted: its content does not "
                "match its hash",
                event.id,
            )
        previous_hash, previous_id, count = event.entry_hash, event.id, count + 1
        passed_expected = passed_expected or previous_hash == expected
    if not passed_expected:
        return Verdict(
            count,
            previous_hash,
            f"the trail (ending at {previous_hash}, event {previous_id}) no longer passes "
            f"through the expected head {expected}: events up to it were removed, or the trail "
            "was rewritten",
        )
    return Verdict(count, previous_hash)


def report(expect_head: str = "") -> tuple[int, list[str]]:
    """Exit status and lines for ``commissioning audit verify`` and ``manage.py audit_verify``."""
    verdict = verify(expect_head)
    if not verdict.intact:
        return 1, [f"audit trail broken: {verdict.problem}"]
    return 0, [
        f"audit trail intact: {verdict.count} events, head {verdict.head}",
    ]
