"""The independent reviewer's pages (SUP-5): unlock the key, acknowledge with a message, ask a
question, add an internal note the reporter never sees, refer with a record of what was sent;
other people get 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.concerns import crypto, services
from commissioning.concerns.models import FILE_MAX_BYTES, Concern, ConcernReferral, File, Message
from tests.factories import UserFactory, client_for
from tests.integration.test_concerns_abuse_and_summary import photo_with_exif
from tests.integration.test_concerns_anonymity import application_log  # noqa: F401

pytestmark = pytest.mark.django_db

PASSPHRASE = "a long passphrase for the reviewer"


def _described(what_happened: str) -> services.Reported:
    return services.report(
        subject_kind=Concern.SubjectKind.DESCRIBED,
        subject_reference="",
        subject_label="",
        described_subject="A framework",
        what_happened=what_happened,
        contact="",
        attachments=[],
    )


def test_reviewer_acknowledges_asks_notes_and_refers() -> None:
    reviewer = UserFactory(username="reviewer", role=User.Role.REVIEWER)
    services.create_reviewer_key(reviewer, PASSPHRASE)
    reported = _described("Prices were shared between bidders.")
    client = client_for(reviewer)
    url = f"/review/concerns/{reported.concern.pk}/"
    assert client.get(url)["Location"] == "/review/concerns/key/"
    client.post("/review/concerns/key/", {"passphrase": PASSPHRASE})
    assert "Prices were shared between bidders." in client.get(url).content.decode()
    client.post(url, {"action": "status", "status": "acknowledged", "message": "Received."})
    client.post(url, {"action": "message", "question": "Which framework was it?"})
    client.post(url, {"action": "note", "note": "Check with the regulator."})
    client.post(url, {"action": "status", "status": "under_review", "message": "Looking."})
    answer = client.post(
        url,
        {
            "action": "status",
            "status": "referred",
            "message": "Passed to the regulator.",
            "recipient_kind": "regulator",
            "recipient_name": "Competition and Markets Authority",
            "items_sent": ["concern", "messages"],
        },
    )
    assert answer.status_code == 302, answer.content.decode()
    concern = Concern.objects.get()
    assert concern.status == Concern.Status.REFERRED
    referral = ConcernReferral.objects.get()
    assert referral.items_sent == ["concern", "messages"] and referral.referred_by == reviewer
    assert AuditEvent.objects.filter(action="concern.refer", actor=reviewer).exists()

    opened = services.open_with_receipt(crypto.grouped(reported.receipt))
    assert opened is not None
    thread = services.read(opened[0], opened[1], for_reporter=True)
    bodies = [m["body"] for m in thread.messages]
    assert "Which framework was it?" in bodies and "Passed to the regulator." in bodies
    assert "Check with the regulator." not in bodies

    provider = UserFactory(username="someone")
    assert client_for(provider).get(url).status_code == 404
    admin = UserFactory(username="admin", role=User.Role.ADMIN, is_superuser=True)
    assert client_for(admin).get(url).status_code == 404


REVIEWERS_FILE = b"%PDF-1.4\n(Kestrel-ledger-7730: the prime's revised payment terms)\n%%EOF"


def test_reviewer_sends_a_file_that_only_the_reporters_receipt_downloads(
    application_log: Any,  # noqa: F811 (the fixture imported above)
) -> None:
    """Files back to the reporter (SUP-5, issue 16 item 1): encrypted at rest under the
    concern's data key as the reporter's own files are, refused over the size limit, the
    reviewer told what could not be stripped, and downloaded with the receipt alone."""
    reviewer = UserFactory(username="reviewer", role=User.Role.REVIEWER)
    services.create_reviewer_key(reviewer, PASSPHRASE)
    reported = _described("Prices were shared between bidders.")
    other = _described("Another reporter's concern.")
    client = client_for(reviewer)
    url = f"/review/concerns/{reported.concern.pk}/"
    client.post("/review/concerns/key/", {"passphrase": PASSPHRASE})

    too_big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * FILE_MAX_BYTES)
    refused = client.post(url, {"action": "message", "question": "Too big.", "attachment": too_big})
    assert refused.status_code == 400
    assert "The file must be smaller than 5 MB" in refused.content.decode()
    assert not File.objects.exists() and not Message.objects.exists()

    sent = client.post(
        url,
        {
            "action": "message",
            "question": "Here are the prime's new terms.",
            "attachment": SimpleUploadedFile("new terms.pdf", REVIEWERS_FILE),
        },
    )
    assert sent.status_code == 200
    page = sent.content.decode()
    assert "The hidden details of new terms.pdf (a PDF) could not be removed" in page
    stored = File.objects.get()
    assert not stored.from_reporter and stored.concern == reported.concern
    assert b"Kestrel-ledger-7730" not in bytes(stored.encrypted_content)
    assert bytes(stored.encrypted_content) != REVIEWERS_FILE
    assert b"new terms" not in bytes(stored.encrypted_name)

    application_log.truncate(0)
    reporter = Client()
    receipt = crypto.grouped(reported.receipt)
    opened = reporter.post("/concerns/return/", {"receipt": receipt}).content.decode()
    assert "Here are the prime&#x27;s new terms." in opened
    assert "Download new terms.pdf" in opened and "From the reviewers" in opened
    download = reporter.post(
        "/concerns/return/", {"receipt": receipt, "action": "file", "file": stored.pk}
    )
    assert download.status_code == 200 and download.content == REVIEWERS_FILE
    assert download["Content-Disposition"] == 'attachment; filename="new terms.pdf"'
    assert download["Cache-Control"] == "no-store"
    assert not [name for name in download.cookies if name != "csrftoken"]
    assert "Kestrel" not in application_log.getvalue()
    assert "new terms" not in application_log.getvalue()

    wrong = reporter.post(
        "/concerns/return/",
        {"receipt": crypto.grouped(other.receipt), "action": "file", "file": stored.pk},
    )
    assert wrong.status_code == 404 and REVIEWERS_FILE not in wrong.content


def test_a_photo_sent_to_the_reporter_loses_its_hidden_details() -> None:
    reviewer = UserFactory(username="reviewer", role=User.Role.REVIEWER)
    services.create_reviewer_key(reviewer, PASSPHRASE)
    reported = _described("Prices were shared between bidders.")
    private = services.unlock(reviewer.concern_key, PASSPHRASE)
    data_key = services.reviewer_data_key(reviewer, private, reported.concern)
    sent = services.message_reporter(
        reviewer,
        data_key,
        reported.concern,
        "A photo of the notice.",
        attachments=[services.Attachment("notice.jpg", photo_with_exif())],
    )
    assert sent.file_notes == ["Hidden details (camera, place, time) removed from notice.jpg."]
    opened = services.open_with_receipt(reported.receipt)
    assert opened is not None
    _name, content = services.file_content(opened[0], opened[1], File.objects.get().pk)
    assert b"Jo Whistleblower" not in content
