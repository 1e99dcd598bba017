"""The published equality impact assessment as a PDF (EQU-1), as blocks of text (tested as text)
laid out by :mod:`commissioning.kernel.pdf`."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from commissioning.equality.models import Assessment, Characteristic
from commissioning.kernel.pdf import DEJAVU_DIR, Block, render_blocks


def pdf_blocks(assessment: Assessment) -> list[Block]:
    exercise = assessment.exercise
    published = timezone.localtime(assessment.published_at) if assessment.published_at else None
    blocks = [
        Block("title", "Equality impact assessment"),
        Block("caption", str(exercise)),
        Block(
            "tag",
            f"Version {assessment.version}"
            + (f", published {published.day} {published:%B %Y}" if published else ""),
        ),
    ]
    if assessment.is_synthetic:
        blocks.append(Block("text", "Synthetic demonstration data."))
    if assessment.revision_reason:
        blocks += [
            Block("heading", "Why it was revised"),
            Block("text", assessment.revision_reason),
        ]
    blocks += [Block("heading", "What the assessment covers"), Block("text", assessment.scope)]
    blocks.append(Block("heading", "Protected characteristics"))
    for characteristic in Characteristic:
        finding = assessment.finding_for(characteristic.value)
        if finding is None:
            continue
        blocks += [
            Block("subheading", f"{characteristic.label}: {finding.impact_label.lower()} impact"),
            Block("text", f"Evidence: {finding.evidence}"),
            Block("text", f"Mitigation: {finding.mitigation or 'None needed.'}"),
        ]
    blocks += [
        Block("heading", "Who was engaged"),
        Block("subheading", "Specialist organisations"),
        Block("text", assessment.organisations_engaged),
        Block("subheading", "Service users"),
        Block("text", assessment.service_users_engaged),
    ]
    linked = [f"Consultation: {c.title}" for c in assessment.consultations.all()]
    linked += [f"Market engagement event: {e.title}" for e in assessment.market_events.all()]
    blocks += [Block("text", line) for line in linked]
    return blocks


def render_pdf(assessment: Assessment, font_dir: Path = DEJAVU_DIR) -> bytes:
    title = f"Equality impact assessment: {assessment.exercise.reference}"
    return render_blocks(title, pdf_blocks(assessment), font_dir)
