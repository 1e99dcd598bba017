"""A study's headline in the Justice Data Lab's wording (OUT-1, issue 17).

The Lab reports each measure in one of three ways, and a charity's reader should meet the same
three: a **significant** result ("people who took part … were less likely to reoffend"), said
just as plainly when the difference goes the wrong way; an **inconclusive** one, where more
people would be needed and the reader is told not to take it to mean that the programme fails
to affect reoffending; and, below 60 people, no result at all. Plain English comes first:
nothing here names a statistical method, and the analyst's detail stays on the page below it.

The measures are the Lab's three: the one-year proven reoffending rate (a share, put per 100
people), the frequency of proven reoffences (per person, put per 100 people) and the time to
the first proven reoffence among those who reoffend (days; longer is better). The difference is
always cohort minus comparison, with its interval in the same units. Figures are rounded on
publication as the statement does: whole numbers, or one decimal place when they round to zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from commissioning_analytics.outcomes.safeguards import MIN_COHORT

SIGNIFICANCE_LEVEL = 0.05
"""A difference is significant when its two-sided p-value is below this (the 95% interval
then excludes no difference)."""

JARGON = ("SMD", "caliper", "logit", "propensity")
"""Terms a headline or its explanation never uses (tests check)."""


class MeasureKind(Enum):
    """The Lab's three headline measures."""

    RATE = "rate"
    FREQUENCY = "frequency"
    TIME_TO_FIRST = "time_to_first"


class Finding(Enum):
    BETTER = "better"
    WORSE = "worse"
    INCONCLUSIVE = "inconclusive"
    TOO_FEW = "too_few"


@dataclass(frozen=True)
class MeasureResult:
    """One measure of a study, in its own units: a share (0–1) for the rate, proven reoffences
    per person for the frequency, days for the time to first reoffence. ``ci_low`` and
    ``ci_high`` bound the difference, cohort minus comparison."""

    kind: MeasureKind
    cohort_value: float
    comparison_value: float
    ci_low: float
    ci_high: float
    p_value: float
    cohort_size: int


@dataclass(frozen=True)
class LabWording:
    finding: Finding
    headline: str
    explanation: str
    caveats: tuple[str, ...]


CAVEATS: tuple[str, ...] = (
    "The people who took part were compared with similar people who did not, matched on what "
    "the records hold about them: their age, sex, offending history and the other details "
    "recorded.",
    "The comparison cannot account for differences that are not recorded, such as a person's "
    "motivation to change or the support of their family, which may also affect whether they "
    "reoffend.",
    "The results apply to the people in the analysis; they may not hold for everyone who takes "
    "part in the programme, or for the programme as it is run at another time or place.",
)

INCONCLUSIVE_EXPLANATION = (
    "The difference could be due to chance. More people would need to be available for "
    "analysis to say whether taking part makes a difference. This should not be taken to mean "
    "that the programme fails to affect reoffending."
)


def _figure(value: float) -> str:
    """A published figure: a whole number, or one decimal place when it rounds to zero."""
    rounded = round(value)
    if rounded == 0 and value != 0:
        return f"{value:.1f}"
    return f"{rounded:,}"


def _p(value: float) -> str:
    return "less than 0.001" if value < 0.001 else f"{value:.3f}"


@dataclass(frozen=True)
class _Terms:
    """How one measure is worded: its values' scale, units and phrases."""

    scale: float
    lower_is_better: bool
    unit: str  # of the difference, e.g. "points"
    better: str  # "were less likely to reoffend"
    worse: str
    values: str  # "{cohort} in 100 against {comparison} in 100"
    measure: str  # "the one-year proven reoffending rate"
    who: str  # "People who took part"
    down: str  # one end of an interval below no difference: "{n} points lower"
    up: str  # and above it: "{n} points higher"


TERMS = {
    MeasureKind.RATE: _Terms(
        scale=100.0,
        lower_is_better=True,
        unit="points",
        better="were less likely to reoffend",
        worse="were more likely to reoffend",
        values="{cohort} in 100 against {comparison} in 100 reoffended within a year",
        measure="the one-year proven reoffending rate",
        who="People who took part",
        down="{n} points lower",
        up="{n} points higher",
    ),
    MeasureKind.FREQUENCY: _Terms(
        scale=100.0,
        lower_is_better=True,
        unit="reoffences per 100 people",
        better="committed fewer proven reoffences",
        worse="committed more proven reoffences",
        values="{cohort} against {comparison} reoffences per 100 people within a year",
        measure="the number of proven reoffences in a year",
        who="People who took part",
        down="{n} fewer reoffences per 100 people",
        up="{n} more reoffences per 100 people",
    ),
    MeasureKind.TIME_TO_FIRST: _Terms(
        scale=1.0,
        lower_is_better=False,
        unit="days",
        better="took longer to reoffend",
        worse="reoffended sooner",
        values="on average {cohort} against {comparison} days to the first proven reoffence",
        measure="the time to the first proven reoffence",
        who="People who took part and reoffended",
        down="{n} days shorter",
        up="{n} days longer",
    ),
}


def _finding(measure: MeasureResult, terms: _Terms) -> Finding:
    if measure.cohort_size < MIN_COHORT:
        return Finding.TOO_FEW
    excludes_zero = measure.ci_low > 0 or measure.ci_high < 0
    if not (excludes_zero and measure.p_value < SIGNIFICANCE_LEVEL):
        return Finding.INCONCLUSIVE
    lower = measure.ci_high < 0
    return Finding.BETTER if lower == terms.lower_is_better else Finding.WORSE


def lab_wording(measure: MeasureResult, programme: str = "the programme") -> LabWording:
    """The headline, its explanation and the standard caveats for one measure."""
    return _wording(measure, TERMS[measure.kind], programme, "reoffending")


def status_wording(
    label: str,
    cohort_value: float,
    comparison_value: float,
    ci_low: float,
    ci_high: float,
    p_value: float,
    cohort_size: int,
    programme: str = "the programme",
) -> LabWording:
    """The Lab's wording for an intermediate outcome (OUT-3): the share of people ``label``
    (e.g. "in employment 6 months after the index date"), where more is better."""
    terms = _Terms(
        scale=100.0,
        lower_is_better=False,
        unit="points",
        better=f"were more likely to be {label}",
        worse=f"were less likely to be {label}",
        values=f"{{cohort}} in 100 against {{comparison}} in 100 were {label}",
        measure=f"the share of people {label}",
        who="People who took part",
        down="{n} points lower",
        up="{n} points higher",
    )
    # The kind only carries the figures here: the terms above word them.
    measure = MeasureResult(
        MeasureKind.RATE, cohort_value, comparison_value, ci_low, ci_high, p_value, cohort_size
    )
    return _wording(measure, terms, programme, "this outcome")


def _wording(measure: MeasureResult, terms: _Terms, programme: str, subject: str) -> LabWording:
    figures = (measure.cohort_value, measure.comparison_value, measure.ci_low, measure.ci_high)
    for value in (*figures, measure.p_value):
        if not math.isfinite(value):
            raise ValueError("a measure's figures must be finite numbers")
    finding = _finding(measure, terms)
    fails = f"This should not be taken to mean that the programme fails to affect {subject}."
    if finding is Finding.TOO_FEW:
        return LabWording(
            finding=finding,
            headline=(
                f"No result can be given for {terms.measure}: {measure.cohort_size} people "
                f"were available for analysis, and at least {MIN_COHORT} are needed."
            ),
            explanation=f"With so few people any difference could easily be due to chance. {fails}",
            caveats=CAVEATS,
        )
    values = terms.values.format(
        cohort=_figure(measure.cohort_value * terms.scale),
        comparison=_figure(measure.comparison_value * terms.scale),
    )
    low, high = measure.ci_low * terms.scale, measure.ci_high * terms.scale
    who = terms.who.replace("took part", f"took part in {programme}")
    if finding is Finding.INCONCLUSIVE:
        headline = (
            f"The analysis cannot say whether taking part in {programme} changes "
            f"{terms.measure}: {values} (the difference is between {_signed(low, terms)} and "
            f"{_signed(high, terms)})."
        )
        explanation = INCONCLUSIVE_EXPLANATION.replace("reoffending.", f"{subject}.")
    else:
        near, far = sorted((abs(low), abs(high)))
        headline = (
            f"{who} {terms.better if finding is Finding.BETTER else terms.worse} than similar "
            f"people who did not: {values} (the difference is between {_figure(near)} and "
            f"{_figure(far)} {terms.unit})."
        )
        explanation = (
            f"This difference is statistically significant: it is unlikely to be due to chance "
            f"(the chance of a difference this large if taking part made none is "
            f"{_p(measure.p_value)})."
        )
        if finding is Finding.WORSE:
            explanation += (
                " It does not say why. The people who took part may have differed from those "
                "they were compared with in ways the records do not show, and the programme "
                "may need to be looked at again."
            )
    return LabWording(finding=finding, headline=headline, explanation=explanation, caveats=CAVEATS)


def _signed(value: float, terms: _Terms) -> str:
    """One end of an interval that includes no difference, e.g. "3 points lower"."""
    if value == 0:
        return "no difference"
    return (terms.down if value < 0 else terms.up).format(n=_figure(abs(value)))
