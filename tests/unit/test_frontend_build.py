"""The compiled front end (``node frontend/build.mjs``, run by ``make static`` before the tests):
GOV.UK Frontend without GOV.UK branding - system fonts, no GDS Transport, no crown or crest."""

from __future__ import annotations

import json
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "src" / "commissioning" / "static" / "build"
TEMPLATES = REPO / "src" / "commissioning" / "templates"
FONT_STACK = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif'


@pytest.fixture(scope="module")
def css() -> str:
    path = BUILD / "app.css"
    assert path.exists(), "static/build/app.css is missing: run `make static`"
    return path.read_text(encoding="utf-8")


def test_css_uses_the_system_font_stack_and_no_gds_transport(css: str) -> None:
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert ".woff" not in css
    assert f"font-family:{FONT_STACK}" in css


def test_css_has_no_crown_or_crest_images(css: str) -> None:
    assert "govuk-crest" not in css
    assert "govuk-crown" not in css
    # Every image the stylesheet asks for lives under our own asset path.
    for url in re.findall(r"url\(([^)]*)\)", css):
        assert url.strip("\"'").startswith("/static/build/assets/"), url


def test_css_contains_govuk_components_and_app_styles(css: str) -> None:
    for selector in (
        ".govuk-header",
        ".govuk-generic-header",
        ".govuk-service-navigation",
        ".govuk-footer",
        ".govuk-grid-column-two-thirds",
        ".govuk-error-summary",
        ".app-header__service-name",
        ".app-synthetic-banner",
        ".app-filter-panel",
        ".app-tag-list",
        ".app-cycle",
    ):
        assert selector in css, selector
    assert "sourceMappingURL" not in css


def test_javascript_initialises_govuk_frontend() -> None:
    app_js = (BUILD / "app.js").read_text(encoding="utf-8")
    assert 'import { initAll } from "./govuk-frontend.min.js";' in app_js
    assert "initAll();" in app_js
    module = (BUILD / "govuk-frontend.min.js").read_text(encoding="utf-8")
    assert "initAll" in module and "export{" in module


def test_the_accessible_autocomplete_is_built_in(css: str) -> None:
    """Issue 11 item 21: GOV.UK's accessible autocomplete (npm, package.json) ships with the
    build, its styles in app.css and its script loaded by choosers.js where a chooser is."""
    package = json.loads((REPO / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"]["accessible-autocomplete"].startswith("3.")
    assert ".autocomplete__wrapper" in css and ".app-choose-several__item" in css
    assert 'import { initChoosers } from "./choosers.js";' in (BUILD / "app.js").read_text()
    choosers = (BUILD / "choosers.js").read_text(encoding="utf-8")
    assert 'import("./accessible-autocomplete.min.js")' in choosers
    assert "accessibleAutocomplete" in (BUILD / "accessible-autocomplete.min.js").read_text()


def test_icons_are_our_own_and_valid() -> None:
    images = BUILD / "assets" / "images"
    assert not list(images.glob("govuk-*")), "GOV.UK's crown icons must not be shipped"
    assert not (BUILD / "assets" / "fonts").exists()
    ET.fromstring((images / "favicon.svg").read_text(encoding="utf-8"))
    ico = (images / "favicon.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind, count) == (0, 1, 3)
    for index in range(count):
        size, offset = struct.unpack_from("<II", ico, 6 + 16 * index + 8)
        assert ico[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + size <= len(ico)
    manifest = json.loads((BUILD / "assets" / "manifest.json").read_text(encoding="utf-8"))
    for icon in manifest["icons"]:
        assert (BUILD / "assets" / icon["src"]).exists(), icon["src"]
    png = (images / "icon-180.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (180, 180)


def test_templates_carry_no_govuk_branding() -> None:
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "govuk-header__logotype" not in text, path
        assert "govuk-footer__crown" not in text, path
        assert "Crown copyright" not in text, path
        assert "govuk-crest" not in text and "govuk-icon" not in text, path
