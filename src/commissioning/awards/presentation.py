"""A lot's results as rows people read (PRO-9): the ranking, the price lines after the
level-playing-field adjustment (EVA-4) and the weight sensitivity, with bidders' names in place
of the core's bid ids. Only wording and layout here; every number comes from the core."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from commissioning.awards.reporting import LotResults
from commissioning.awards.results import EvaluationInputs
from commissioning_analytics.scoring.errors import percent
from commissioning_analytics.scoring.sensitivity import SensitivityResult


def named(text: str, inputs: EvaluationInputs) -> str:
    """The core's note with each bid id (``with 12 on``, ``(12 before 15)``) as the bidder."""

    def swap(match: re.Match[str]) -> str:
        return inputs.bidder(match.group(0)) if match.group(0) in inputs.bidders else match[0]

    return re.sub(r"(?<=with )\S+(?= on)|(?<=\()\S+(?= before)|(?<=before )\S+(?=\))", swap, text)


@dataclass(frozen=True)
class RankingRow:
    bid_id: str
    name: str
    rank: int | None
    quality_points: Decimal | None
    price_points: Decimal | None
    total: Decimal | None
    disqualified_reasons: tuple[str, ...]
    tie_note: str
    is_winner: bool


@dataclass(frozen=True)
class PriceRow:
    bid_id: str
    name: str
    is_public_sector: bool
    declared: Decimal
    hidden_subsidy: Decimal
    adjusted: Decimal
    points: Decimal | None
    abnormally_low_reasons: tuple[str, ...]


@dataclass(frozen=True)
class SensitivityRow:
    weight: Decimal
    label: str
    winner: str
    total: str
    published: bool


@dataclass(frozen=True)
class SensitivityView:
    caption: str
    parameter: str
    rows: tuple[SensitivityRow, ...]
    statement: str
    lines: tuple[str, ...]


def ranking_rows(results: LotResults) -> list[RankingRow]:
    if results.evaluation is None or results.inputs is None:
        return []
    inputs = results.inputs
    winner = results.winner
    return [
        RankingRow(
            bid_id=o.bid_id,
            name=inputs.bidder(o.bid_id),
            rank=o.rank,
            quality_points=o.quality_points,
            price_points=o.price_points,
            total=o.total,
            disqualified_reasons=o.disqualified_reasons,
            tie_note=named(o.tie_note, inputs),
            is_winner=winner is not None and o.bid_id == winner.bid_id,
        )
        for o in results.evaluation.outcomes
    ]


def price_rows(results: LotResults) -> list[PriceRow]:
    if results.evaluation is None or results.inputs is None:
        return []
    inputs = results.inputs
    scored = results.evaluation.price
    rows = []
    for price in inputs.prices:
        line = None
        if scored is not None:
            line = next((item for item in scored.lines if item.bid_id == price.bid_id), None)
        rows.append(
            PriceRow(
                bid_id=price.bid_id,
                name=inputs.bidder(price.bid_id),
                is_public_sector=price.is_public_sector,
                declared=price.price,
                hidden_subsidy=price.hidden_subsidy,
                adjusted=price.adjusted,
                points=line.points if line else None,
                abnormally_low_reasons=line.abnormally_low_reasons if line else (),
            )
        )
    return rows


def _statement(sweep: SensitivityResult, inputs: EvaluationInputs, parameter: str) -> str:
    span = f"{percent(sweep.grid[0])} to {percent(sweep.grid[-1])}"
    if sweep.stable:
        return (
            f"The winner does not change when the {parameter} moves from {span}: "
            f"{inputs.bidder(sweep.winners[0])} wins throughout."
        )
    parts = [
        f"The winner would change {'at' if c.exact else 'at about'} {percent(c.at)} "
        f"{parameter}: {inputs.bidder(c.next)} would overtake {inputs.bidder(c.previous)}"
        for c in sweep.changes
    ]
    return "; ".join(parts) + "."


def sensitivity_view(
    sweep: SensitivityResult | None, inputs: EvaluationInputs | None, parameter: str
) -> SensitivityView | None:
    """The winner at each grid weight (the published weight marked), a plain-English statement
    and the core's ranges, with names."""
    if sweep is None or inputs is None:
        return None
    rows = []
    for g, weight in enumerate(sweep.grid):
        winner = sweep.winners[g]
        total = sweep.totals[g][sweep.bid_ids.index(winner)]
        rows.append(
            SensitivityRow(
                weight=weight,
                label=percent(weight),
                winner=inputs.bidder(winner),
                total=f"{total:.2f}",
                published=weight == sweep.published_weight,
            )
        )
    lines = [
        f"{inputs.bidder(r.winner)} wins from {percent(r.low)} to {percent(r.high)}."
        for r in sweep.ranges
    ]
    return SensitivityView(
        caption=f"Winner by {parameter} (published {percent(sweep.published_weight)})",
        parameter=parameter,
        rows=tuple(rows),
        statement=_statement(sweep, inputs, parameter),
        lines=tuple(lines),
    )


def results_context(results: LotResults) -> dict[str, object]:
    inputs = results.inputs
    price = sensitivity_view(results.price_sensitivity, inputs, "price weight")
    social_value = sensitivity_view(results.social_value_sensitivity, inputs, "social value weight")
    ranking = ranking_rows(results)
    return {
        "ranking": ranking,
        "excluded_rows": [row for row in ranking if row.disqualified_reasons],
        "prices": price_rows(results),
        "price_sensitivity": price,
        "social_value_sensitivity": social_value,
        "sweeps": [price, social_value],
        "criteria": inputs.criteria.criteria if inputs else (),
        "price_weight": percent(inputs.criteria.price_weight) if inputs else "",
    }
