"""The scoring scale of a procurement criterion, and the library guidance that goes with it."""

from __future__ import annotations

from commissioning.procurement.models import Criterion
from commissioning_analytics.scoring.criteria import DEFAULT_QUALITY_SCALE, Scale
from commissioning_analytics.scoring.library import LIBRARY, LibraryCriterion


def scale_for(criterion: Criterion) -> Scale:
    """Every published criterion uses the default 0 / 25 / 50 / 75 / 100 scale."""
    return DEFAULT_QUALITY_SCALE


def library_entry(criterion: Criterion) -> LibraryCriterion | None:
    """The criteria-library entry a criterion was taken from (matched by name), if any."""
    name = criterion.name.strip().casefold()
    return next((entry for entry in LIBRARY if entry.name.casefold() == name), None)


def evaluator_guidance(criterion: Criterion) -> str:
    entry = library_entry(criterion)
    return entry.guidance_for_evaluators if entry else ""
