"""docs/deployment.md lists every environment variable the settings read, with its default and
whether production needs it (issue 13 item 3)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SETTINGS = REPO / "src" / "commissioning" / "settings.py"
DEPLOYMENT = REPO / "docs" / "deployment.md"
READ = re.compile(r"(?:os\.environ\.get|_env_bool|_env_list)\(\s*\"([A-Z0-9_]+)\"")


def documented() -> dict[str, list[str]]:
    """Rows of the environment table: name -> [default, production, what it does]."""
    rows = {}
    for line in DEPLOYMENT.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| `([A-Z0-9_]+)` \|(.*)\|\s*$", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split("|")]
    return rows


def test_every_variable_the_settings_read_is_documented_with_default_and_production() -> None:
    # DATABASE_URL is read by dj_database_url.config().
    read = set(READ.findall(SETTINGS.read_text(encoding="utf-8"))) | {"DATABASE_URL"}
    assert {"SECRET_KEY", "BID_SEALING_KEY", "SITE_URL", "DATABASE_URL"} <= read
    rows = documented()
    assert sorted(read - set(rows)) == []
    for name in read:
        default, production, what = rows[name]
        assert default and production and what, name


def test_the_keys_are_marked_as_needed_in_production() -> None:
    rows = documented()
    for name in ("SECRET_KEY", "BID_SEALING_KEY", "ALLOWED_HOSTS", "SITE_URL", "DATABASE_URL"):
        assert rows[name][1].startswith("**yes**"), name
    assert rows["BID_SEALING_ALLOW_DEV_KEY"][1] == "**never**"
