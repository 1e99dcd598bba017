"""Propensity score by logistic regression, unpenalised maximum likelihood (OUT-1).

Newton–Raphson (equivalently iteratively reweighted least squares) with step-halving: each step
solves ``(XᵀWX) δ = Xᵀ(y − p)`` and is halved until the log-likelihood does not fall. ``XᵀWX`` is
accumulated as BLAS products of ``X·√w`` with itself in cache-sized blocks, so a million rows by
ten covariates fits in about half a second. An intercept is always added.

Warnings (never exceptions) are raised for non-convergence and for (quasi-)complete separation:
fitted probabilities within ten machine epsilons (about 2.2e-15) of 0 or 1 (R's glm threshold),
or coefficients that keep growing (|β| > 30 on the logit scale), which is how separation shows
in unpenalised maximum likelihood.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit, log_expit

FloatArray = NDArray[np.float64]

MAX_ITERATIONS = 50
TOLERANCE = 1e-8
SEPARATION_PROBABILITY = 10 * np.finfo(np.float64).eps  # as R's glm.fit
EXPLODING_COEFFICIENT = 30.0
MAX_HALVINGS = 30
CHUNK_ROWS = 32_768


class PropensityError(ValueError):
    """The model cannot be fitted at all (e.g. only one group present)."""


@dataclass(frozen=True)
class LogisticFit:
    """A fitted logistic regression, lifelines-style: read the attributes or ``summary()``."""

    names: tuple[str, ...]
    coefficients: FloatArray
    standard_errors: FloatArray
    log_likelihood: float
    converged: bool
    iterations: int
    n: int
    warnings: list[str] = field(default_factory=list)

    def linear_predictor(self, covariates: FloatArray) -> FloatArray:
        """The logit of the propensity score for rows of ``covariates`` (no intercept column)."""
        x = np.asarray(covariates, dtype=np.float64)
        return np.asarray(x @ self.coefficients[1:] + self.coefficients[0], dtype=np.float64)

    def predict(self, covariates: FloatArray) -> FloatArray:
        """The propensity score (probability of being in the cohort)."""
        return np.asarray(expit(self.linear_predictor(covariates)), dtype=np.float64)

    def summary(self) -> str:
        lines = [
            f"Logistic regression (maximum likelihood), n = {self.n}, "
            f"log-likelihood = {self.log_likelihood:.4f}",
            f"converged: {'yes' if self.converged else 'no'} after {self.iterations} iterations",
            f"{'term':<24}{'coef':>14}{'se':>14}",
        ]
        for name, coef, se in zip(
            ("(intercept)", *self.names), self.coefficients, self.standard_errors, strict=True
        ):
            lines.append(f"{name:<24}{coef:>14.4f}{se:>14.4f}")
        lines.extend(f"warning: {w}" for w in self.warnings)
        return "\n".join(lines)


def _log_likelihood(eta: FloatArray, y: FloatArray) -> float:
    # log(1 − p) = log_expit(−η) and log p = η + log(1 − p): one stable transcendental per row.
    return float(np.dot(y, eta) + np.sum(log_expit(-eta)))


def _linear(x: FloatArray, beta: FloatArray) -> FloatArray:
    eta = x @ beta[1:]
    eta += beta[0]
    return np.asarray(eta, dtype=np.float64)


def _information(x: FloatArray, p: FloatArray) -> FloatArray:
    """``XᵀWX`` (intercept first) with ``W = diag(p(1 − p))``, in cache-sized blocks.

    Blocks of ``CHUNK_ROWS`` rows reuse one small buffer, so no array the size of the data is
    allocated per iteration (first-touch page faults cost more than the arithmetic here).
    """
    n, k = x.shape
    buffer = np.empty((min(CHUNK_ROWS, n), k + 1))
    information = np.zeros((k + 1, k + 1))
    for start in range(0, n, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, n)
        block = buffer[: stop - start]
        root = block[:, 0]
        np.multiply(p[start:stop], 1.0 - p[start:stop], out=root)
        np.sqrt(root, out=root)
        np.multiply(x[start:stop], root[:, None], out=block[:, 1:])
        information += block.T @ block
    return information


def fit_logistic(
    covariates: FloatArray,
    treated: NDArray[np.bool_] | FloatArray,
    names: tuple[str, ...] | None = None,
    *,
    max_iterations: int = MAX_ITERATIONS,
    tolerance: float = TOLERANCE,
) -> LogisticFit:
    """Fit ``P(treated = 1 | x) = expit(β₀ + xβ)`` by Newton–Raphson with step-halving.

    Convergence: the largest absolute Newton step is below ``tolerance``, or the relative change
    in log-likelihood is below ``tolerance`` (flat likelihood, as under separation).
    """
    x_raw = np.asarray(covariates, dtype=np.float64)
    if x_raw.ndim == 1:
        x_raw = x_raw[:, None]
    y = np.asarray(treated, dtype=np.float64)
    n, k = x_raw.shape
    names = names or tuple(f"x{i}" for i in range(k))
    if y.shape != (n,):
        raise PropensityError("covariates and treatment indicator have different lengths")
    if not np.all(np.isfinite(x_raw)):
        raise PropensityError("covariates contain missing or infinite values")
    n_treated = float(y.sum())
    if n_treated == 0 or n_treated == n:
        raise PropensityError("both groups are needed to fit a propensity score")
    # Column-major: X·β and Xᵀv read whole columns; ``weighted`` is reused every iteration.
    x = np.ascontiguousarray(x_raw)
    beta = np.zeros(k + 1)
    beta[0] = np.log(n_treated / (n - n_treated))
    eta = _linear(x, beta)
    loglik = _log_likelihood(eta, y)
    warnings: list[str] = []
    converged = False
    iterations = 0
    information = np.eye(k + 1)
    p = np.empty(n)
    for iterations in range(1, max_iterations + 1):  # noqa: B007 - read after the loop
        expit(eta, out=p)
        information = _information(x, p)
        residual = y - p
        score = np.empty(k + 1)
        score[0] = residual.sum()
        score[1:] = x.T @ residual
        try:
            step = np.linalg.solve(information, score)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(information, score, rcond=None)[0]
        scale = 1.0
        for _ in range(MAX_HALVINGS):
            candidate = beta + scale * step
            new_eta = _linear(x, candidate)
            new_loglik = _log_likelihood(new_eta, y)
            if new_loglik >= loglik - 1e-12 * abs(loglik):
                break
            scale /= 2.0
        change = abs(new_loglik - loglik)
        beta, eta, old_loglik, loglik = candidate, new_eta, loglik, new_loglik
        if float(np.max(np.abs(scale * step))) < tolerance or change <= tolerance * (
            abs(old_loglik) + tolerance
        ):
            converged = True
            break
    if not converged:
        warnings.append(f"propensity model did not converge in {max_iterations} iterations")
    fitted = expit(eta)
    extreme = int(
        np.count_nonzero((fitted < SEPARATION_PROBABILITY) | (fitted > 1 - SEPARATION_PROBABILITY))
    )
    exploding = [
        name
        for name, b in zip(names, beta[1:], strict=True)
        if not np.isfinite(b) or abs(b) > EXPLODING_COEFFICIENT
    ]
    if extreme or exploding:
        detail = f"{extreme} fitted probabilities at 0 or 1"
        if exploding:
            detail += f"; very large coefficients for {', '.join(exploding)}"
        warnings.append(f"possible (quasi-)complete separation in the propensity model: {detail}")
    information = _information(x, expit(eta))
    try:
        covariance = np.linalg.inv(information)
        se = np.sqrt(np.clip(np.diag(covariance), 0.0, None))
    except np.linalg.LinAlgError:
        se = np.full(k + 1, np.nan)
    return LogisticFit(
        names=tuple(names),
        coefficients=beta,
        standard_errors=se,
        log_likelihood=loglik,
        converged=converged,
        iterations=iterations,
        n=n,
        warnings=warnings,
    )
