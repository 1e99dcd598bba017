"""Template tags for showing an exercise's opportunities on its page."""

from __future__ import annotations

from typing import Any

from django import template

from commissioning.procurement import access, services

register = template.Library()


@register.simple_tag(takes_context=True)
def exercise_opportunities(context: template.Context, exercise: Any) -> dict[str, Any]:
    """The exercise's opportunities the viewer may see, and whether they may create one."""
    request = context.get("request")
    user = getattr(request, "user", None)
    visible = services.visible_opportunities(user).filter(exercise=exercise)
    return {
        "opportunities": list(visible.order_by("reference")),
        "can_create": user is not None and access.can_create_opportunity(user, exercise),
    }
