"""Concerns are encrypted at rest to the reviewers' keys (SUP-5): with the database and the
application's secrets but without a reviewer's passphrase (or the reporter's receipt) the content
cannot be read; with the passphrase it can; a new reviewer is granted what another can read."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from commissioning.accounts.models import User
from commissioning.concerns import crypto, services
from commissioning.concerns.models import Concern, KeyGrant, ReviewerKey
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSPHRASE = "correct horse battery staple"
TEXT = "The prime kept the sub-contractor's payments back for five months"


def reviewer(name: str = "reviewer") -> User:
    return UserFactory(username=name, role=User.Role.REVIEWER)


def reported() -> services.Reported:
    return services.report(
        subject_kind=Concern.SubjectKind.DESCRIBED,
        subject_reference="",
        subject_label="",
        described_subject="A prime in the north east",
        what_happened=TEXT,
        contact="",
        attachments=[services.Attachment("notes.txt", b"secret notes")],
    )


def test_without_the_passphrase_the_database_and_secrets_do_not_open_the_content() -> None:
    services.create_reviewer_key(reviewer(), PASSPHRASE)
    concern = reported().concern
    stored = Concern.objects.get(pk=concern.pk)
    assert TEXT.encode() not in bytes(stored.content)
    key = ReviewerKey.objects.get()
    grant = KeyGrant.objects.get(concern=stored)
    # Everything the database and settings hold: the locked key, the grant, the salt.
    with pytest.raises(crypto.CannotOpen):
        crypto.unlock_private_key(
            key.locked_private_key, key.salt, key.opslimit, key.memlimit, "a wrong guess here"
        )
    with pytest.raises(crypto.CannotOpen):
        crypto.open_sealed(bytes(key.locked_private_key)[:32], grant.sealed_data_key)
    with pytest.raises(ValidationError):
        services.unlock(key, "not my passphrase")

    private = services.unlock(key, PASSPHRASE)
    data_key = services.reviewer_data_key(key.user, private, stored)
    opened = services.read(stored, data_key, for_reporter=False)
    assert opened.content["what_happened"] == TEXT
    assert services.file_content(stored, data_key, opened.files[0]["pk"]) == (
        "notes.txt",
        b"secret notes",
    )


def test_the_receipt_opens_its_concern_and_only_an_argon2_hash_is_kept() -> None:
    services.create_reviewer_key(reviewer(), PASSPHRASE)
    result = reported()
    stored = Concern.objects.get(pk=result.concern.pk)
    assert stored.receipt_hash.startswith("$argon2id$")
    assert result.receipt[4:] not in stored.receipt_hash
    opened = services.open_with_receipt(crypto.grouped(result.receipt))
    assert opened is not None and opened[0].pk == stored.pk
    wrong = result.receipt[:-1] + str((int(result.receipt[-1]) + 1) % 10)
    assert services.open_with_receipt(wrong) is None


def test_a_new_reviewer_is_granted_what_an_unlocked_reviewer_can_read() -> None:
    first = reviewer("first")
    services.create_reviewer_key(first, PASSPHRASE)
    concern = reported().concern
    second = reviewer("second")
    second_key = services.create_reviewer_key(second, "another long passphrase")
    with pytest.raises(crypto.CannotOpen):
        services.reviewer_data_key(
            second, services.unlock(second_key, "another long passphrase"), concern
        )
    granted = services.grant(first, services.unlock(first.concern_key, PASSPHRASE), second_key)
    assert granted == 1
    private = services.unlock(second_key, "another long passphrase")
    data_key = services.reviewer_data_key(second, private, concern)
    assert services.read(concern, data_key, for_reporter=True).content["what_happened"] == TEXT


def test_no_concern_is_received_before_a_reviewer_has_a_key() -> None:
    with pytest.raises(ValidationError, match="no independent reviewer"):
        reported()
