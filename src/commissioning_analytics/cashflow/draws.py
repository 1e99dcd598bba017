"""Random draws for the stress test (PBR-5): referral counts and outcome rates per member.

Draws depend only on a member's volume and outcome parameters and its own random stream,
never on payment terms, so every what-if variant of the mechanism sees the same draws
(common random numbers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from commissioning_analytics.cashflow.stress_inputs import Member

_BLOCK_ROWS = 512
_LARGE_MEAN = 30.0
"""Above this monthly mean, numpy's Poisson sampler (constant cost per draw) is faster than
inverting the CDF (cost growing with the mean)."""
_TAIL = 0.02
"""Where every path's CDF is below this (or every path's is above one less this), only the
uniforms it can still count for (a few in a hundred at most) are compared."""


@dataclass(frozen=True)
class MemberDraws:
    """One member's simulated volumes: ``referrals`` (paths × months) and ``outcome_rate``.

    Paths are sorted by the member's drawn referral rate; paths are exchangeable and members
    are simulated independently, so the order carries no meaning.
    """

    referrals: npt.NDArray[np.float64]
    outcome_rate: npt.NDArray[np.float64]


def draw_member(member: Member, paths: int, months: int, rng: np.random.Generator) -> MemberDraws:
    """Draw a member's referrals (gamma–Poisson mixture) and outcome rates (beta).

    ``referrals`` is laid out months along the rows in memory (it is the transpose of a
    months × paths array), so the cash computation and the inverse-CDF comparisons run over
    contiguous paths; the numbers drawn and their order in the stream are the same as ever.
    """
    rate = _referral_rates(member, paths, rng)
    outcome_rate = _outcome_rates(member, paths, rng)
    order = np.argsort(rate, kind="stable")
    rate, outcome_rate = rate[order], outcome_rate[order]
    uniforms = rng.random((paths, months), dtype=np.float32)
    counts = np.empty((months, paths), dtype=np.float64)
    for start in range(0, paths, _BLOCK_ROWS):
        block = slice(start, start + _BLOCK_ROWS)
        by_month = np.ascontiguousarray(uniforms[block].T)
        counts[:, block] = _poisson_block(rate[block], by_month, rng)
    return MemberDraws(referrals=counts.T, outcome_rate=outcome_rate)


def _referral_rates(
    member: Member, paths: int, rng: np.random.Generator
) -> npt.NDArray[np.float64]:
    """Each path's monthly referral rate: gamma(k, mean/k), or the mean itself if k is inf."""
    mean, shape = member.referrals_mean, member.referrals_dispersion
    if mean == 0 or math.isinf(shape):
        return np.full(paths, mean, dtype=np.float64)
    return rng.gamma(shape, mean / shape, size=paths)


def _outcome_rates(member: Member, paths: int, rng: np.random.Generator) -> npt.NDArray[np.float64]:
    """Each path's outcome rate: beta with the given mean and concentration alpha + beta."""
    mean, concentration = member.outcome_rate_mean, member.outcome_rate_concentration
    if mean in (0.0, 1.0) or math.isinf(concentration):
        return np.full(paths, mean, dtype=np.float64)
    return rng.beta(mean * concentration, (1 - mean) * concentration, size=paths)


def _poisson_block(
    rate: npt.NDArray[np.float64], uniforms: npt.NDArray[np.float32], rng: np.random.Generator
) -> npt.NDArray[np.integer[Any]]:
    """Poisson counts, one rate per path (column), by inverting the CDF: count = #{j : F(j) < u}.

    ``uniforms`` is months × paths. Paths are sorted by rate, so a block needs the CDF only up
    to its largest rate's tail: the table stops as soon as every path's CDF has passed the
    block's largest uniform. The uniforms and the CDF are float32 (probabilities exact to about
    1e-7). Each j where some path's CDF is between ``_TAIL`` and ``1 - _TAIL`` is compared
    with every uniform; the few uniforms beyond those (under ``_TAIL`` of them on each side)
    are compared with the tails of their own path's table only.
    """
    top = float(rate.max(initial=0.0))
    if top > _LARGE_MEAN:
        # Drawn paths × months, as the stream has always been consumed.
        return rng.poisson(rate[:, None], size=uniforms.shape[::-1]).T
    limit = int(top + 12 * math.sqrt(top) + 30)
    highest = float(uniforms.max(initial=0.0))
    table = _cdf_table(rate, limit, highest)
    end = len(table)
    # Each path's CDF never decreases with j, so [first, middle_end) holds every j at which a
    # path's CDF is between the tails.
    first = int(np.argmax(table.max(axis=1) >= _TAIL)) if end else 0
    tops = table.min(axis=1) >= 1 - _TAIL
    middle_end = int(np.argmax(tops)) if tops.any() else end
    first = min(first, middle_end)
    # A count never exceeds ``limit``: one byte holds it below the inverse-CDF range's top.
    counts = np.full(uniforms.shape, first, dtype=np.int8 if limit <= 127 else np.int16)
    above = np.empty(uniforms.shape, dtype=np.bool_)
    step = above.view(np.int8)
    for j in range(first, middle_end):
        np.greater(uniforms, table[j], out=above)
        np.add(counts, step, out=counts, casting="unsafe")
    flat_counts = counts.reshape(-1)
    flat_uniforms = uniforms.reshape(-1)
    width = uniforms.shape[1]
    if first:
        # Counted for every j below ``first`` unless the CDF there is at least u.
        low = np.flatnonzero(uniforms <= table[first - 1])
        u = flat_uniforms[low]
        misses = (u <= table[:first, low % width]).sum(axis=0)
        flat_counts[low] -= misses.astype(counts.dtype)
    if middle_end < end:
        # Not counted for any j from ``middle_end`` on unless the CDF there is below u.
        high = np.flatnonzero(uniforms > table[middle_end])
        u = flat_uniforms[high]
        hits = (u > table[middle_end:, high % width]).sum(axis=0)
        flat_counts[high] += hits.astype(counts.dtype)
    return counts


def _cdf_table(
    rate: npt.NDArray[np.float64], limit: int, highest: float
) -> npt.NDArray[np.float32]:
    """The Poisson CDF at j = 0, 1, … (rows) for each rate (columns), in float32, up to the
    first j at which every rate's CDF is at least ``highest`` (then no uniform counts it), or
    ``limit``. Computed as ever in float64 (pmf times rate over j), so the counts are too."""
    rows = []
    pmf = np.exp(-rate)
    cdf = pmf.copy()
    for j in range(limit):
        row = cdf.astype(np.float32)
        if float(row.min(initial=1.0)) >= highest:
            break
        rows.append(row)
        np.multiply(pmf, rate, out=pmf)
        pmf /= j + 1
        cdf += pmf
    return np.array(rows, dtype=np.float32).reshape(len(rows), len(rate))
