"""The audit trail's hash chain, without Django models: the canonical content of an event and
its SHA-256 hash, linked to the event before it (issue 13 item 1).

Migrations import these functions, so they stay pure: a change here changes every hash already
stored, and needs a data migration that re-chains the trail.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
"""The ``previous_hash`` of the first event in the chain."""

HASHED_FIELDS = (
    "actor_label",
    "occurred_at",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "changes",
)
"""What an event's hash covers. The ``actor`` link is not covered: deleting an account sets it
to nothing, which is not tampering; ``actor_label`` keeps who it was."""


def _when(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(content: Mapping[str, Any]) -> bytes:
    """The event's content as bytes that do not depend on the database: keys sorted, times in
    UTC to the microsecond, ``changes`` as JSON would read it back."""
    plain = {name: content[name] for name in HASHED_FIELDS}
    plain["occurred_at"] = _when(plain["occurred_at"])
    plain["changes"] = json.loads(json.dumps(plain["changes"]))
    return json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(previous_hash: str, content: Mapping[str, Any]) -> str:
    """SHA-256 of the previous event's hash and this event's canonical content."""
    digest = hashlib.sha256(previous_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical(content))
    return digest.hexdigest()


def content_of(event: Any) -> dict[str, Any]:
    """The hashed fields of an event (a model instance, historical or current)."""
    return {name: getattr(event, name) for name in HASHED_FIELDS}
