"""The "approved member of" query is written once (issue 12, duplicates): the join through
memberships lives in :mod:`commissioning.permissions` (``member_organisations``,
``approved_members``) and in accounts, which owns memberships; every other app asks those
building blocks instead of writing the join again with its own ordering."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "commissioning"
OWNERS = ("permissions.py", "accounts/", "demo/")
JOIN = re.compile(r"\b(?:organisation__)?memberships__(?:status|user)\b")


def membership_joins() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if "/migrations/" in relative or relative.startswith(OWNERS):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if JOIN.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_only_the_building_blocks_join_through_memberships() -> None:
    assert membership_joins() == []
