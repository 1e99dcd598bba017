"""``{% table_region %}`` (issue 11 item 22): the scroll box round a table is a region named by
the table's caption and a tab stop, so a table wider than 320 px scrolls inside it."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError


def _render(source: str) -> str:
    return Template(source).render(Context({"title": "Payments <by> party"}))


def test_region_is_named_by_the_caption_it_gives_an_id() -> None:
    html = _render(
        "{% table_region %}<table><caption class='c'>{{ title }}</caption></table>"
        "{% endtable_region %}"
    )
    match = re.search(r'<caption id="(table-caption-\d+)" class=\'c\'>', html)
    assert match, html
    assert html.startswith(
        f'<div class="app-table-region" role="group" aria-labelledby="{match.group(1)}" '
        'tabindex="0" data-table-region>'
    )
    assert "Payments &lt;by&gt; party" in html


def test_a_caption_keeps_its_own_id_and_two_regions_never_share_one() -> None:
    html = _render(
        "{% table_region %}<table><caption id='totals'>A</caption></table>{% endtable_region %}"
    )
    assert 'aria-labelledby="totals"' in html
    twice = _render(
        "{% for i in '12' %}{% table_region %}<table><caption>B</caption></table>"
        "{% endtable_region %}{% endfor %}"
    )
    ids = re.findall(r'aria-labelledby="([^"]+)"', twice)
    assert len(ids) == 2 and ids[0] != ids[1]


def test_a_table_without_a_caption_is_refused() -> None:
    with pytest.raises(TemplateSyntaxError, match="needs a table with a <caption>"):
        _render("{% table_region %}<table></table>{% endtable_region %}")
