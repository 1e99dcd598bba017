"""The figures the platform computes for KPIs whose data source is its own records (LAW-4;
issue 15 item 1): referrals completed, outcome results, days to pay sub-contractors and the
share of their invoices paid within 30 days, each over the period an assessment covers.

The referrals and invoices are recorded by apps above contracts in the layers (ADR 0010), so
contracts cannot read them: those apps register a figure here for their data source when they
start (:meth:`commissioning.delivery_checks.apps.DeliveryChecksConfig.ready`), as they register
recorded steps with :mod:`.recorded`. The outcome results are the contract's own observed data,
so their figure is registered here. The assessment form shows each figure beside its KPI's
rating and prefills the result with it; the assessor still rates it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from commissioning.contracts.models import Contract, Kpi
from commissioning.contracts.services import parsed

PeriodFigure = Callable[[Contract, date, date], str | None]
"""The figure for a contract over a period (first and last days inclusive), as a short text
such as "12 referrals completed"; ``None`` when the records hold nothing for that period."""

_figures: dict[str, PeriodFigure] = {}


def register(data_source: str, figure: PeriodFigure) -> None:
    """Compute ``data_source``'s figures with ``figure`` (one per data source; the last wins)."""
    if data_source not in Kpi.DataSource.values:
        raise ValueError(f"{data_source!r} is not a KPI data source")
    _figures[data_source] = figure


def has_figure(data_source: str) -> bool:
    """Whether the platform computes figures for ``data_source``."""
    return data_source in _figures


def figures_for(contract: Contract, first: date, last: date) -> dict[int, str | None]:
    """For each KPI of ``contract`` whose data source has a figure: its figure from ``first`` to
    ``last``, by the KPI's id (computed once per data source)."""
    by_source: dict[str, str | None] = {}
    out: dict[int, str | None] = {}
    for kpi in contract.kpis.all():
        figure = _figures.get(kpi.data_source)
        if figure is None:
            continue
        if kpi.data_source not in by_source:
            by_source[kpi.data_source] = figure(contract, first, last)
        out[kpi.pk] = by_source[kpi.data_source]
    return out


def outcome_results(contract: Contract, first: date, last: date) -> str | None:
    """The outcome results observed for the contract's periods that end within ``first`` to
    ``last``: each measure's result against its reference, or the people who achieved it."""
    documents = parsed(contract)
    if documents.observed is None:
        return None
    measures = documents.mechanism.measures
    parts = []
    for period in documents.observed.periods:
        if not first <= period.end <= last:
            continue
        for result in period.outcomes:
            measure = measures.get(result.measure)
            name = measure.description if measure and measure.description else result.measure
            if result.observed is not None:
                against = "" if result.reference is None else f" against {result.reference}"
                parts.append(f"{name}: {result.observed}{against} ({result.cohort})")
            else:
                achieved = sum(result.achieved.values())
                parts.append(f"{name}: {achieved} of {result.cohort_size} ({result.cohort})")
    return "; ".join(parts)[:200] or None


register(Kpi.DataSource.OUTCOMES, outcome_results)
