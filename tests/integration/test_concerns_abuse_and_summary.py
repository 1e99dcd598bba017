"""Abuse controls and the published summary of anonymous concerns (SUP-5): photos lose their
hidden details and the reporter is told what could not be stripped; a report without the
proof-of-work (no JavaScript) is held to a stricter limit; the summary shows closed concerns only,
never a count below 5."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader

from commissioning.accounts.models import User
from commissioning.concerns import files, lifecycle, services
from commissioning.concerns.models import Concern
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSPHRASE = "a long passphrase for the reviewer"


def photo_with_exif() -> bytes:
    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x010F] = "QuokkaCam Maker"  # Make
    exif[0x8298] = "Jo Whistleblower"  # Copyright
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_loses_its_hidden_details_and_a_damaged_pdf_is_reported_as_not_stripped() -> None:
    original = photo_with_exif()
    assert b"Jo Whistleblower" in original
    cleaned = files.clean("photo.jpg", original)
    assert cleaned.metadata_removed and b"Jo Whistleblower" not in cleaned.content
    assert b"QuokkaCam" not in cleaned.content
    with Image.open(io.BytesIO(cleaned.content)) as image:
        assert image.size == (8, 8) and not image.getexif()
    pdf = files.clean("minutes.pdf", b"%PDF-1.4\n/Author (Jo Whistleblower)\n%%EOF")
    assert not pdf.metadata_removed and "could not be removed" in pdf.note


def pdf_with_metadata() -> bytes:
    document = FPDF()
    document.set_author("Jo Whistleblower")
    document.set_creator("QuokkaWriter 7")
    document.set_title("Supply chain meeting minutes")
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text="The prime said the referrals would come next quarter.")
    return bytes(document.output())


def test_a_pdf_loses_its_author_software_and_dates_but_keeps_its_text() -> None:
    original = pdf_with_metadata()
    assert b"Jo Whistleblower" in original and b"QuokkaWriter" in original
    cleaned = files.clean("minutes.pdf", original)
    assert cleaned.metadata_removed
    assert cleaned.note == "Hidden details (author, software, dates) removed from minutes.pdf."
    assert b"Jo Whistleblower" not in cleaned.content and b"QuokkaWriter" not in cleaned.content
    reader = PdfReader(io.BytesIO(cleaned.content))
    assert reader.metadata is None and "/Metadata" not in reader.trailer["/Root"]
    assert "referrals would come next quarter" in reader.pages[0].extract_text()


def _report_without_script(client: Client) -> int:
    page = client.get("/concerns/report/").content.decode()
    token = re.search(r'name="challenge" value="([^"]+)"', page)
    assert token is not None
    data = {
        "subject": "described",
        "described_subject": "A prime",
        "what_happened": "Something happened.",
        "challenge": token.group(1),
        "solution": "",
        "evidence": SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n%%EOF"),
    }
    answer = client.post("/concerns/report/", data)
    if answer.status_code == 200:
        assert "minutes.pdf (a PDF) could not be removed" in answer.content.decode()
    return answer.status_code


def test_without_the_challenge_solved_reports_are_held_to_a_stricter_limit() -> None:
    services.create_reviewer_key(
        UserFactory(username="reviewer", role=User.Role.REVIEWER), PASSPHRASE
    )
    client = Client()
    assert [_report_without_script(client) for _ in range(4)] == [200, 200, 200, 429]
    assert Concern.objects.count() == 3


def test_the_summary_shows_only_closed_concerns_in_counts_of_five_or_more() -> None:
    reviewer = UserFactory(username="reviewer", role=User.Role.REVIEWER)
    key = services.create_reviewer_key(reviewer, PASSPHRASE)
    private = services.unlock(key, PASSPHRASE)

    def closed(kind: str, outcome: str, count: int) -> None:
        for _ in range(count):
            concern = services.report(
                subject_kind=kind,
                subject_reference="",
                subject_label="",
                described_subject="",
                what_happened="x",
                contact="",
                attachments=[],
            ).concern
            data_key = services.reviewer_data_key(reviewer, private, concern)
            services.change_status(
                reviewer, data_key, concern, lifecycle.Status.ACKNOWLEDGED, message="Received"
            )
            services.change_status(
                reviewer,
                data_key,
                concern,
                lifecycle.Status.CLOSED,
                message="Closed",
                outcome=outcome,
            )

    closed(Concern.SubjectKind.PRIME, Concern.Outcome.UPHELD, 5)
    closed(Concern.SubjectKind.PRIME, Concern.Outcome.NOT_UPHELD, 2)
    closed(Concern.SubjectKind.CONTRACT, Concern.Outcome.UPHELD, 3)
    rows, withheld = services.published_summary()
    assert [(r.subject, r.closed, r.outcomes) for r in rows] == [
        ("A prime provider", 7, [("Other outcomes", 7)])
    ]
    assert withheld == 0
    page = Client().get("/concerns/outcomes/").content.decode()
    assert "A prime provider" in page and "A contract" not in page
