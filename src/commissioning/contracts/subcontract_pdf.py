"""The model sub-contract as a PDF (SUP-3, PBR-6): the same words and figures as its page
(:class:`~commissioning.contracts.subcontract.ModelSubcontract`), laid out the house way
(:mod:`commissioning.kernel.pdf`), with space for both parties to sign."""

from __future__ import annotations

from pathlib import Path

from commissioning.contracts.subcontract import ModelSubcontract
from commissioning.kernel.pdf import DEJAVU_DIR, Block, render_blocks

SIGNATURE_LINES = tuple(
    f"{label} ______________________________" for label in ("Name:", "Role:", "Signature:", "Date:")
)


def pdf_blocks(document: ModelSubcontract) -> list[Block]:
    """Everything the PDF says, in order."""
    blocks = [
        Block("caption", f"{document.contract_reference}: {document.contract_title}"),
        Block("title", document.title),
    ]
    if document.is_synthetic:
        blocks.append(Block("tag", "Synthetic: made-up data for demonstration and testing"))
    blocks += [
        Block("heading", "The agreed terms at a glance"),
        Block("table", rows=(("Term", "Agreed"), *document.key_terms)),
    ]
    for number, clause in enumerate(document.clauses, start=1):
        blocks.append(Block("heading", f"{number}. {clause.title}"))
        blocks += [Block("text", paragraph) for paragraph in clause.paragraphs]
    blocks.append(Block("heading", f"{len(document.clauses) + 1}. Signatures"))
    for party in (document.prime, document.subcontractor):
        blocks.append(Block("subheading", f"Signed for {party}"))
        blocks += [
            Block("text", f"{line} ______________________________") for line in SIGNATURE_LINES
        ]
    return blocks


def render_pdf(document: ModelSubcontract, font_dir: Path = DEJAVU_DIR) -> bytes:
    """The model sub-contract PDF; DejaVu Sans from ``font_dir`` when present, else Helvetica."""
    return render_blocks(document.title, pdf_blocks(document), font_dir)
