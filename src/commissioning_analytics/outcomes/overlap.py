"""The propensity-score overlap histogram (OUT-1): how the scores of the cohort, the whole pool
and the matched comparison group (weighted by matching weights) are spread. Good overlap —
comparison people wherever there are cohort members — is what makes a matched comparison
credible.

The 20 equal bins are on the **logit scale** ``log(p / (1 − p))``, from the lowest score to the
highest of the cohort and the pool, not on the probability scale from 0 to 1: a pool of people
who mostly had little chance of being in the cohort put 92% of everyone into the first 0–0.05
bar, hiding the overlap the chart is there to show (issue 17). Scores are clipped to
``[1e-6, 1 − 1e-6]`` first, so a score of exactly 0 or 1 (separation) stays on the chart. The
edges are stored on both scales: ``logit_edges`` for drawing, ``edges`` (probabilities) for
reading."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit, logit

from commissioning_analytics.outcomes.matching import MatchResult

BINS = 20
CLIP = 1e-6
"""Scores are kept within ``[CLIP, 1 − CLIP]`` before binning."""


@dataclass(frozen=True)
class Overlap:
    logit_edges: NDArray[np.float64]
    treated: NDArray[np.int64]
    pool: NDArray[np.int64]
    matched_comparison: NDArray[np.float64]

    @property
    def edges(self) -> NDArray[np.float64]:
        """The bin edges as probabilities."""
        return np.asarray(expit(self.logit_edges), dtype=np.float64)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scale": "logit",
            "logit_edges": [round(float(e), 10) for e in self.logit_edges],
            "edges": [round(float(e), 10) for e in self.edges],
            "treated": [int(c) for c in self.treated],
            "pool": [int(c) for c in self.pool],
            "matched_comparison": [round(float(c), 6) for c in self.matched_comparison],
        }


def logit_edges(*logits: NDArray[np.float64], bins: int = BINS) -> NDArray[np.float64]:
    """``bins`` equal bins on the (clipped) logit scale spanning every score given."""
    bound = float(logit(1 - CLIP))
    values = np.clip(np.concatenate(logits), -bound, bound)
    low, high = float(values.min()), float(values.max())
    if high - low < 1e-9:  # everyone has the same score: one unit either side
        low, high = low - 0.5, high + 0.5
    return np.linspace(low, high, bins + 1)


def score_overlap(
    treated_logit: NDArray[np.float64], pool_logit: NDArray[np.float64], matches: MatchResult
) -> Overlap:
    """Counts per logit bin of the propensity score (module docstring); the last bin includes
    its upper edge."""
    bound = float(logit(1 - CLIP))
    treated_score = np.clip(treated_logit, -bound, bound)
    pool_score = np.clip(pool_logit, -bound, bound)
    edges = logit_edges(treated_score, pool_score)
    treated, _ = np.histogram(treated_score, bins=edges)
    pool, _ = np.histogram(pool_score, bins=edges)
    matched, _ = np.histogram(pool_score, bins=edges, weights=matches.comparison_weights())
    return Overlap(
        edges,
        treated.astype(np.int64),
        pool.astype(np.int64),
        np.asarray(matched, dtype=np.float64),
    )
