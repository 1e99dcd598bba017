"""Divergence between independent evaluators (EVA-5), vectorised over evaluators × bids × criteria.

Each evaluator scores alone on the criterion's scale. For every (bid, criterion) scored by at
least two evaluators, the **band spread** is the highest band index minus the lowest (on the
default scale 0/25/50/75/100 the bands are 0…4). A spread of more than one band is flagged for
the moderation meeting (e.g. 25 "Poor" against 75 "Good"; 50 against 75 is not flagged). On a
two-band scale (pass/fail) any disagreement is the whole scale, so it is flagged too.
Price is computed, not judged, so it is never part of divergence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from commissioning_analytics.scoring.criteria import CriteriaSet
from commissioning_analytics.scoring.errors import ScoringError


@dataclass(frozen=True)
class DivergenceFlag:
    """A bid and criterion where evaluators' scores are more than one band apart."""

    bid_id: str
    criterion_id: str
    band_spread: int
    scores: tuple[tuple[str, float], ...]

    def summary(self) -> str:
        given = ", ".join(f"{evaluator}: {score:g}" for evaluator, score in self.scores)
        return (
            f"Bid {self.bid_id}, criterion {self.criterion_id}: scores {self.band_spread} "
            f"bands apart ({given})"
        )


@dataclass(frozen=True)
class DivergenceReport:
    """Every flagged (bid, criterion), in bid then criterion order."""

    flags: tuple[DivergenceFlag, ...]
    compared: int

    @property
    def any(self) -> bool:
        return bool(self.flags)

    def summary(self) -> str:
        head = (
            f"{len(self.flags)} of {self.compared} bid-criterion pairs scored by two or more "
            "evaluators differ by more than one band"
        )
        if not self.flags:
            return head + "."
        return head + ":\n" + "\n".join(f"- {flag.summary()}" for flag in self.flags)


def divergence(
    criteria: CriteriaSet,
    evaluator_ids: Sequence[str],
    bid_ids: Sequence[str],
    scores: npt.ArrayLike,
) -> DivergenceReport:
    """Flag divergence in ``scores`` of shape (evaluators, bids, judged criteria).

    Criteria are in the order of ``criteria.judged``; NaN means the evaluator did not score that
    bid on that criterion (evaluators are assigned per criterion). Off-scale scores are refused,
    naming the evaluator, bid and criterion.
    """
    judged = criteria.judged
    values = np.asarray(scores, dtype=np.float64)
    expected = (len(evaluator_ids), len(bid_ids), len(judged))
    if values.shape != expected:
        raise ScoringError(
            f"Scores have shape {values.shape}; expected (evaluators, bids, criteria) = {expected}."
        )
    widest = max(len(c.scale.points) for c in judged)
    points = np.full((len(judged), widest), np.nan)
    for index, criterion in enumerate(judged):
        points[index, : len(criterion.scale.points)] = criterion.scale.points
    matches = values[..., None] == points  # (E, B, C, K)
    scored = ~np.isnan(values)
    off_scale = scored & ~matches.any(axis=-1)
    if off_scale.any():
        e, b, c = (int(i) for i in np.argwhere(off_scale)[0])
        raise ScoringError(
            f"Evaluator {evaluator_ids[e]!r}, bid {bid_ids[b]!r}, criterion {judged[c].id!r}: "
            f"score {values[e, b, c]:g} is not on the scale {list(judged[c].scale.points)}."
        )
    bands = matches.argmax(axis=-1)
    counts = scored.sum(axis=0)
    highest = np.where(scored, bands, -1).max(axis=0)
    lowest = np.where(scored, bands, widest).min(axis=0)
    spread = np.where(counts >= 2, highest - lowest, 0)
    two_band = np.array([len(c.scale.points) == 2 for c in judged])
    flagged = (spread > 1) | (two_band & (spread >= 1))
    flags = tuple(
        DivergenceFlag(
            bid_ids[b],
            judged[c].id,
            int(spread[b, c]),
            tuple(
                (evaluator_ids[e], float(values[e, b, c]))
                for e in range(len(evaluator_ids))
                if scored[e, b, c]
            ),
        )
        for b, c in np.argwhere(flagged)
    )
    return DivergenceReport(flags, int((counts >= 2).sum()))


def divergence_from_records(
    criteria: CriteriaSet, records: Iterable[tuple[str, str, str, float]]
) -> DivergenceReport:
    """Divergence from (evaluator id, bid id, criterion id, score) records, as stored."""
    rows = list(records)
    evaluators = sorted({r[0] for r in rows})
    bids = sorted({r[1] for r in rows})
    column = {c.id: i for i, c in enumerate(criteria.judged)}
    values = np.full((len(evaluators), len(bids), len(column)), np.nan)
    e_index = {e: i for i, e in enumerate(evaluators)}
    b_index = {b: i for i, b in enumerate(bids)}
    for evaluator, bid, criterion_id, score in rows:
        if criterion_id not in column:
            raise ScoringError(
                f"Evaluator {evaluator!r}, bid {bid!r}: {criterion_id!r} is not a criterion "
                "evaluators score."
            )
        cell = (e_index[evaluator], b_index[bid], column[criterion_id])
        if not np.isnan(values[cell]):
            raise ScoringError(
                f"Evaluator {evaluator!r} scored bid {bid!r} on {criterion_id!r} more than once."
            )
        values[cell] = score
    return divergence(criteria, evaluators, bids, values)
