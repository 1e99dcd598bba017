"""No lost updates on a contract's documents (issue 13 item 4, PBR-1): the documents page, the
mechanism builder and ``PUT /api/contracts/<ref>/mechanism`` carry the version they started from
(:mod:`commissioning.audit.versions`); a save from an older version is refused.

The audit record of a documents save keeps both whole documents, so the refusal names the parts
that changed (and small values, old and new) instead of repeating pages of JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from commissioning.audit.models import AuditEvent
from commissioning.audit.services import describe_changes, describe_value
from commissioning.audit.versions import StaleEdit, lock_and_check
from commissioning.contracts.models import Contract

DOCUMENT_LABELS = {
    "mechanism": "payment mechanism",
    "observed": "observed volumes and outcomes",
    "assumptions": "stress-test assumptions",
}
_SCALARS = (str, int, float, bool, type(None))
#: Values longer than this (a description) are named as changed, not quoted.
SHORT_VALUE = 80


def _short(*values: str) -> bool:
    return all(len(value) <= SHORT_VALUE for value in values)


def document_change(label: str, before: Any, after: Any) -> str:
    """``"payment mechanism: name: A → B, service fee changed"``: the top-level parts of a
    document that differ, with the old and new value where it is a single short value."""
    if before is None:
        return f"{label} added"
    if after is None:
        return f"{label} removed"
    if not isinstance(before, Mapping) or not isinstance(after, Mapping):
        return f"{label} replaced"
    parts = []
    for key in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        name = str(key).replace("_", " ")
        shown = (describe_value(old), describe_value(new))
        if isinstance(old, _SCALARS) and isinstance(new, _SCALARS) and _short(*shown):
            parts.append(f"{name}: {shown[0]} → {shown[1]}")
        else:
            parts.append(f"{name} changed")
    return f"{label}: {', '.join(parts)}" if parts else f"{label} saved unchanged"


class StaleDocuments(StaleEdit):
    """A contract changed after the documents' edit started; nothing was saved."""

    def describe(self, event: AuditEvent) -> str:
        lines = []
        for name, change in (event.changes or {}).items():
            if name in DOCUMENT_LABELS and isinstance(change, Mapping) and "to" in change:
                label = DOCUMENT_LABELS[name]
                lines.append(document_change(label, change.get("from"), change["to"]))
            else:
                lines.extend(describe_changes({name: change}))
        return "; ".join(lines)


def lock_and_check_documents(contract: Contract, version: str | None) -> None:
    """Lock the contract's row and refuse a save from before its last audited change (raises
    :class:`StaleDocuments`); call first in the saving transaction."""
    try:
        lock_and_check(contract, version)
    except StaleEdit as stale:
        raise StaleDocuments(stale.events, stale.version) from None
