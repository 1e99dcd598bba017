"""How the study pages write numbers (OUT-1): shares as percentages, effects in percentage
points for binary outcomes, p-values, and "not available" for missing values; minus signs are
true minus signs."""

from __future__ import annotations

from typing import Any

from commissioning_analytics.outcomes.safeguards import publish_count

MISSING = "not available"


def number(value: Any, digits: int = 3) -> str:
    return MISSING if value is None else f"{value:,.{digits}f}".replace("-", "−")


def share(value: Any, binary: bool) -> str:
    if value is None:
        return MISSING
    return f"{value * 100:.1f}%" if binary else number(value, 2)


def difference(value: Any, binary: bool) -> str:
    if value is None:
        return MISSING
    text = f"{value * 100:+.1f} percentage points" if binary else f"{value:+,.2f}"
    return text.replace("-", "−")


def p_value(value: Any) -> str:
    if value is None:
        return MISSING
    return "less than 0.001" if value < 0.001 else f"{value:.3f}"


def published(count: Any) -> Any:
    """A count under the core's suppression rule (already-suppressed text stays as it is)."""
    return count if count is None or isinstance(count, str) else publish_count(count)


def count(value: Any) -> str:
    """A count as shown in a table: whole numbers as they are, weighted counts to one decimal
    place, suppressed text as it is."""
    if value is None:
        return MISSING
    if isinstance(value, str):
        return value
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


ROUND_TO = 5


def published_breakdown(value: Any) -> Any:
    """A count in a published breakdown (subgroup sizes, histogram bins, people at risk): 1–4
    shown as "<5" and every other count rounded to the nearest 5, so that a suppressed cell
    cannot be recovered by differencing the others against a total (OUT-4)."""
    if value is None or isinstance(value, str):
        return value
    people = publish_count(value)
    if isinstance(people, str):
        return people
    return ROUND_TO * int(people / ROUND_TO + 0.5)
