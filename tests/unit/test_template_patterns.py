"""Patterns every template keeps (issue 11): wide tables scroll in their own labelled region
(item 22, WCAG 2.2 1.4.10 Reflow) and counts are worded one way (item 23), checked over the
template sources so that a new template cannot forget them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "commissioning"
TEMPLATES = sorted(SRC.rglob("*.html"))
TABLE = re.compile(r"<table\b")


def _template_id(path: Path) -> str:
    return str(path.relative_to(SRC))


@pytest.mark.parametrize("path", TEMPLATES, ids=_template_id)
def test_every_table_sits_in_a_table_region_with_a_caption(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if not TABLE.search(line):
            continue
        before = next((lines[i].strip() for i in range(number - 1, -1, -1) if lines[i].strip()), "")
        assert before == "{% table_region %}", (
            f"{_template_id(path)}:{number + 1}: wrap the table in {{% table_region %}} so that "
            "it scrolls in its own region at 320 px instead of widening the page"
        )
        after = next((x.strip() for x in lines[number + 1 :] if x.strip()), "")
        assert after.startswith("<caption"), (
            f"{_template_id(path)}:{number + 1}: the table needs a <caption> (it names its region)"
        )


@pytest.mark.parametrize("path", TEMPLATES, ids=_template_id)
def test_counts_are_worded_by_the_one_counted_filter(path: Path) -> None:
    """Item 23: ``|counted``/``|form_for`` (commissioning.kernel.text), never ``|pluralize``,
    which read a lazy count as one ("You have 7 unread notification.")."""
    source = path.read_text(encoding="utf-8")
    assert "|pluralize" not in source, f"{_template_id(path)}: use |counted or |form_for"
