"""The README describes what is there now (issue 11 item 28): every app under
``src/commissioning`` has its row in "Where things are", and every architecture decision in
``docs/adr`` is listed, so a newcomer who reads the README first finds every room."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
APPS = REPO / "src" / "commissioning"
ADRS = REPO / "docs" / "adr"


def _section(title: str) -> str:
    """The text of the README's ``## title`` section, up to the next ``## `` heading."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def django_apps() -> list[str]:
    """Every package directly under src/commissioning (each is an app, or the API's)."""
    return sorted(
        path.name
        for path in APPS.iterdir()
        if path.is_dir() and (path / "__init__.py").exists() and not path.name.startswith("_")
    )


def test_where_things_are_names_every_app() -> None:
    section = _section("Where things are")
    missing = [app for app in django_apps() if f"`src/commissioning/{app}/`" not in section]
    assert not missing, (
        "README.md, section 'Where things are': add a row for each app not named there: "
        + ", ".join(f"`src/commissioning/{app}/`" for app in missing)
    )


def test_every_architecture_decision_is_listed() -> None:
    section = _section("Where things are")
    missing = [
        adr.name for adr in sorted(ADRS.glob("*.md")) if f"(docs/adr/{adr.name})" not in section
    ]
    assert not missing, (
        "README.md, section 'Where things are', list of architecture decisions: add a link for "
        "each ADR not listed there: " + ", ".join(f"docs/adr/{name}" for name in missing)
    )


def test_the_lists_are_not_vacuous() -> None:
    assert len(django_apps()) >= 17 and "exercises" in django_apps()
    assert len(list(ADRS.glob("*.md"))) >= 8


def test_the_api_section_points_to_the_conventions() -> None:
    """A newcomer learns from the README how lists page and how to retry a POST safely, and
    where the full conventions are (issue 11 items 24a, 25)."""
    section = _section("API")
    assert "(docs/api.md)" in section
    assert "?page=&page_size=" in section
    assert "{count, page, page_size, results}" in section
    assert "Idempotency-Key" in section
