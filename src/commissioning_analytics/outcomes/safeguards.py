"""Safeguards on small numbers and weak comparisons (OUT-4, OUT-1).

* **Minimum cohort**: a cohort under 60 people is refused, and so is an analysis in which fewer
  than 60 cohort members find a match (the Justice Data Lab's threshold).
* **Suppression rule for published counts**: a count of 1, 2, 3 or 4 people is published as
  ``"<5"``; zero and counts of 5 or more are published as they are. Weighted comparison counts
  are rounded to the nearest whole person first. Rates and effects are published only with
  their confidence interval, never with the counts that would let a suppressed cell be
  recovered by differencing.
* **Warnings** (the analysis still runs): fewer than 30 cohort members with a binary outcome
  (for reoffending: fewer than 30 reoffenders, too few for time-to-first-reoffence or stable
  rates); fewer than 30 events (reoffenders) among the matched cohort in a time-to-event
  analysis (Kaplan–Meier, log-rank and Cox results are then unreliable); more than 20% of the
  cohort left unmatched (the result then describes only the
  matched part of the cohort); any covariate with |SMD| above 0.1 after matching; and the
  propensity model's own warnings (non-convergence).
* **Refusals of the inputs** (nothing is computed):

  - *An outcome meant to be 0/1 with stray values.* If at least 95% of the outcome's values in
    the cohort and the pool together are exactly 0 or 1 (``BINARY_SHARE``), the outcome is a
    yes/no outcome and any other value (a stray ``2``) is refused, naming the column, the values
    and how many rows hold them; the analysis never silently turns continuous. An outcome with
    fewer 0/1 values (a count of reoffences, a number of days) is continuous. Counts of proven
    reoffences have well over 5% of people at 2 or more, so they stay continuous.
  - *A constant covariate* (one value for everyone in the cohort and the pool) and *perfectly
    collinear covariates* (one is an exact linear combination of others, e.g. age and year of
    birth): the propensity model cannot separate their effects, so they are refused by name.
  - *Separation* in the propensity model: cohort members can be told apart from the pool
    (almost) perfectly, so no comparable people exist for them and the maximum-likelihood
    estimate does not exist (Albert & Anderson 1984). It is detected, as
    :func:`check_separation` explains, by cohort members' fitted probabilities numerically 1
    or by standard errors that explode relative to the covariate's spread (Allison 2008).
    Pool people unlike anyone in the cohort are only left unmatched.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from commissioning_analytics.outcomes.propensity import SEPARATION_PROBABILITY, LogisticFit

MIN_COHORT = 60
SUPPRESS_BELOW = 5
MIN_EVENTS = 30
MAX_UNMATCHED_SHARE = 0.2
MAX_SMD = 0.1
BINARY_SHARE = 0.95
COLLINEAR_EIGENVALUE = 1e-9
SEPARATION_STANDARD_ERROR = 10.0


class SafeguardError(ValueError):
    """The analysis must not be run or published."""


def check_cohort_size(n: int, *, what: str = "the cohort") -> None:
    if n < MIN_COHORT:
        raise SafeguardError(
            f"{what} has {n} people; at least {MIN_COHORT} are needed for a reliable comparison"
        )


def publish_count(count: float) -> int | str:
    """A count as it may be published: 1–4 become ``"<5"`` (weighted counts rounded first)."""
    people = round(count)
    if 0 < people < SUPPRESS_BELOW:
        return f"<{SUPPRESS_BELOW}"
    return int(people)


def events_warning(events: int, outcome: str) -> str | None:
    if events < MIN_EVENTS:
        return (
            f"fewer than {MIN_EVENTS} people in the matched cohort have the outcome {outcome!r}; "
            "rates and time-to-first-event results are unreliable"
        )
    return None


def time_to_event_warning(events: int, event: str) -> str | None:
    if events < MIN_EVENTS:
        return (
            f"fewer than {MIN_EVENTS} people in the matched cohort have the event {event!r} "
            f"({events}); time-to-first-event results (Kaplan–Meier, log-rank, Cox) are "
            "unreliable"
        )
    return None


def unmatched_warning(n_treated: int, n_matched: int) -> str | None:
    dropped = n_treated - n_matched
    if n_treated and dropped / n_treated > MAX_UNMATCHED_SHARE:
        return (
            f"{dropped} of {n_treated} cohort members ({dropped / n_treated:.0%}) found no match; "
            "the result describes only the matched part of the cohort"
        )
    return None


def balance_warning(poor: list[str]) -> str | None:
    if poor:
        return (
            f"balance is poor after matching (|SMD| > {MAX_SMD}) for: {', '.join(poor)}; "
            "the groups may still differ in ways that affect the outcome"
        )
    return None


def _quoted(names: Sequence[str]) -> str:
    quoted = [repr(name) for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def check_binary_outcome(outcome: str, values: Sequence[tuple[str, NDArray[np.float64]]]) -> None:
    """Refuse stray values in an outcome that is otherwise 0/1 (OUT-1, OUT-4).

    ``values``: (file name, outcome values) for the cohort and the pool. The rule is in the
    module docstring: at least ``BINARY_SHARE`` of all values 0 or 1 means a yes/no outcome.
    """
    total = sum(column.size for _, column in values)
    stray = {name: ~((column == 0) | (column == 1)) for name, column in values}
    n_stray = sum(int(mask.sum()) for mask in stray.values())
    if n_stray == 0 or total == 0 or (total - n_stray) / total < BINARY_SHARE:
        return
    where = []
    for name, column in values:
        rows = np.flatnonzero(stray[name])
        if rows.size:
            found = ", ".join(_number(v) for v in np.unique(column[rows])[:5])
            first = ", ".join(str(row + 2) for row in rows[:5])
            more = " …" if rows.size > 5 else ""
            where.append(
                f"{name}: {rows.size} {'row' if rows.size == 1 else 'rows'} "
                f"(rows {first}{more}) with {found}"
            )
    raise SafeguardError(
        f"the outcome {outcome!r} is 0 or 1 for almost everyone but has other values in "
        f"{n_stray} {'row' if n_stray == 1 else 'rows'} ({'; '.join(where)}); "
        "a yes/no outcome must be 0 or 1 in every row, so correct those rows"
    )


def check_covariates(names: Sequence[str], covariates: NDArray[np.float64]) -> None:
    """Refuse a constant covariate and perfectly collinear covariates (OUT-1), by name.

    ``covariates``: the cohort and the pool stacked, one column per name. Collinearity is found
    from the eigenvalues of the covariates' correlation matrix: an eigenvalue below
    ``COLLINEAR_EIGENVALUE`` means one exact linear relation (up to rounding), and the
    covariates with a weight in its eigenvector are the ones involved.
    """
    x = np.asarray(covariates, dtype=np.float64)
    constant = [
        (name, float(x[0, j]))
        for j, name in enumerate(names)
        if x.shape[0] and np.ptp(x[:, j]) == 0
    ]
    if constant:
        described = ", ".join(f"{name!r} (always {_number(value)})" for name, value in constant)
        raise SafeguardError(
            f"{'a covariate has' if len(constant) == 1 else 'covariates have'} the same value "
            f"for everyone in the cohort and the comparison pool: {described}; it cannot help "
            "to match people, so leave it out"
        )
    if len(names) < 2:
        return
    centred = x - x.mean(axis=0)
    centred /= np.sqrt(np.einsum("ij,ij->j", centred, centred))
    eigenvalues, eigenvectors = np.linalg.eigh(centred.T @ centred)
    involved: set[int] = set()
    for value, vector in zip(eigenvalues, eigenvectors.T, strict=True):
        if value < COLLINEAR_EIGENVALUE:
            involved.update(np.flatnonzero(np.abs(vector) > 1e-3).tolist())
    if involved:
        raise SafeguardError(
            f"the covariates {_quoted([names[j] for j in sorted(involved)])} are perfectly "
            "collinear (one can be worked out exactly from the others), so their separate "
            "parts in the comparison cannot be told apart; leave one of them out"
        )


def check_separation(
    fit: LogisticFit, covariates: NDArray[np.float64], treated: NDArray[np.bool_]
) -> None:
    """Refuse a propensity model in which cohort members are separated from the pool (OUT-1,
    OUT-4).

    Under separation some combination of covariates tells cohort from pool perfectly, the
    maximum-likelihood estimate does not exist (Albert & Anderson 1984, Biometrika 71:1–10) and
    Newton's method stops wherever the likelihood flattens, often with coefficients of 15–25
    that look unremarkable. Two signs are used:

    * a cohort member's fitted probability within ten machine epsilons of 1 (R's ``glm.fit``
      rule for "fitted probabilities numerically 0 or 1");
    * a standard error that explodes relative to the covariate's spread, ``se × sd > 10``:
      in quasi-complete separation "the coefficient diverges and its standard error grows
      even faster" (Allison 2008, SAS Global Forum paper 360-2008), while in an identifiable
      model ``se × sd`` is of order ``1/√(n p(1 − p))``, well under 1 for 60 people or more;
      such a covariate is refused when the people at its cohort-favoured extreme (its largest
      value for a positive coefficient, its smallest for a negative one) are all in the cohort.

    Separation on the pool's side only (pool people unlike anyone in the cohort, e.g. women
    in the pool of a service for men) is allowed: those people are simply never matched, which
    is what matching is for; the propensity model's warning still says so.
    """
    x = np.asarray(covariates, dtype=np.float64)
    cohort = np.asarray(treated, dtype=bool)
    scaled = fit.standard_errors[1:] * x.std(axis=0)
    separated = []
    for j, (name, value, beta) in enumerate(
        zip(fit.names, scaled, fit.coefficients[1:], strict=True)
    ):
        if np.isfinite(value) and value <= SEPARATION_STANDARD_ERROR:
            continue
        extreme = x[:, j].max() if beta > 0 else x[:, j].min()
        if np.all(cohort[x[:, j] == extreme]):
            separated.append(name)
    certain = int(np.count_nonzero(fit.predict(x[cohort]) > 1 - SEPARATION_PROBABILITY))
    if not separated and not certain:
        return
    by = _quoted(separated) if separated else "the covariates together"
    raise SafeguardError(
        f"the cohort can be told apart from the comparison pool almost perfectly by {by} "
        "(for example, everyone with some value is in the cohort and nobody in the pool), so "
        "there are no comparable people to match the cohort with and no fair comparison can "
        "be made; leave that covariate out, group its values, or use a comparison pool that "
        "includes people like the cohort"
    )
