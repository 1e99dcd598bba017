"""Presentation helpers for exercise pages: one colour per stage of the cycle."""

from __future__ import annotations

from django import template

from commissioning.exercises.lifecycle import Stage

register = template.Library()

STAGE_TAG_CLASSES: dict[Stage, str] = {
    Stage.ASSESS_NEED: "govuk-tag--light-blue",
    Stage.PLAN: "govuk-tag--purple",
    Stage.PROCURE: "govuk-tag--yellow",
    Stage.DELIVER: "govuk-tag--green",
    Stage.REVIEW: "govuk-tag--pink",
}


@register.filter
def stage_tag_class(stage: str) -> str:
    """The govuk-tag modifier for a stage value (empty for an unknown one)."""
    try:
        return STAGE_TAG_CLASSES[Stage(stage)]
    except ValueError:
        return ""


@register.filter
def stage_label(stage: str) -> str:
    try:
        return Stage(stage).label
    except ValueError:
        return stage
