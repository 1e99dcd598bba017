"""The lot accessibility report (PRO-1, PRO-2; seed 004 R6–R8).

For each lot: how many known providers are *in scope* (they serve one of its areas and offer one
of its specialisms) and how many of those are *eligible* (they also meet its financial-standing
conditions), by size band and by led-by group; warnings; and lot-split suggestions
(:mod:`~commissioning_analytics.lots.splits`).

* In scope by area: a provider serves a lot area, an area inside it (a force area within a
  region lot) or an area containing it (its region, or England and Wales). A lot with no
  specialisms takes every specialism.
* Eligible: annual income ≥ ``min_turnover_multiple`` × the lot's annual value, and reserves ≥
  ``min_reserves_months`` (each condition only where the lot sets it).
* Warning ``reg-58-9``: the turnover condition exceeds ``turnover_cap_multiple`` (2) times the
  lot's annual value — the Public Contracts Regulations 2015 reg. 58(9) limit on minimum yearly
  turnover, "except in duly justified cases".
* Warning ``excludes-local-charities``: the conditions exclude more than
  ``charity_exclusion_threshold`` (50%) of the *local charities* in scope: providers whose
  organisation type is in ``charity_org_types`` and that serve the lot's areas other than only
  through the national area.

Everything is vectorised over providers with numpy boolean masks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from commissioning_analytics.lots.conditions import (
    AccessibilityParams,
    LotSpec,
    local_mask,
    meets_conditions,
    scope_mask,
    small_mask,
)
from commissioning_analytics.lots.market import BoolArray, MarketColumns
from commissioning_analytics.lots.splits import SplitSuggestion, suggest_splits

REG_58_9 = "reg-58-9"
EXCLUDES_LOCAL_CHARITIES = "excludes-local-charities"


@dataclass(frozen=True)
class Counts:
    """Providers in scope before conditions and eligible after them."""

    in_scope: int
    eligible: int

    @property
    def excluded(self) -> int:
        return self.in_scope - self.eligible

    @property
    def excluded_share(self) -> float:
        return self.excluded / self.in_scope if self.in_scope else 0.0

    def __str__(self) -> str:
        return f"{self.eligible} of {self.in_scope}"


def _counts(in_scope: BoolArray, eligible: BoolArray, group: BoolArray) -> Counts:
    return Counts(int(np.count_nonzero(in_scope & group)), int(np.count_nonzero(eligible & group)))


@dataclass(frozen=True)
class LotWarning:
    code: str
    message: str


@dataclass(frozen=True)
class LotAccessibility:
    """The report for one lot (PRO-1, PRO-2)."""

    lot: LotSpec
    total: Counts
    by_size_band: dict[str, Counts]
    by_led_by: dict[str, Counts]
    small: Counts
    """Providers with income under ``small_income`` (£500,000)."""
    specialist_led: Counts
    """Providers led by any led-by group."""
    local_charities: Counts
    warnings: tuple[LotWarning, ...]
    splits: tuple[SplitSuggestion, ...] = ()

    def summary(self) -> str:
        lines = [
            f"{self.lot.name}: {self.total} providers in scope could meet the conditions",
            f"  small: {self.small}; "
            f"specialist-led: {self.specialist_led}; local charities: {self.local_charities}",
            "  by size: " + ", ".join(f"{b} {c}" for b, c in self.by_size_band.items()),
            "  by led-by group: " + ", ".join(f"{g} {c}" for g, c in self.by_led_by.items()),
        ]
        lines += [f"  WARNING {w.code}: {w.message}" for w in self.warnings]
        lines += [f"  SUGGESTION: {s.describe()}" for s in self.splits]
        return "\n".join(lines)


@dataclass(frozen=True)
class AccessibilityReport:
    lots: tuple[LotAccessibility, ...]
    params: AccessibilityParams

    @property
    def warnings(self) -> tuple[tuple[str, LotWarning], ...]:
        return tuple((lot.lot.name, w) for lot in self.lots for w in lot.warnings)

    def summary(self) -> str:
        head = f"Lot accessibility report: {len(self.lots)} lots, {len(self.warnings)} warnings"
        return "\n".join([head, *(lot.summary() for lot in self.lots)])


def _warnings(
    lot: LotSpec, local_charities: Counts, params: AccessibilityParams
) -> tuple[LotWarning, ...]:
    found: list[LotWarning] = []
    multiple = lot.min_turnover_multiple
    if multiple is not None and multiple > params.turnover_cap_multiple:
        found.append(
            LotWarning(
                REG_58_9,
                f"The minimum turnover (£{lot.minimum_turnover:,.0f}, {multiple}× the annual "
                f"value) exceeds {params.turnover_cap_multiple}× the lot's annual value "
                f"(£{lot.annual_value:,.0f}): the Public Contracts Regulations 2015 reg. 58(9) "
                "allows more only in duly justified cases.",
            )
        )
    if local_charities.excluded_share > params.charity_exclusion_threshold:
        found.append(
            LotWarning(
                EXCLUDES_LOCAL_CHARITIES,
                f"The financial conditions exclude {local_charities.excluded} of the "
                f"{local_charities.in_scope} local charities in scope "
                f"({local_charities.excluded_share:.0%}, more than "
                f"{params.charity_exclusion_threshold:.0%}).",
            )
        )
    return tuple(found)


def assess_lot(
    market: MarketColumns, lot: LotSpec, params: AccessibilityParams | None = None
) -> LotAccessibility:
    """The accessibility of one lot, without split suggestions."""
    params = params or AccessibilityParams()
    in_scope = scope_mask(market, lot.areas, lot.specialisms)
    eligible = in_scope & meets_conditions(
        market, lot.annual_value, lot.min_turnover_multiple, lot.min_reserves_months
    )
    everyone = np.ones(len(market), dtype=bool)
    charities = np.isin(market.org_type, params.charity_org_types) & local_mask(market, lot.areas)
    local_charities = _counts(in_scope, eligible, charities)
    return LotAccessibility(
        lot=lot,
        total=_counts(in_scope, eligible, everyone),
        by_size_band={
            band: _counts(in_scope, eligible, mask) for band, mask in market.band_masks.items()
        },
        by_led_by={g: _counts(in_scope, eligible, flag) for g, flag in market.led_by.items()},
        small=_counts(in_scope, eligible, small_mask(market, params)),
        specialist_led=_counts(in_scope, eligible, market.any_led_by),
        local_charities=local_charities,
        warnings=_warnings(lot, local_charities, params),
    )


def accessibility_report(
    market: MarketColumns,
    lots: Sequence[LotSpec],
    params: AccessibilityParams | None = None,
    max_suggestions: int = 3,
) -> AccessibilityReport:
    """The lot accessibility report for ``lots`` over ``market``, with split suggestions."""
    params = params or AccessibilityParams()
    results = []
    for lot in lots:
        result = assess_lot(market, lot, params)
        suggestions = suggest_splits(market, lot, params)[:max_suggestions]
        results.append(replace(result, splits=suggestions))
    return AccessibilityReport(tuple(results), params)
