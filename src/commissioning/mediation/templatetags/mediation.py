"""The link into mediation from a contract's page (SUP-3), shown only to a sub-contractor's
members who may ask. The contract's template loads this library, so contracts never imports
mediation."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from commissioning.mediation import access

register = template.Library()


@register.inclusion_tag("mediation/_links.html", takes_context=True)
def contract_mediation_links(context: Any, contract: Any) -> dict[str, Any]:
    user = context["request"].user
    links = []
    if access.can_ask(user, contract):
        links.append(
            (
                "Ask for mediation with the prime",
                reverse("mediation:ask", args=[contract.reference]),
            )
        )
    return {"links": links}
