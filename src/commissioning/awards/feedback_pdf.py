"""Bidder feedback as a PDF (PRO-9): the same words and numbers as the page, laid out by fpdf2.

:func:`pdf_blocks` says *what* the PDF contains (tested on its own, as text); :func:`render_pdf`
lays the blocks out. The text is set in DejaVu Sans when the font is installed (Debian's
``fonts-dejavu-core``); otherwise in the PDF core font Helvetica, which only covers latin-1, so
typographic quotes, dashes and other characters outside it are replaced by plain equivalents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from commissioning.awards.feedback import BidFeedback
from commissioning_analytics.timelines.working_days import LONDON

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
FALLBACK_FONT = "helvetica"
LATIN1_REPLACEMENTS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u2022": "-",
    "\u2192": "->",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u2212": "-",
    "\u00a0": " ",
    "\u202f": " ",
}

BlockKind = Literal["title", "caption", "tag", "heading", "subheading", "text", "table"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


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


def latin1(text: str) -> str:
    """``text`` in latin-1 only (for the core fonts): known characters replaced, others '?'."""
    for char, plain in LATIN1_REPLACEMENTS.items():
        text = text.replace(char, plain)
    return text.encode("latin-1", "replace").decode("latin-1")


def render_pdf(fb: BidFeedback, font_dir: Path = DEJAVU_DIR) -> bytes:
    """The feedback PDF; DejaVu Sans from ``font_dir`` when present, else Helvetica."""
    pdf = FPDF(format="A4")
    regular, bold = font_dir / "DejaVuSans.ttf", font_dir / "DejaVuSans-Bold.ttf"
    if regular.is_file():
        family = "DejaVu"
        pdf.add_font(family, "", str(regular))
        pdf.add_font(family, "B", str(bold if bold.is_file() else regular))
        clean: Callable[[str], str] = _unchanged
    else:
        family = FALLBACK_FONT
        clean = latin1
    pdf.set_title(clean(f"Feedback: {fb.opportunity.reference} lot {fb.lot.number}"))
    pdf.set_lang("en-GB")
    pdf.set_creator("Commissioning")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    for block in pdf_blocks(fb):
        _draw(pdf, family, block, clean)
    return bytes(pdf.output())


STYLES: dict[str, tuple[str, int, float]] = {
    "caption": ("", 11, 6),
    "title": ("B", 18, 9),
    "tag": ("B", 11, 7),
    "heading": ("B", 14, 8),
    "subheading": ("B", 12, 7),
    "text": ("", 11, 6),
}


def _unchanged(text: str) -> str:
    return text


def _draw(pdf: FPDF, family: str, block: Block, clean: Callable[[str], str]) -> None:
    if block.kind == "table":
        pdf.set_font(family, "", 10)
        widths = (50, 65, 65) if len(block.rows[0]) == 3 else (60, 120)
        with pdf.table(col_widths=widths, text_align="LEFT", first_row_as_headings=True) as table:
            for values in block.rows:
                row = table.row()
                for value in values:
                    row.cell(clean(value))
        pdf.ln(2)
        return
    style, size, height = STYLES[block.kind]
    if block.kind in ("heading", "subheading"):
        pdf.ln(3)
    pdf.set_font(family, style, size)
    if block.kind == "tag":
        pdf.set_fill_color(255, 221, 194)
        pdf.cell(0, height, clean(block.text), fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return
    pdf.multi_cell(0, height, clean(block.text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
