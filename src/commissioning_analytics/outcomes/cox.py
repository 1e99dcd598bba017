"""Cox proportional-hazards regression by maximum partial likelihood (OUT-1: time to first
proven reoffence).

The hazard of person ``i`` is ``h₀(t)·exp(xᵢβ)``; ``β`` maximises the partial likelihood,
with **Efron's approximation for tied event times** (the default in R's ``coxph`` and in
lifelines' ``CoxPHFitter``) or Breslow's. With case weights ``wᵢ`` (e.g. matching weights),
at each distinct event time ``t`` with ``d`` events (``D``), risk set ``R`` (time ≥ ``t``),
``S = Σ_R wφ``, ``T = Σ_D wφ`` (``φ = exp(xβ)``) and ``w̄ = Σ_D w / d``, the contribution is

    Σ_D wᵢ xᵢβ − w̄ · Σ_{l=0}^{d−1} log(S − (l/d)·T)          (Breslow: l/d replaced by 0)

— the weighted Efron likelihood of R's ``coxph`` and lifelines. Integer weights then equal
duplicated rows exactly with Breslow; with Efron only when no weighted event is tied, because a
duplicated event row is a tie that Efron treats as such (a property of the method, tested).

Newton–Raphson from ``β = 0`` with step-halving (a step is halved until the log-likelihood does
not fall), on covariates centred at their weighted means (the partial likelihood does not
change; the sums are better conditioned). Everything is vectorised: risk-set sums are reverse
cumulative sums over people sorted by time, and the Efron terms are one row per event.
Standard errors come from the inverse observed information (model-based, as lifelines' and R's
defaults), or, when ``clusters`` are given, from the **Lin–Wei robust sandwich**
``V = I⁻¹ (Σ_c U_c U_cᵀ) I⁻¹`` where ``U_c`` sums the weighted score residuals of cluster ``c``
(Lin & Wei 1989; R's ``coxph(..., cluster=)``, statsmodels' ``PHReg.fit(groups=)``) — the
model-based errors stay in ``model_standard_errors``. The score residual of person ``j`` is
``δⱼ(xⱼ − x̄ⱼ) − φⱼ Σₗ cⱼₗ(mₗ/denomₗ)(xⱼ − meanₗ)`` over the event rows ``l`` where ``j`` is
at risk (``cⱼₗ = 1 − f`` for ``j`` tied at that time under Efron), ``x̄ⱼ`` the average of the
means of ``j``'s event time; the weighted residuals sum to the score. The interval is
``exp(β ± 1.96·SE)`` and p-values are two-sided Wald tests.
Non-convergence and (near-)monotone likelihood (a coefficient that keeps growing, e.g. when
one group has no events) give warnings, never exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from scipy.stats import norm

FloatArray = NDArray[np.float64]

MAX_ITERATIONS = 50
TOLERANCE = 1e-9
MAX_HALVINGS = 30
SEPARATED_LOGLIK = 1e-6
"""A log partial likelihood closer to 0 than this means complete separation."""
EXPLODING_COEFFICIENT = 20.0


class CoxError(ValueError):
    """The model cannot be fitted at all (bad input, no events)."""


@dataclass(frozen=True)
class CoxFit:
    """A fitted Cox model, lifelines-style: read the attributes or ``summary()``."""

    names: tuple[str, ...]
    coefficients: FloatArray
    standard_errors: FloatArray
    log_likelihood: float
    log_likelihood_null: float
    converged: bool
    iterations: int
    n: int
    events: float
    ties: str
    confidence: float = 0.95
    warnings: tuple[str, ...] = ()
    variance: str = "model-based"
    """How ``standard_errors`` were computed: "model-based" or a robust description."""
    model_standard_errors: FloatArray | None = None
    """The model-based errors when ``standard_errors`` are robust (``None`` otherwise)."""
    covariance: FloatArray | None = None
    """The inverse observed information (the model-based covariance), for sandwiches."""

    def with_covariance(self, covariance: FloatArray, variance: str) -> CoxFit:
        """The same fit with ``covariance`` (e.g. robust) used for SEs, intervals and p-values;
        the model-based errors are kept in ``model_standard_errors``."""
        se = np.sqrt(np.clip(np.diag(covariance), 0.0, None))
        return replace(
            self,
            standard_errors=np.asarray(se, dtype=np.float64),
            model_standard_errors=self.standard_errors,
            variance=variance,
        )

    @property
    def z(self) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(self.coefficients / self.standard_errors, dtype=np.float64)

    @property
    def p_values(self) -> FloatArray:
        return np.asarray(2 * norm.sf(np.abs(self.z)), dtype=np.float64)

    @property
    def hazard_ratios(self) -> FloatArray:
        return np.asarray(np.exp(self.coefficients), dtype=np.float64)

    def _z_crit(self) -> float:
        return float(norm.ppf(0.5 + self.confidence / 2))

    @property
    def hr_ci_low(self) -> FloatArray:
        spread = self._z_crit() * self.standard_errors
        return np.asarray(np.exp(self.coefficients - spread), dtype=np.float64)

    @property
    def hr_ci_high(self) -> FloatArray:
        spread = self._z_crit() * self.standard_errors
        return np.asarray(np.exp(self.coefficients + spread), dtype=np.float64)

    @property
    def likelihood_ratio(self) -> float:
        """``2(ℓ(β̂) − ℓ(0))``, chi-square on ``len(names)`` degrees of freedom."""
        return 2.0 * (self.log_likelihood - self.log_likelihood_null)

    def summary(self) -> str:
        level = f"{self.confidence:.0%}"
        lines = [
            f"Cox proportional hazards ({self.ties} ties), n = {self.n}, "
            f"events = {self.events:g}, partial log-likelihood = {self.log_likelihood:.4f}",
            f"converged: {'yes' if self.converged else 'no'} after {self.iterations} iterations; "
            f"likelihood ratio test = {self.likelihood_ratio:.2f} on {len(self.names)} df",
            f"{'covariate':<16}{'coef':>10}{'exp(coef)':>11}{'se':>9}{'z':>8}{'p':>9}"
            f"{'HR ' + level + ' CI':>20}",
        ]
        rows = zip(
            self.names,
            self.coefficients,
            self.hazard_ratios,
            self.standard_errors,
            self.z,
            self.p_values,
            self.hr_ci_low,
            self.hr_ci_high,
            strict=True,
        )
        for name, coef, hr, se, z, p, low, high in rows:
            lines.append(
                f"{name:<16}{coef:>10.4f}{hr:>11.4f}{se:>9.4f}{z:>8.3f}{p:>9.4g}"
                f"{f'{low:.3f} to {high:.3f}':>20}"
            )
        lines.extend(f"warning: {w}" for w in self.warnings)
        return "\n".join(lines)


@dataclass(frozen=True)
class _Prepared:
    """Data sorted by time, with the event-time bookkeeping that does not depend on β. ``k``
    indexes distinct event times; "block" ``k`` is the rows with time in [tₖ, tₖ₊₁)."""

    x: FloatArray  # n × p, centred, sorted by time
    order: NDArray[np.int64]  # sorted row → input row
    w: FloatArray
    event_rows: NDArray[np.int64]  # positions of events (sorted by time)
    group: NDArray[np.int64]  # per event row: its k
    fraction: FloatArray  # per event row: l/d (0 for Breslow)
    multiplier: FloatArray  # per event row: w̄ of its event time
    starts: NDArray[np.int64]  # per k: first event row
    block_starts: NDArray[np.int64]  # per k: first sorted row with time ≥ tₖ
    row_block: NDArray[np.int64]  # per row: its block k (−1 before the first event time)


def _prepare(
    x: FloatArray, durations: FloatArray, events: FloatArray, weights: FloatArray, ties: str
) -> _Prepared:
    order = np.argsort(durations, kind="stable")
    t, e, w = durations[order], events[order], weights[order]
    xs = x[order] - np.average(x, axis=0, weights=weights)
    event_rows = np.flatnonzero(e == 1)
    event_times = t[event_rows]
    times, group, counts = np.unique(event_times, return_inverse=True, return_counts=True)
    first = np.searchsorted(event_times, times, side="left")
    rank = np.arange(event_rows.size) - first[group]
    fraction = rank / counts[group] if ties == "efron" else np.zeros(event_rows.size)
    weight_sum = np.bincount(group, weights=w[event_rows], minlength=times.size)
    return _Prepared(
        x=np.ascontiguousarray(xs),
        order=order.astype(np.int64),
        w=w,
        event_rows=event_rows.astype(np.int64),
        group=group.astype(np.int64),
        fraction=np.asarray(fraction, dtype=np.float64),
        multiplier=np.asarray((weight_sum / counts)[group], dtype=np.float64),
        starts=first.astype(np.int64),
        block_starts=np.searchsorted(t, times, side="left").astype(np.int64),
        row_block=(np.searchsorted(times, t, side="right") - 1).astype(np.int64),
    )


def _reverse_cumsum(values: FloatArray) -> FloatArray:
    return np.asarray(np.cumsum(values[::-1], axis=0)[::-1], dtype=np.float64)


def _risk_sums(
    data: _Prepared, beta: FloatArray
) -> tuple[FloatArray, float, FloatArray, FloatArray, FloatArray]:
    """``η = xβ``, its shift, ``a = w·exp(η − shift)`` and, per event row, the (Efron-reduced)
    weighted risk-set sum ``denom`` and covariate mean ``mean``."""
    x, ev, g = data.x, data.event_rows, data.group
    eta = x @ beta
    shift = float(eta.max())
    a = data.w * np.exp(eta - shift)
    ax = a[:, None] * x
    risk = _reverse_cumsum(np.add.reduceat(a, data.block_starts))
    risk_x = _reverse_cumsum(np.add.reduceat(ax, data.block_starts, axis=0))
    tie = np.add.reduceat(a[ev], data.starts)
    tie_x = np.add.reduceat(ax[ev], data.starts, axis=0)
    f = data.fraction
    denom = risk[g] - f * tie[g]
    mean = (risk_x[g] - f[:, None] * tie_x[g]) / denom[:, None]
    return eta, shift, a, np.asarray(denom, np.float64), np.asarray(mean, np.float64)


def _derivatives(
    data: _Prepared, beta: FloatArray, *, second: bool = True
) -> tuple[float, FloatArray, FloatArray]:
    """Log partial likelihood, its gradient and the observed information at ``beta``.

    Per event row ``l`` (time ``k``): ``denom = Sₖ − f·Tₖ``, ``mean = (Sxₖ − f·Txₖ)/denom``.
    The information ``Σₗ mₗ[(Sxxₖ − f·Txxₖ)/denom − mean·meanᵀ]`` is regrouped so no
    per-row p×p array is built: ``Σₖ cₖ·Sxxₖ = Xᵀ diag(a·Cumsum(c)[block]) X`` because
    ``Sxxₖ`` sums the blocks from ``k`` on, and likewise for the tie sums.
    """
    x, w, ev, g = data.x, data.w, data.event_rows, data.group
    eta, shift, a, denom, mean = _risk_sums(data, beta)
    f, m = data.fraction, data.multiplier
    loglik = float(np.dot(w[ev], eta[ev]) - np.sum(m * (np.log(denom) + shift)))
    gradient = np.asarray(w[ev] @ x[ev] - m @ mean, dtype=np.float64)
    p = x.shape[1]
    information = np.zeros((p, p))
    if second:
        risk_coef = np.cumsum(np.add.reduceat(m / denom, data.starts))
        row_coef = np.where(data.row_block >= 0, risk_coef[data.row_block], 0.0) * a
        tie_coef = np.add.reduceat(m * f / denom, data.starts)[g] * a[ev]
        scaled = np.sqrt(m)[:, None] * mean
        information = (
            (x * row_coef[:, None]).T @ x
            - (x[ev] * tie_coef[:, None]).T @ x[ev]
            - scaled.T @ scaled
        )
    return loglik, gradient, np.asarray(information, dtype=np.float64)


def _score_rows(data: _Prepared, beta: FloatArray) -> FloatArray:
    """Each sorted row's weighted score residual ``wⱼ·rⱼ`` (module docstring); they sum to the
    gradient. Risk-set sums over event times up to a row's block are cumulative sums, the
    Efron share of a tied event row is taken off its own time."""
    x, w, ev, g = data.x, data.w, data.event_rows, data.group
    _, _, a, denom, mean = _risk_sums(data, beta)
    coef = data.multiplier / denom
    at_risk = data.row_block >= 0
    block = np.where(at_risk, data.row_block, 0)
    cum_a = np.cumsum(np.add.reduceat(coef, data.starts))
    cum_b = np.cumsum(np.add.reduceat(coef[:, None] * mean, data.starts, axis=0), axis=0)
    scale = np.where(at_risk, cum_a[block], 0.0)
    centre = np.where(at_risk[:, None], cum_b[block], 0.0)
    tied = coef * data.fraction
    scale[ev] -= np.add.reduceat(tied, data.starts)[g]
    centre[ev] -= np.add.reduceat(tied[:, None] * mean, data.starts, axis=0)[g]
    scores = -a[:, None] * (x * scale[:, None] - centre)
    counts = np.diff(np.append(data.starts, ev.size))
    event_mean = np.add.reduceat(mean, data.starts, axis=0) / counts[:, None]
    scores[ev] += w[ev, None] * (x[ev] - event_mean[g])
    return np.asarray(scores, dtype=np.float64)


def score_residuals(
    covariates: FloatArray,
    durations: FloatArray,
    events: FloatArray,
    weights: FloatArray | None,
    coefficients: FloatArray,
    *,
    ties: str = "efron",
) -> FloatArray:
    """Each input row's weighted score residual at ``coefficients`` (n × p, in input order;
    0 for rows with weight 0): the pieces a cluster-robust variance adds up."""
    x, t, e, w, _ = _validate(covariates, durations, events, weights, None)
    data = _prepare(x, t, e, w, ties)
    sorted_scores = _score_rows(data, np.asarray(coefficients, dtype=np.float64))
    kept = np.empty_like(sorted_scores)
    kept[data.order] = sorted_scores
    n = np.asarray(durations).shape[0]
    full_weights = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    out = np.zeros((n, kept.shape[1]))
    out[full_weights > 0] = kept
    return out


def cluster_meat(cluster_scores: FloatArray) -> FloatArray:
    """``Σ_c U_c U_cᵀ`` with one row of ``cluster_scores`` per cluster."""
    return np.asarray(cluster_scores.T @ cluster_scores, dtype=np.float64)


def sandwich(covariance: FloatArray, meat: FloatArray) -> FloatArray:
    """``I⁻¹ · meat · I⁻¹``: the robust covariance around the model-based one."""
    return np.asarray(covariance @ meat @ covariance, dtype=np.float64)


def cluster_sums(scores: FloatArray, labels: NDArray[np.int64]) -> FloatArray:
    """Score residuals summed within each cluster label (one row per distinct label)."""
    _, index = np.unique(labels, return_inverse=True)
    sums = np.zeros((int(index.max()) + 1 if index.size else 0, scores.shape[1]))
    np.add.at(sums, index.ravel(), scores)
    return sums


def _validate(
    covariates: FloatArray,
    durations: FloatArray,
    events: FloatArray,
    weights: FloatArray | None,
    names: tuple[str, ...] | None,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, tuple[str, ...]]:
    x = np.asarray(covariates, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    t = np.asarray(durations, dtype=np.float64)
    e = np.asarray(events, dtype=np.float64)
    w = np.ones_like(t) if weights is None else np.asarray(weights, dtype=np.float64)
    if x.ndim != 2 or not (t.shape == e.shape == w.shape == (x.shape[0],)):
        raise CoxError("covariates, durations, events and weights need one row per person")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(t)) and np.all(np.isfinite(w))):
        raise CoxError("covariates, durations and weights must be finite")
    if np.any(t < 0) or np.any(w < 0):
        raise CoxError("durations and weights must not be negative")
    if not np.all((e == 0) | (e == 1)):
        raise CoxError("events must be 0 (censored) or 1 (event)")
    keep = w > 0
    x, t, e, w = x[keep], t[keep], e[keep], w[keep]
    if not np.any(e == 1):
        raise CoxError("there are no events: the Cox model cannot be fitted")
    labels = names or tuple(f"x{i}" for i in range(x.shape[1]))
    if len(labels) != x.shape[1]:
        raise CoxError("one name is needed for each covariate")
    return x, t, e, w, labels


def fit_cox(
    covariates: FloatArray,
    durations: FloatArray,
    events: FloatArray,
    weights: FloatArray | None = None,
    *,
    names: tuple[str, ...] | None = None,
    ties: str = "efron",
    confidence: float = 0.95,
    clusters: NDArray[np.int64] | None = None,
) -> CoxFit:
    """Fit ``h(t | x) = h₀(t)·exp(xβ)`` (see the module docstring). Rows with weight 0 are
    dropped; ``ties`` is ``"efron"`` (default) or ``"breslow"``. With ``clusters`` (one label
    per row) the standard errors are the Lin–Wei robust ones clustered on those labels."""
    if ties not in ("efron", "breslow"):
        raise CoxError("ties must be 'efron' or 'breslow'")
    fit_weights = np.ones(np.shape(durations)[0]) if weights is None else weights
    if clusters is not None and np.shape(clusters) != np.shape(durations):
        raise CoxError("clusters need one label per person")
    x, t, e, w, labels = _validate(covariates, durations, events, weights, names)
    data = _prepare(x, t, e, w, ties)
    p = x.shape[1]
    beta = np.zeros(p)
    loglik, gradient, information = _derivatives(data, beta)
    null_loglik = loglik
    converged = False
    iterations = 0
    warnings: list[str] = []
    while iterations < MAX_ITERATIONS:
        iterations += 1
        try:
            step = np.linalg.solve(information, gradient)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(information, gradient, rcond=None)[0]
            warnings.append("the information matrix is singular: covariates may be collinear")
        new_beta, new_loglik = beta + step, _derivatives(data, beta + step, second=False)[0]
        halvings = 0
        while not new_loglik >= loglik - 1e-12 * abs(loglik) and halvings < MAX_HALVINGS:
            step = step / 2
            new_beta = beta + step
            new_loglik = _derivatives(data, new_beta, second=False)[0]
            halvings += 1
        change = abs(new_loglik - loglik)
        beta = new_beta
        loglik, gradient, information = _derivatives(data, beta)
        if float(np.max(np.abs(step))) < TOLERANCE or change <= TOLERANCE * abs(loglik):
            converged = True
            break
    covariance: FloatArray | None
    try:
        covariance = np.asarray(np.linalg.inv(information), dtype=np.float64)
        se = np.sqrt(np.clip(np.diag(covariance), 0.0, None))
    except np.linalg.LinAlgError:
        covariance = None
        se = np.full(p, np.inf)
    if not converged:
        warnings.append(f"the Cox model did not converge in {MAX_ITERATIONS} iterations")
    big = [name for name, b in zip(labels, beta, strict=True) if abs(b) > EXPLODING_COEFFICIENT]
    if loglik > -SEPARATED_LOGLIK and not big:
        # The log partial likelihood is at most 0 and reaches it only in the limit where the
        # covariates order every event before everyone still at risk: no finite maximum.
        warnings.append(
            "the partial likelihood is at its ceiling (the covariates separate the events "
            "completely); the coefficients and hazard ratios are not estimable"
        )
    if big:
        warnings.append(
            "coefficients keep growing (monotone likelihood, e.g. a group with no events) for: "
            + ", ".join(big)
            + "; the hazard ratio is not estimable"
        )
    fit = CoxFit(
        names=labels,
        coefficients=np.asarray(beta, dtype=np.float64),
        standard_errors=np.asarray(se, dtype=np.float64),
        log_likelihood=loglik,
        log_likelihood_null=null_loglik,
        converged=converged,
        iterations=iterations,
        n=int(x.shape[0]),
        events=float(w[e == 1].sum()),
        ties=ties,
        confidence=confidence,
        warnings=tuple(dict.fromkeys(warnings)),
        covariance=covariance,
    )
    if clusters is None or covariance is None:
        return fit
    labels_kept = np.asarray(clusters)[np.asarray(fit_weights) > 0]
    scores = np.empty((x.shape[0], p))
    scores[data.order] = _score_rows(data, beta)
    robust = sandwich(covariance, cluster_meat(cluster_sums(scores, labels_kept)))
    return fit.with_covariance(robust, "robust (Lin–Wei), clustered")
