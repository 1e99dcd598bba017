"""Template tags for the published criteria (EVA-1 … EVA-4): the scoring scale with its
descriptors, each criterion's disqualifying minimum and the declared price method."""

from __future__ import annotations

from typing import Any

from django import template

from commissioning.procurement import services_criteria

register = template.Library()


@register.simple_tag
def criteria_publication(opportunity: Any) -> dict[str, Any]:
    """The scale (lowest band first) and the price method sentence for ``opportunity``."""
    return {
        "bands": services_criteria.criterion_scale().bands,
        "price_method": opportunity.get_price_method_display(),
        "has_price": opportunity.criteria.filter(kind="price").exists(),
        "price_sentence": services_criteria.price_method_sentence(opportunity),
    }


@register.filter
def minimum_label(minimum: int | None) -> str:
    """``50 (Acceptable)`` for a minimum score; empty for none."""
    return services_criteria.minimum_label(minimum)
