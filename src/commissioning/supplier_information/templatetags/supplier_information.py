"""Template helpers for core supplier information (LAW-5): money in pounds and the declarations
in the order of the grounds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.template.defaultfilters import floatformat

from commissioning.supplier_information import grounds

register = template.Library()


@register.filter(name="pounds")
def pounds(value: Decimal | None) -> str:
    """£12,345.67, or −£1,000.00 for a deficit."""
    if value is None:
        return "Not given"
    sign = "−" if value < 0 else ""
    return f"{sign}£{floatformat(abs(value), '2g')}"


@register.simple_tag
def declared_grounds(version: Any) -> list[tuple[grounds.Ground, dict[str, Any]]]:
    """Each ground with what ``version`` declared, mandatory grounds first."""
    declarations = version.declarations or {}
    return [
        (ground, declarations.get(ground.key, {"applies": False, "details": ""}))
        for ground in grounds.ALL
    ]
