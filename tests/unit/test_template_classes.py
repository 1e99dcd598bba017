"""Every GOV.UK class a template uses exists in the compiled stylesheet (or is a known hook without
styles), so a class renamed between govuk-frontend versions cannot silently unstyle a page."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "commissioning"
CSS = SRC / "static" / "build" / "app.css"

# Classes GOV.UK Frontend's markup uses as JavaScript hooks or semantics, with no CSS of their own.
HOOKS_WITHOUT_STYLES = {
    "govuk-checkboxes",
    "govuk-generic-header__container",
    "govuk-js-service-navigation-toggle",
    "govuk-table__body",
    "govuk-table__head",
    "govuk-table__row",
    "govuk-template__footer",
    "govuk-template__header",
}


def classes_defined() -> set[str]:
    css = CSS.read_text()
    # Override classes are escaped in CSS: .govuk-\!-margin-bottom-0
    return {name.replace("\\", "") for name in re.findall(r"\.(govuk-[\w\\!-]+)", css)}


def classes_used() -> dict[str, str]:
    used: dict[str, str] = {}
    for template in SRC.rglob("*.html"):
        for attribute in re.findall(r'class="([^"]*)"', template.read_text()):
            for name in attribute.split():
                if name.startswith("govuk-") and "{" not in name:
                    used.setdefault(name, str(template.relative_to(SRC)))
    return used


def test_every_govuk_class_in_templates_is_styled() -> None:
    assert CSS.exists(), "run `make static` (node frontend/build.mjs) first"
    defined = classes_defined()
    missing = {
        name: where
        for name, where in classes_used().items()
        if name not in defined and name not in HOOKS_WITHOUT_STYLES
    }
    assert missing == {}


def test_check_would_catch_a_renamed_class() -> None:
    assert "govuk-pagination__item--ellipses" not in classes_defined()
    assert "govuk-pagination__item--ellipsis" in classes_defined()
