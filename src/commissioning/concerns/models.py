"""Anonymous concerns about commissioning practice, read by independent reviewers (SUP-5).

What is stored, and why it reveals neither the reporter nor the content:

* the content (what happened, a described subject, contact details), every message and every
  file are encrypted with a random per-concern data key (secretbox); the data key is sealed to
  each reviewer's public key (:class:`KeyGrant`) and wrapped under a key derived from the
  reporter's receipt (``reporter_wrapped_key``), never stored in the clear;
* the receipt itself only as an Argon2 hash, beside its first group of four digits
  (``lookup``), which is a random bucket number and not part of the secret (docs/concerns.md);
* dates to the day, never a time: nothing that could be matched with a web server's log;
* no address, user agent, account or session anywhere.

The subject's kind and the published record it names stay in the clear: they are public
records, and the published summary counts outcomes by subject.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

WHAT_HAPPENED_MAX_LENGTH = 8000
MESSAGE_MAX_LENGTH = 8000
FILE_MAX_BYTES = 5 * 1024 * 1024
ACKNOWLEDGE_WITHIN_DAYS = 7
FEEDBACK_WITHIN_MONTHS = 3


class ReviewerKey(models.Model):
    """A reviewer's key pair: the private key secretbox-encrypted under an Argon2id key derived
    from a passphrase only the reviewer knows (the KDF's cost is kept beside it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concern_key"
    )
    public_key = models.BinaryField()
    locked_private_key = models.BinaryField()
    salt = models.BinaryField()
    opslimit = models.PositiveIntegerField()
    memlimit = models.PositiveBigIntegerField()
    created_on = models.DateField()

    def __str__(self) -> str:
        return f"Key of {self.user}"


class Concern(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        UNDER_REVIEW = "under_review", "Under review"
        REFERRED = "referred", "Referred"
        CLOSED = "closed", "Closed"

    class SubjectKind(models.TextChoices):
        EXERCISE = "exercise", "A commissioning exercise"
        OPPORTUNITY = "opportunity", "An opportunity"
        CONTRACT = "contract", "A contract"
        PRIME = "prime", "A prime provider"
        COMMISSIONER = "commissioner", "A commissioning body"
        DESCRIBED = "described", "Something else"

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Upheld: practice changed"
        PARTLY_UPHELD = "partly_upheld", "Partly upheld"
        NOT_UPHELD = "not_upheld", "Not upheld"
        REFERRED_ON = "referred_on", "Referred to a regulator or mediation"
        WITHDRAWN = "withdrawn", "Withdrawn or no reply"

    lookup = models.CharField(max_length=4, db_index=True)
    receipt_hash = models.CharField(max_length=200)
    receipt_salt = models.BinaryField()
    reporter_wrapped_key = models.BinaryField()
    kdf_opslimit = models.PositiveIntegerField()
    kdf_memlimit = models.PositiveBigIntegerField()
    subject_kind = models.CharField(max_length=20, choices=SubjectKind.choices)
    subject_reference = models.CharField(max_length=200, blank=True)
    subject_label = models.CharField(max_length=300, blank=True)
    content = models.BinaryField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    received_on = models.DateField()
    acknowledged_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Concern {self.pk}"


class KeyGrant(models.Model):
    """A concern's data key sealed to one reviewer's public key (a libsodium sealed box)."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="grants")
    reviewer_key = models.ForeignKey(ReviewerKey, on_delete=models.CASCADE, related_name="grants")
    sealed_data_key = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["concern", "reviewer_key"], name="concerns_one_grant_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"Grant of concern {self.concern_id} to key {self.reviewer_key_id}"


class Message(models.Model):
    class Kind(models.TextChoices):
        FROM_REPORTER = "from_reporter", "From the reporter"
        TO_REPORTER = "to_reporter", "To the reporter"
        INTERNAL_NOTE = "internal_note", "Internal note"

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.BinaryField()
    status_change = models.CharField(max_length=20, choices=Concern.Status.choices, blank=True)
    sent_on = models.DateField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on concern {self.concern_id}"


class File(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="files")
    from_reporter = models.BooleanField(default=True)
    encrypted_name = models.BinaryField()
    encrypted_content = models.BinaryField()
    size = models.PositiveIntegerField()
    metadata_removed = models.BooleanField(default=False)
    added_on = models.DateField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"File {self.pk} of concern {self.concern_id}"


class ConcernReferral(models.Model):
    """The audit record of a concern passed to mediation or a regulator: to whom, what was sent
    (by description), by which reviewer, on which day."""

    class Recipient(models.TextChoices):
        MEDIATION = "mediation", "Mediation"
        REGULATOR = "regulator", "A regulator"

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="referrals")
    recipient_kind = models.CharField(max_length=20, choices=Recipient.choices)
    recipient_name = models.CharField(max_length=200)
    items_sent = models.JSONField(default=list)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_on = models.DateField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Referral of concern {self.concern_id} to {self.recipient_name}"
