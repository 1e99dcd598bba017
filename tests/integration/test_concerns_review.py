"""The independent reviewer's pages (SUP-5): unlock the key, acknowledge with a message, ask a
question, add an internal note the reporter never sees, refer with a record of what was sent;
other people get 404."""

from __future__ import annotations

import pytest

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.concerns import crypto, services
from commissioning.concerns.models import Concern, ConcernReferral
from tests.factories import UserFactory, client_for

pytestmark = pytest.mark.django_db

PASSPHRASE = "a long passphrase for the reviewer"


def test_reviewer_acknowledges_asks_notes_and_refers() -> None:
    reviewer = UserFactory(username="reviewer", role=User.Role.REVIEWER)
    services.create_reviewer_key(reviewer, PASSPHRASE)
    reported = services.report(
        subject_kind=Concern.SubjectKind.DESCRIBED,
        subject_reference="",
        subject_label="",
        described_subject="A framework",
        what_happened="Prices were shared between bidders.",
        contact="",
        attachments=[],
    )
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
