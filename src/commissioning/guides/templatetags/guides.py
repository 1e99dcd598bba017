"""``{% guide_link "what-tupe-means" %}``: a link to a guide from the page where its question
arises (issue 18). Other apps' templates load this library; their code never imports guides."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from commissioning.guides.content import BY_SLUG

register = template.Library()


@register.inclusion_tag("guides/_link.html")
def guide_link(slug: str) -> dict[str, Any]:
    guide = BY_SLUG[slug]  # a wrong slug fails the page's tests, not a visitor quietly
    return {"guide": guide, "url": reverse("guides:detail", args=[guide.slug])}
