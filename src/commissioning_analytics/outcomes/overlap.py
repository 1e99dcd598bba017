"""The propensity-score overlap histogram (OUT-1): how the scores of the cohort, the whole pool
and the matched comparison group (weighted by matching weights) are spread over 20 equal bins
of the probability scale from 0 to 1. Good overlap — comparison people wherever there are
cohort members — is what makes a matched comparison credible."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit

from commissioning_analytics.outcomes.matching import MatchResult

BINS = 20


@dataclass(frozen=True)
class Overlap:
    edges: NDArray[np.float64]
    treated: NDArray[np.int64]
    pool: NDArray[np.int64]
    matched_comparison: NDArray[np.float64]

    def to_dict(self) -> dict[str, Any]:
        return {
            "edges": [round(float(e), 10) for e in self.edges],
            "treated": [int(c) for c in self.treated],
            "pool": [int(c) for c in self.pool],
            "matched_comparison": [round(float(c), 6) for c in self.matched_comparison],
        }


def score_overlap(
    treated_logit: NDArray[np.float64], pool_logit: NDArray[np.float64], matches: MatchResult
) -> Overlap:
    """Counts per bin of the propensity score (``expit`` of the logit); the last bin includes
    1 and the first includes 0."""
    edges = np.linspace(0.0, 1.0, BINS + 1)
    treated, _ = np.histogram(expit(treated_logit), bins=edges)
    pool_score = expit(pool_logit)
    pool, _ = np.histogram(pool_score, bins=edges)
    matched, _ = np.histogram(pool_score, bins=edges, weights=matches.comparison_weights())
    return Overlap(
        edges,
        treated.astype(np.int64),
        pool.astype(np.int64),
        np.asarray(matched, dtype=np.float64),
    )
