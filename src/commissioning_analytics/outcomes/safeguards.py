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
  propensity model's own warnings (non-convergence, separation).
"""

from __future__ import annotations

MIN_COHORT = 60
SUPPRESS_BELOW = 5
MIN_EVENTS = 30
MAX_UNMATCHED_SHARE = 0.2
MAX_SMD = 0.1


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
