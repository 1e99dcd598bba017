"""Documents as PDFs, the house way (PRO-9 feedback, the model sub-contract): a list of
:class:`Block` says *what* a document contains, so it can be tested as text, and
:func:`render_blocks` lays the blocks out with fpdf2.

The text is set in DejaVu Sans when the font is installed (Debian's ``fonts-dejavu-core``);
otherwise in the PDF core font Helvetica, which only covers latin-1, so typographic quotes,
dashes and other characters outside it are replaced by plain equivalents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fpdf import FPDF
from fpdf.enums import XPos, YPos

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


def latin1(text: str) -> str:
    """``text`` in latin-1 only (for the core fonts): known characters replaced, others '?'."""
    for char, plain in LATIN1_REPLACEMENTS.items():
        text = text.replace(char, plain)
    return text.encode("latin-1", "replace").decode("latin-1")


def render_blocks(title: str, blocks: Iterable[Block], font_dir: Path = DEJAVU_DIR) -> bytes:
    """An A4 PDF of ``blocks`` titled ``title``; DejaVu Sans from ``font_dir`` when present,
    else Helvetica."""
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
    pdf.set_title(clean(title))
    pdf.set_lang("en-GB")
    pdf.set_creator("Commissioning")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    for block in blocks:
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
