"""The scoring scale of a procurement criterion, and the library guidance that goes with it."""

from __future__ import annotations

from commissioning.procurement.models import Criterion
from commissioning_analytics.scoring.criteria import DEFAULT_QUALITY_SCALE, Scale
from commissioning_analytics.scoring.errors import ScoringError
from commissioning_analytics.scoring.library import LIBRARY, LibraryCriterion, library_criterion


def scale_for(criterion: Criterion) -> Scale:
    """Every published criterion uses the default 0 / 25 / 50 / 75 / 100 scale."""
    return DEFAULT_QUALITY_SCALE


def library_entry(criterion: Criterion) -> LibraryCriterion | None:
    """The criteria-library entry a criterion was picked from (its ``library_id``); for a
    criterion without one (typed in, or from before the library could be picked), the entry
    with the same name, if any."""
    if criterion.library_id:
        try:
            return library_criterion(criterion.library_id)
        except ScoringError:
            pass
    name = criterion.name.strip().casefold()
    return next((entry for entry in LIBRARY if entry.name.casefold() == name), None)


def evaluator_guidance(criterion: Criterion) -> str:
    entry = library_entry(criterion)
    return entry.guidance_for_evaluators if entry else ""
