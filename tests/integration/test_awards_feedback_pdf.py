"""Feedback as a PDF (PRO-9): the download, what it says (the same hand-computed numbers as the
page, see :mod:`tests.integration.test_awards_feedback`), and the latin-1 fallback used where
DejaVu Sans is not installed."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.awards.feedback import feedback_for
from commissioning.awards.feedback_pdf import pdf_blocks, render_pdf
from commissioning.kernel.pdf import DEJAVU_DIR, latin1
from tests.integration.test_awards_feedback import (
    AWARD_REASONS,
    BETA_QUALITY,
    Decided,
    decided_lot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided() -> Decided:
    return decided_lot()


def _page_text(pdf: bytes) -> str:
    """The text drawn with a core font: the literal strings of every decompressed stream."""
    texts = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        texts += [m.decode("latin-1") for m in re.findall(rb"\((.*?)(?<!\\)\) ?Tj", content)]
    return " ".join(texts).replace("\\(", "(").replace("\\)", ")")


def test_download(decided: Decided) -> None:
    client = Client()
    client.force_login(decided.members[1])
    response = client.get(reverse("feedback:bid-pdf", args=[decided.bids[1].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reference = decided.opportunity.reference
    assert response["Content-Disposition"] == (
        f'attachment; filename="feedback-{reference}-lot-{decided.lot.number}.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    assert response.content.rstrip().endswith(b"%%EOF")


def test_blocks_say_what_the_page_says(decided: Decided) -> None:
    fb = feedback_for(decided.members[1], decided.bids[1])
    blocks = pdf_blocks(fb)
    texts = [b.text for b in blocks]
    assert texts[1] == f"Feedback on your bid for lot {decided.lot.number}: {decided.lot.title}"
    assert "Your bid was not successful" in texts
    assert (
        "Your bid ranked 3rd of 3 qualifying bids with 65.00 points out of 100. The winning bid, "
        "from Alpha Resettlement Trust, scored 77.50 points."
    ) in texts
    assert AWARD_REASONS in texts
    assert f"Reasons for your bid's result: {BETA_QUALITY}" in texts
    tables = [b.rows for b in blocks if b.kind == "table"]
    assert tables[0] == (
        ("", "Your bid", "Winning bid"),
        ("Price", "Adjusted price £300,000.00", "Not disclosed"),
        ("Points", "25.00", "30.00"),
        ("Your rank on this criterion", "3rd of 3", ""),
    )
    assert tables[1][1:3] == (
        ("Score", "50 (Acceptable)", "75 (Good)"),
        ("Points", "25.00", "37.50"),
    )
    assert not any("250,000" in text for table in tables for row in table for text in row)
    assert not any(b.kind == "tag" for b in blocks)


def test_winner_pdf_has_no_winning_bid_column(decided: Decided) -> None:
    blocks = pdf_blocks(feedback_for(decided.members[0], decided.bids[0]))
    tables = [b.rows for b in blocks if b.kind == "table"]
    assert all(len(row) == 2 for table in tables for row in table)


def test_latin1_fallback_without_dejavu(decided: Decided, tmp_path: Path) -> None:
    """CI machines may lack DejaVu Sans: Helvetica with typographic characters replaced."""
    pdf = render_pdf(feedback_for(decided.members[1], decided.bids[1]), font_dir=tmp_path)
    assert pdf.startswith(b"%PDF-")
    assert b"/Helvetica" in pdf
    text = _page_text(pdf)
    for expected in (
        "Your bid was not successful",
        "65.00 points out of 100",
        "77.50 points",
        "Adjusted price \xa3300,000.00",  # £ is latin-1
        '"move-on" plan - but caseloads were not evidenced...',
    ):
        assert expected in text, expected
    assert "250,000" not in text


def test_latin1_replacements() -> None:
    assert latin1("“Good” – ‘fine’ — done… £5 × 2 ÷ 3") == "\"Good\" - 'fine' - done... £5 × 2 ÷ 3"
    assert latin1("score ≥ 75 → ok ✓") == "score >= 75 -> ok ?"


@pytest.mark.skipif(not (DEJAVU_DIR / "DejaVuSans.ttf").is_file(), reason="no DejaVu Sans")
def test_dejavu_when_installed(decided: Decided) -> None:
    pdf = render_pdf(feedback_for(decided.members[1], decided.bids[1]))
    assert pdf.startswith(b"%PDF-")
    assert b"DejaVu" in pdf
    assert b"/Helvetica" not in pdf


def test_synthetic_label_in_pdf(tmp_path: Path) -> None:
    decided = decided_lot(synthetic=True)
    fb = feedback_for(decided.members[1], decided.bids[1])
    assert pdf_blocks(fb)[2].kind == "tag"
    assert "Synthetic" in _page_text(render_pdf(fb, font_dir=tmp_path))
