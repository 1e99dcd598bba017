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
    to its largest rate's tail; the loop stops as soon as every path's CDF has passed the
    block's largest uniform. The uniforms and the CDF are float32 (probabilities exact to about
    1e-7), and the comparisons are written into one reused mask added to one-byte counts, which
    keeps the memory traffic of the comparisons that dominate the draws small.
    """
    top = float(rate.max(initial=0.0))
    if top > _LARGE_MEAN:
        # Drawn paths × months, as the stream has always been consumed.
        return rng.poisson(rate[:, None], size=uniforms.shape[::-1]).T
    limit = int(top + 12 * math.sqrt(top) + 30)
    pmf = np.exp(-rate)
    cdf = pmf.copy()
    lowest = float(uniforms.min(initial=1.0))
    highest = float(uniforms.max(initial=0.0))
    start = 0
    # Every count is at least the number of j whose CDF is below the smallest uniform in
    # every row: skip those comparisons.
    while start < limit and float(cdf.astype(np.float32).max()) < lowest:
        start += 1
        pmf = pmf * rate / start
        cdf = cdf + pmf
    # A count never exceeds ``limit``: one byte holds it below the inverse-CDF range's top.
    counts = np.full(uniforms.shape, start, dtype=np.int8 if limit <= 127 else np.int16)
    above = np.empty(uniforms.shape, dtype=np.bool_)
    step = above.view(np.int8)
    table = np.empty(rate.shape, dtype=np.float32)
    for j in range(start, limit):
        table[...] = cdf
        if float(table.min()) >= highest:
            break
        np.greater(uniforms, table, out=above)
        np.add(counts, step, out=counts, casting="unsafe")
        np.multiply(pmf, rate, out=pmf)
        pmf /= j + 1
        cdf += pmf
    return counts
