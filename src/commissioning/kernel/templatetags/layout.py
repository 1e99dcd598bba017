"""Tags and filters every template may use without ``{% load %}`` (builtins in settings).

``{% table_region %}…{% endtable_region %}`` wraps a table so that a table wider than the screen
scrolls inside its own box instead of widening the page (WCAG 2.2 1.4.10 Reflow at 320 CSS px).
The box is keyboard-focusable and named by the table's caption (role "group", not "region": a
page often repeats a caption per lot, and landmarks must have unique names), so a keyboard user
can scroll it and a screen-reader user hears what it holds. With JavaScript the box keeps its
role, name and tab stop only while the table does not fit (frontend/js/app.mjs). Every table in
the templates sits in one; ``tests/unit/test_template_patterns.py`` keeps it so.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from commissioning.kernel.text import counted, form_for

register = template.Library()

CAPTION = re.compile(r"<caption\b([^>]*)>", re.IGNORECASE)
ID_ATTRIBUTE = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
# Ids unique within a page: a page may render the same include (and caption) several times.
_caption_ids = itertools.count(1)


class TableRegionNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        inner: str = self.nodelist.render(context)
        caption = CAPTION.search(inner)
        if caption is None:
            raise template.TemplateSyntaxError(
                "{% table_region %} needs a table with a <caption>: the caption names the region"
            )
        named = ID_ATTRIBUTE.search(caption.group(1))
        if named:
            caption_id = named.group(1)
        else:
            caption_id = f"table-caption-{next(_caption_ids)}"
            opening = f'<caption id="{caption_id}"{caption.group(1)}>'
            inner = inner[: caption.start()] + opening + inner[caption.end() :]
        return format_html(
            '<div class="app-table-region" role="group" aria-labelledby="{}" tabindex="0" '
            "data-table-region>{}</div>",
            caption_id,
            mark_safe(inner),  # the nodelist's own rendering, escaped already
        )


@register.tag("table_region")
def table_region(parser: Any, token: Any) -> TableRegionNode:
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% table_region %} takes no arguments")
    nodelist = parser.parse(("endtable_region",))
    parser.delete_first_token()
    return TableRegionNode(nodelist)


@register.filter(name="counted")
def counted_filter(value: Any, forms: str) -> str:
    """``{{ n|counted:"notification" }}`` or ``{{ n|counted:"opportunity,opportunities" }}``."""
    singular, _, plural = forms.partition(",")
    return counted(value, singular, plural)


@register.filter(name="form_for")
def form_for_filter(value: Any, forms: str) -> str:
    """A word that agrees with the count: ``{{ n|form_for:"matches,match" }}``."""
    singular, _, plural = forms.partition(",")
    return form_for(value, singular, plural)
