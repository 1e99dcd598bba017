"""Bidder feedback as a PDF (PRO-9): the same words and numbers as the page, laid out by fpdf2.

:func:`pdf_blocks` says *what* the PDF contains (tested on its own, as text); :func:`render_pdf`
lays the blocks out the house way (:mod:`commissioning.kernel.pdf`).
"""

from __future__ import annotations

from pathlib import Path

from commissioning.awards.feedback import BidFeedback
from commissioning.kernel.pdf import DEJAVU_DIR, Block, render_blocks
from commissioning_analytics.timelines.working_days import LONDON


def pdf_blocks(fb: BidFeedback) -> list[Block]:
    """Everything the PDF says, in order."""
    opportunity, lot = fb.opportunity, fb.lot
    blocks = [
        Block("caption", f"{opportunity.reference}: {opportunity.title}"),
        Block("title", f"Feedback on your bid for lot {lot.number}: {lot.title}"),
    ]
    if fb.is_synthetic:
        blocks.append(Block("tag", "Synthetic: made-up data for demonstration and testing"))
    blocks += [
        Block("text", f"Bidder: {fb.bidder_name}"),
        Block("text", f"Award decided: {fb.decided_at.astimezone(LONDON):%-d %B %Y}"),
    ]
    last_day = fb.award.standstill_last_day
    if last_day is not None:
        blocks.append(
            Block("text", f"Standstill period ends: midnight at the end of {last_day:%-d %B %Y}")
        )
    blocks += [
        Block("heading", fb.outcome_title),
        *(Block("text", line) for line in fb.outcome_lines),
        Block("heading", "Reasons for the award decision"),
        Block("text", fb.award.reasons),
        Block("heading", "Your result on each criterion"),
        Block("text", f"Price scoring method: {fb.price_method}."),
    ]
    for row in fb.rows:
        blocks.append(Block("subheading", f"{row.name} (weight: {row.weight})"))
        header: tuple[str, ...] = ("", "Your bid")
        score_label = "Price" if row.is_price else "Score"
        score: tuple[str, ...] = (score_label, row.own_score)
        points: tuple[str, ...] = ("Points", row.own_points)
        rank: tuple[str, ...] = ("Your rank on this criterion", row.rank)
        if fb.show_winner:
            header += ("Winning bid",)
            score += (row.winner_score,)
            points += (row.winner_points,)
            rank += ("",)
        blocks.append(Block("table", rows=(header, score, points, rank)))
        if row.own_reason:
            blocks.append(Block("text", f"Reasons for your bid's result: {row.own_reason}"))
        if fb.show_winner and row.winner_reason:
            blocks.append(
                Block("text", f"Reasons for the winning bid's score: {row.winner_reason}")
            )
    return blocks


def render_pdf(fb: BidFeedback, font_dir: Path = DEJAVU_DIR) -> bytes:
    """The feedback PDF; DejaVu Sans from ``font_dir`` when present, else Helvetica."""
    title = f"Feedback: {fb.opportunity.reference} lot {fb.lot.number}"
    return render_blocks(title, pdf_blocks(fb), font_dir)
