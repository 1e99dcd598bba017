"""The plain-English statement, in the Justice Data Lab's spirit (OUT-1).

Binary outcomes are put per 100 people: "For 100 typical people who receive support, compared
with 100 similar people who do not, the number who <outcome> could be between X fewer and Y
fewer" (or more). When the 95% interval includes no difference, the statement says so and
gives the range both ways. Numbers are rounded to whole people, or to one decimal place when
they round to zero. Continuous outcomes speak of the average instead of a count, to three
significant figures in plain digits ("3,330", not "3.33e+03").
"""

from __future__ import annotations

from commissioning_analytics.outcomes.effects import Effect
from commissioning_analytics.outcomes.numbers import plain

LEAD_BINARY = (
    "For 100 typical people who receive support, compared with 100 similar people who do not,"
)
LEAD_CONTINUOUS = "For typical people who receive support, compared with similar people who do not,"
NOT_SIGNIFICANT = (
    " This range includes no difference, so the analysis does not show that the support "
    "changes this measure; a larger cohort may give a clearer answer."
)


def _people(value: float) -> str:
    rounded = round(value)
    return str(rounded) if rounded >= 1 else f"{value:.1f}"


def _amount(value: float) -> str:
    return plain(value)


def statement(effect: Effect, outcome: str) -> str:
    """The sentence for ``effect``; ``outcome`` completes "the number who …" (binary) or "the
    average …" (continuous), e.g. "commit a proven reoffence within one year"."""
    if effect.binary:
        low, high = 100 * effect.ci_low, 100 * effect.ci_high
        subject, fmt, down, up = f"the number who {outcome}", _people, "fewer", "more"
        lead = LEAD_BINARY
    else:
        low, high = effect.ci_low, effect.ci_high
        subject, fmt, down, up = f"the average {outcome}", _amount, "lower", "higher"
        lead = LEAD_CONTINUOUS
    if high < 0:
        return f"{lead} {subject} could be between {fmt(-high)} {down} and {fmt(-low)} {down}."
    if low > 0:
        return f"{lead} {subject} could be between {fmt(low)} {up} and {fmt(high)} {up}."
    return f"{lead} {subject} could be between {fmt(-low)} {down} and {fmt(high)} {up}." + (
        NOT_SIGNIFICANT
    )
