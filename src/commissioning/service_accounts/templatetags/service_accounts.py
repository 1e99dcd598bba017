"""The link to an organisation's API tokens page, for its administrators only (REF-1, REF-2);
loaded by the directory's profile template, so the directory never imports this app."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from commissioning.service_accounts import access

register = template.Library()


@register.inclusion_tag("service_accounts/_link.html", takes_context=True)
def api_tokens_link(context: Any, organisation: Any) -> dict[str, Any]:
    user = context["request"].user
    url = None
    if access.can_manage_tokens(user, organisation):
        url = reverse("service_accounts:list", args=[organisation.slug])
    return {"url": url, "organisation": organisation}
