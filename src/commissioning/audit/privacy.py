"""The audit trail names people by account id, never by email address (issue 13 item 2; LAW-1).

:func:`scrub` replaces any email address in an event's labels or changes. :func:`record` runs it
on every event, so an app that passes an address by mistake stores none; the data migration
``0003`` ran it over the events written before. Pure functions, so that migrations can use them.
"""

from __future__ import annotations

import re
from typing import Any

EMAIL_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
REMOVED = "(email address not recorded)"


def scrub(value: Any) -> Any:
    """``value`` with every email address in its strings (keys included) replaced."""
    if isinstance(value, str):
        return EMAIL_ADDRESS.sub(REMOVED, value)
    if isinstance(value, dict):
        return {scrub(key): scrub(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(item) for item in value]
    return value
