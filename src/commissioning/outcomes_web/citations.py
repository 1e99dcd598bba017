"""Which records rest on a published outcome study (PBR-2, OUT-4).

A contract's outcome payment may cite a published study as its observed outcome. Contracts sit
above outcome studies in the layers (docs/architecture.md), so this app cannot read them: the
contracts app registers a source here when it starts
(:meth:`commissioning.contracts.apps.ContractsConfig.ready`), the way referrals register their
steps with ``contracts.recorded``. The study page lists what cites it, and a study that
something cites is not unpublished or deleted (:func:`withdrawal_refusal`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from commissioning.outcomes_web.models import OutcomeStudy


@dataclass(frozen=True)
class Citing:
    """A record whose figures rest on a study: how it is named and where it is."""

    label: str
    url: str


CitingSource = Callable[[OutcomeStudy], list[Citing]]

_sources: list[CitingSource] = []


def register(source: CitingSource) -> None:
    if source not in _sources:
        _sources.append(source)


def citing(study: OutcomeStudy) -> list[Citing]:
    """Every registered source's records that cite ``study``."""
    return [found for source in _sources for found in source(study)]


def withdrawal_refusal(study: OutcomeStudy, action: str) -> str:
    """Why ``study`` may not be unpublished or deleted (``action``: "unpublish" or "delete"),
    or "" when nothing rests on it: payments already worked out from a study stay explained
    only while the study stays published."""
    found = citing(study)
    if not found:
        return ""
    names = ", ".join(item.label for item in found)
    return (
        f"You cannot {action} this study while payments rest on it ({names}): "
        "the commissioner must first stop citing it"
    )
