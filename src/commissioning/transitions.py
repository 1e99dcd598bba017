"""One edge of a record's state machine, as each lifecycle module's transition table lists it
(issue 12; the pattern is ``procurement/lifecycle.py``, written up in docs/architecture.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Transition:
    """A move's audit action (empty where the move is not a person's action), its guard in
    words (checked by the code the lifecycle module names) and its side effects."""

    action: str
    guard: str
    effects: tuple[str, ...] = ()
