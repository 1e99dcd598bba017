"""A short summary of a contract's bid-candy flags on its summary page (SUP-2). The contract's
template loads this library, so contracts never imports delivery_checks."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from commissioning.delivery_checks import services

register = template.Library()


@register.inclusion_tag("delivery_checks/_flag_summary.html")
def contract_promise_flags(contract: Any) -> dict[str, Any]:
    """The sub-contractors flagged as receiving less than promised, with a link to the section."""
    flagged = [
        {"name": p.name, "measures": [services.flag_words(f)["measure"] for f in p.flags]}
        for p in services.promises_kept(contract)
        if p.flags
    ]
    return {
        "flagged": flagged,
        "url": reverse("delivery_checks:contract", args=[contract.reference]),
    }
