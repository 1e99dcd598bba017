"""Anonymous concerns: each person's action is one transaction (SUP-5, ADR 0005).

The reporter's actions take no user, no request and no time of day: a concern, its messages and
files are dated to the day and carry nothing about who sent them. Reviewers' actions are audited
with the reviewer as actor; the audit names the concern and the move, never its content.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.concerns import access, crypto, files, lifecycle
from commissioning.concerns.models import (
    ACKNOWLEDGE_WITHIN_DAYS,
    FEEDBACK_WITHIN_MONTHS,
    Concern,
    ConcernReferral,
    File,
    KeyGrant,
    Message,
    ReviewerKey,
)

SUMMARY_MINIMUM = 5
NO_REVIEWERS = (
    "Concerns cannot be received yet: no independent reviewer has set up their key. "
    "Try again later."
)


def today() -> date:
    return timezone.localdate()


@dataclass
class Attachment:
    name: str
    content: bytes


@dataclass
class Reported:
    concern: Concern
    receipt: str
    file_notes: list[str] = field(default_factory=list)


def _store_files(
    concern: Concern, data_key: bytes, attachments: list[Attachment], *, from_reporter: bool
) -> list[str]:
    notes = []
    for attachment in attachments:
        cleaned = files.clean(attachment.name, attachment.content)
        File.objects.create(
            concern=concern,
            from_reporter=from_reporter,
            encrypted_name=crypto.encrypt(data_key, cleaned.name.encode()),
            encrypted_content=crypto.encrypt(data_key, cleaned.content),
            size=len(cleaned.content),
            metadata_removed=cleaned.metadata_removed,
            added_on=today(),
        )
        notes.append(cleaned.note)
    return notes


@transaction.atomic
def report(
    *,
    subject_kind: str,
    subject_reference: str,
    subject_label: str,
    described_subject: str,
    what_happened: str,
    contact: str,
    attachments: list[Attachment],
) -> Reported:
    """Receive a concern: encrypt it to every reviewer's key and to a new receipt."""
    keys = list(access.reviewers_with_keys())
    if not keys:
        raise ValidationError(NO_REVIEWERS)
    data_key = crypto.new_data_key()
    receipt = crypto.new_receipt()
    wrapping = crypto.wrap_for_receipt(receipt, data_key)
    content = {
        "what_happened": what_happened,
        "described_subject": described_subject,
        "contact": contact,
    }
    concern = Concern.objects.create(
        lookup=crypto.lookup_of(receipt),
        receipt_hash=crypto.hash_receipt(receipt),
        receipt_salt=wrapping.salt,
        reporter_wrapped_key=wrapping.wrapped_key,
        kdf_opslimit=wrapping.opslimit,
        kdf_memlimit=wrapping.memlimit,
        subject_kind=subject_kind,
        subject_reference=subject_reference,
        subject_label=subject_label,
        content=crypto.encrypt_json(data_key, content),
        received_on=today(),
    )
    KeyGrant.objects.bulk_create(
        KeyGrant(
            concern=concern,
            reviewer_key=key,
            sealed_data_key=crypto.seal_to(key.public_key, data_key),
        )
        for key in keys
    )
    notes = _store_files(concern, data_key, attachments, from_reporter=True)
    return Reported(concern, receipt, notes)


def open_with_receipt(receipt_text: str) -> tuple[Concern, bytes] | None:
    """The concern a receipt opens and its data key, or None (wrong or unknown receipt)."""
    receipt = crypto.normalise_receipt(receipt_text)
    if not receipt:
        return None
    for concern in Concern.objects.filter(lookup=crypto.lookup_of(receipt)):
        if crypto.receipt_matches(concern.receipt_hash, receipt):
            data_key = crypto.unwrap_with_receipt(
                receipt,
                concern.receipt_salt,
                concern.reporter_wrapped_key,
                concern.kdf_opslimit,
                concern.kdf_memlimit,
            )
            return concern, data_key
    return None


@transaction.atomic
def reporter_reply(
    concern: Concern, data_key: bytes, text: str, attachments: list[Attachment]
) -> list[str]:
    """The reporter answers or adds files (refused once the concern is closed)."""
    locked = Concern.objects.select_for_update().get(pk=concern.pk)
    if locked.status == Concern.Status.CLOSED:
        raise ValidationError("This concern is closed: it can no longer be added to.")
    if not text.strip() and not attachments:
        raise ValidationError({"message": "Enter your answer or choose a file"})
    if text.strip():
        Message.objects.create(
            concern=locked,
            kind=Message.Kind.FROM_REPORTER,
            body=crypto.encrypt(data_key, text.strip().encode()),
            sent_on=today(),
        )
    return _store_files(locked, data_key, attachments, from_reporter=True)


# ------------------------------------------------------------------------ reading content


@dataclass
class Opened:
    """A concern's content and thread in the clear, for a page."""

    content: dict[str, str]
    messages: list[dict[str, Any]]
    files: list[dict[str, Any]]


def read(concern: Concern, data_key: bytes, *, for_reporter: bool) -> Opened:
    messages = []
    for message in concern.messages.select_related("reviewer").all():
        if for_reporter and message.kind == Message.Kind.INTERNAL_NOTE:
            continue
        messages.append(
            {
                "kind": message.kind,
                "kind_label": message.get_kind_display(),
                "status_change": message.get_status_change_display()
                if message.status_change
                else "",
                "body": crypto.decrypt(data_key, message.body).decode(),
                "sent_on": message.sent_on,
            }
        )
    attached = [
        {
            "pk": item.pk,
            "name": crypto.decrypt(data_key, item.encrypted_name).decode(),
            "size": item.size,
            "from_reporter": item.from_reporter,
            "metadata_removed": item.metadata_removed,
            "added_on": item.added_on,
        }
        for item in concern.files.all()
    ]
    return Opened(crypto.decrypt_json(data_key, concern.content), messages, attached)


def file_content(concern: Concern, data_key: bytes, file_id: int) -> tuple[str, bytes]:
    item = concern.files.get(pk=file_id)
    name = crypto.decrypt(data_key, item.encrypted_name).decode()
    return name, crypto.decrypt(data_key, item.encrypted_content)


# ------------------------------------------------------------------------- reviewers' keys


@transaction.atomic
def create_reviewer_key(user: User, passphrase: str) -> ReviewerKey:
    if not access.is_reviewer(user):
        raise ValidationError("Only independent reviewers hold a key.")
    if ReviewerKey.objects.filter(user=user).exists():
        raise ValidationError("You already have a key.")
    if len(passphrase) < 12:
        raise ValidationError({"passphrase": "Passphrase must be 12 characters or more"})
    pair = crypto.new_key_pair(passphrase)
    key = ReviewerKey.objects.create(
        user=user,
        public_key=pair.public_key,
        locked_private_key=pair.locked_private_key,
        salt=pair.salt,
        opslimit=pair.opslimit,
        memlimit=pair.memlimit,
        created_on=today(),
    )
    record(user, "concern.key_create", key)
    return key


def unlock(key: ReviewerKey, passphrase: str) -> bytes:
    try:
        return crypto.unlock_private_key(
            key.locked_private_key, key.salt, key.opslimit, key.memlimit, passphrase
        )
    except crypto.CannotOpen as error:
        raise ValidationError({"passphrase": "That passphrase does not unlock your key"}) from error


def reviewer_data_key(user: User, private_key: bytes, concern: Concern) -> bytes:
    grant = KeyGrant.objects.filter(concern=concern, reviewer_key__user=user).first()
    if grant is None:
        raise crypto.CannotOpen("Your key has not been granted this concern yet.")
    return crypto.open_sealed(private_key, grant.sealed_data_key)


@transaction.atomic
def grant(user: User, private_key: bytes, key: ReviewerKey) -> int:
    """Seal to ``key`` every concern's data key that ``user`` can open: how a new reviewer
    comes to read the concerns received before they joined. Returns how many were granted."""
    if not access.can_grant(user, key):
        raise ValidationError("Only another active reviewer's key can be granted concerns.")
    granted = 0
    have = set(KeyGrant.objects.filter(reviewer_key=key).values_list("concern_id", flat=True))
    for own in KeyGrant.objects.filter(reviewer_key__user=user).exclude(concern_id__in=have):
        data_key = crypto.open_sealed(private_key, own.sealed_data_key)
        KeyGrant.objects.create(
            concern_id=own.concern_id,
            reviewer_key=key,
            sealed_data_key=crypto.seal_to(key.public_key, data_key),
        )
        granted += 1
    record(user, "concern.grant", key, {"concerns": granted})
    return granted


# ---------------------------------------------------------------------- reviewers' actions


@dataclass
class Sent:
    message: Message
    file_notes: list[str] = field(default_factory=list)


@transaction.atomic
def message_reporter(
    user: User,
    data_key: bytes,
    concern: Concern,
    text: str,
    *,
    internal: bool = False,
    attachments: list[Attachment] | None = None,
) -> Sent:
    """A question or reply to the reporter, with files for them if any, or an internal note
    they never see. The files are sealed as the reporter's own are (under the concern's data
    key, which the receipt opens) and cleaned the same way; the notes say what could not be."""
    if not access.is_reviewer(user):
        raise ValidationError("Only independent reviewers answer concerns.")
    if not text.strip():
        raise ValidationError({"message": "Enter the note" if internal else "Enter the message"})
    if internal and attachments:
        raise ValidationError("Files go to the reporter: an internal note cannot carry one.")
    locked = Concern.objects.select_for_update().get(pk=concern.pk)
    message = Message.objects.create(
        concern=locked,
        kind=Message.Kind.INTERNAL_NOTE if internal else Message.Kind.TO_REPORTER,
        reviewer=user,
        body=crypto.encrypt(data_key, text.strip().encode()),
        sent_on=today(),
    )
    notes = _store_files(locked, data_key, attachments or [], from_reporter=False)
    changes = {"files": len(notes)} if notes else None
    record(user, "concern.note" if internal else "concern.message", locked, changes)
    return Sent(message, notes)


@transaction.atomic
def change_status(
    user: User,
    data_key: bytes,
    concern: Concern,
    target: lifecycle.Status,
    *,
    message: str,
    outcome: str = "",
    referral: dict[str, Any] | None = None,
) -> Concern:
    """Move a concern, with its message to the reporter (and, for a referral, the record of
    what was sent to whom)."""
    if not access.is_reviewer(user):
        raise ValidationError("Only independent reviewers answer concerns.")
    locked = Concern.objects.select_for_update().get(pk=concern.pk)
    if target is lifecycle.Status.REFERRED:
        referral = referral or {}
        errors = {}
        if referral.get("recipient_kind") not in ConcernReferral.Recipient.values:
            errors["recipient_kind"] = "Choose mediation or a regulator"
        if not str(referral.get("recipient_name", "")).strip():
            errors["recipient_name"] = "Enter who it is sent to"
        if not referral.get("items_sent"):
            errors["items_sent"] = "Choose what is sent"
        if errors:
            raise ValidationError(errors)
    transition = lifecycle.move(locked, target, today(), message=message, outcome=outcome)
    Message.objects.create(
        concern=locked,
        kind=Message.Kind.TO_REPORTER,
        reviewer=user,
        body=crypto.encrypt(data_key, message.strip().encode()),
        status_change=target,
        sent_on=today(),
    )
    changes: dict[str, Any] = {"status": target.value}
    if referral is not None and target is lifecycle.Status.REFERRED:
        sent = ConcernReferral.objects.create(
            concern=locked,
            recipient_kind=referral["recipient_kind"],
            recipient_name=str(referral["recipient_name"]).strip(),
            items_sent=list(referral["items_sent"]),
            referred_by=user,
            referred_on=today(),
        )
        changes.update(
            recipient=f"{sent.get_recipient_kind_display()}: {sent.recipient_name}",
            items_sent=sent.items_sent,
        )
    if outcome:
        changes["outcome"] = outcome
    record(user, transition.action, locked, changes)
    return locked


# ------------------------------------------------------------------------ public summary


@dataclass
class SummaryRow:
    subject: str
    closed: int
    outcomes: list[tuple[str, int]]


def published_summary(
    subject_references: Collection[str] | None = None,
) -> tuple[list[SummaryRow], int]:
    """Closed concerns by subject and outcome; a subject with fewer than 5 closed concerns is
    not shown on its own (its concerns are counted in the withheld total, never by outcome),
    and any outcome count below 5 within a shown subject is folded into "other outcomes".

    ``subject_references`` narrows it to the concerns about those published records (an
    exercise and its contracts, for the exercise's review, CYC-4), with the same suppression."""
    closed = Concern.objects.filter(status=Concern.Status.CLOSED)
    if subject_references is not None:
        closed = closed.filter(subject_reference__in=list(subject_references))
    by_subject: dict[str, Counter[str]] = {}
    for kind, outcome in closed.values_list("subject_kind", "outcome"):
        by_subject.setdefault(kind, Counter())[outcome] += 1
    rows, withheld = [], 0
    labels = dict(Concern.SubjectKind.choices)
    outcome_labels = dict(Concern.Outcome.choices)
    for kind in Concern.SubjectKind.values:
        counts = by_subject.get(kind)
        if not counts:
            continue
        total = sum(counts.values())
        if total < SUMMARY_MINIMUM:
            withheld += total
            continue
        shown = [
            (outcome_labels[value], counts[value])
            for value in Concern.Outcome.values
            if counts[value] >= SUMMARY_MINIMUM
        ]
        rest = total - sum(n for _, n in shown)
        if 0 < rest < SUMMARY_MINIMUM and shown:
            # The remainder would reveal a small count: fold the smallest shown outcome in.
            _label, smallest = shown.pop()
            rest += smallest
        if rest:
            shown.append(("Other outcomes", rest))
        rows.append(SummaryRow(labels[kind], total, shown))
    return rows, withheld if withheld >= SUMMARY_MINIMUM else 0


# ------------------------------------------------------------------------------- clocks


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


@dataclass
class Clock:
    label: str
    due: date
    done_on: date | None
    late: bool

    @property
    def text(self) -> str:
        if self.done_on is not None:
            on_time = "late" if self.done_on > self.due else "on time"
            return f"Done {self.done_on:%d %B %Y} ({on_time})"
        return f"Late: was due {self.due:%d %B %Y}" if self.late else f"Due by {self.due:%d %B %Y}"


def clocks(concern: Concern, on: date | None = None) -> list[Clock]:
    """The whistleblowing directive's clocks: acknowledge within 7 days of receipt; feedback
    (the outcome) within 3 months of the acknowledgement, or of the end of those 7 days."""
    on = on or today()
    acknowledge_by = concern.received_on + timedelta(days=ACKNOWLEDGE_WITHIN_DAYS)
    start = min(concern.acknowledged_on or acknowledge_by, acknowledge_by)
    feedback_by = add_months(start, FEEDBACK_WITHIN_MONTHS)
    return [
        Clock(
            "Acknowledgement",
            acknowledge_by,
            concern.acknowledged_on,
            concern.acknowledged_on is None and on > acknowledge_by,
        ),
        Clock(
            "Feedback",
            feedback_by,
            concern.closed_on,
            concern.closed_on is None and on > feedback_by,
        ),
    ]
