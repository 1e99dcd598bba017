"""The reviews' part of an exercise's pages (CYC-4): the exercise and engagement pages sit below
reviews in the layers, so their templates ask for it through this tag."""

from __future__ import annotations

from typing import Any

from django import template

from commissioning.exercises.models import CommissioningExercise
from commissioning.reviews.queries import exercise_section

register = template.Library()


@register.simple_tag(takes_context=True)
def exercise_reviews(context: dict[str, Any], exercise: CommissioningExercise) -> dict[str, Any]:
    return exercise_section(context["request"].user, exercise)
