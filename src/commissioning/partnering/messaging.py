"""Messaging between organisations on the platform (PRO-6): start a conversation (optionally about
a lot), reply, read; unread counts; the inbox.

Starting and replying are each one transaction: the message, its audit record (which notes the
message's length, never its text: the audit trail is not a way to read other people's mail) and a
notification to every approved member of the other organisation (in-app now, by email after
commit).
"""

from __future__ import annotations

from datetime import datetime
from functools import cache as memoise
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from commissioning import idempotency
from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.directory.models import Organisation
from commissioning.notifications.services import notify
from commissioning.partnering import access
from commissioning.partnering.models import Conversation, Message, ReadMarker
from commissioning.partnering.rules import TextProblem, clean_message_text, clean_subject
from commissioning.permissions import Visitor, approved_members, is_signed_in
from commissioning.procurement.models import Lot

NOTIFICATION_KIND = "partnering.message"


class Action:
    START = "conversation.start"
    REPLY = "conversation.reply"


def _clean(fields: dict[str, tuple[Any, str]]) -> dict[str, str]:
    """Run each cleaner; collect every problem keyed by field before raising."""
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for name, (cleaner, value) in fields.items():
        try:
            cleaned[name] = cleaner(value)
        except TextProblem as problem:
            errors[name] = [str(problem)]
    if errors:
        raise ValidationError(errors)
    return cleaned


def start_conversation(
    actor: User,
    *,
    sender: Organisation,
    recipient: Organisation,
    subject: str,
    body: str,
    lot: Lot | None = None,
    now: datetime | None = None,
    submission_key: str = "",
) -> Conversation:
    """Open a conversation from ``sender`` (which ``actor`` is an approved member of) with
    ``recipient``, with its first message. Raises PermissionDenied or ValidationError keyed by
    ``subject`` / ``body``. Sent again with the same ``submission_key``, it returns the
    conversation already started (issue 11 item 25)."""
    if sender.pk == recipient.pk or not access.can_start_conversation(actor, recipient):
        raise PermissionDenied("You cannot message this organisation.")
    if sender.pk not in {org.pk for org in access.speaks_for(actor)}:
        raise PermissionDenied("You are not an approved member of that organisation.")
    if lot is not None and not access.can_view_lot(actor, lot):
        raise PermissionDenied("No such lot.")
    cleaned = _clean({"subject": (clean_subject, subject), "body": (clean_message_text, body)})
    key = idempotency.clean_key(submission_key)
    message, _ = idempotency.create_once(
        lambda: _sent_before(actor, key),
        lambda: _start(actor, sender, recipient, lot, cleaned, now or timezone.now(), key),
    )
    return message.conversation


def _sent_before(actor: User, key: str) -> Message | None:
    """The message ``actor`` sent with this submission key, if any."""
    if not key:
        return None
    return (
        Message.objects.select_related("conversation")
        .filter(author=actor, submission_key=key)
        .first()
    )


def _start(
    actor: User,
    sender: Organisation,
    recipient: Organisation,
    lot: Lot | None,
    cleaned: dict[str, str],
    now: datetime,
    key: str,
) -> Message:
    with transaction.atomic():
        conversation = Conversation.objects.create(
            lot=lot,
            started_by_organisation=sender,
            with_organisation=recipient,
            subject=cleaned["subject"],
            created_by=actor,
            last_message_at=now,
        )
        message = _add_message(actor, conversation, sender.pk, cleaned["body"], now, key)
        record(
            actor,
            Action.START,
            conversation,
            {
                "from": sender.name,
                "to": recipient.name,
                "lot": str(lot) if lot else None,
                "characters": len(message.body),
            },
        )
        _notify(actor, conversation, sender, recipient)
    return message


def reply(
    actor: User,
    conversation: Conversation,
    body: str,
    now: datetime | None = None,
    submission_key: str = "",
) -> Message:
    """Add ``actor``'s message to ``conversation`` for their organisation. Raises
    PermissionDenied (not a member of either organisation) or ValidationError keyed by ``body``.
    Sent again with the same ``submission_key``, it returns the message already sent."""
    sender_id = access.sender_organisation_id(actor, conversation)
    if sender_id is None:
        raise PermissionDenied("Only the two organisations' members can reply.")
    cleaned = _clean({"body": (clean_message_text, body)})
    key = idempotency.clean_key(submission_key)
    message, _ = idempotency.create_once(
        lambda: _sent_before(actor, key),
        lambda: _reply(actor, conversation, sender_id, cleaned["body"], now or timezone.now(), key),
    )
    return message


def _reply(
    actor: User, conversation: Conversation, sender_id: int, body: str, now: datetime, key: str
) -> Message:
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        message = _add_message(actor, locked, sender_id, body, now, key)
        record(actor, Action.REPLY, locked, {"characters": len(message.body)})
        sender, recipient = _sides(locked, sender_id)
        _notify(actor, locked, sender, recipient)
    conversation.last_message_at = locked.last_message_at
    return message


def _sides(conversation: Conversation, sender_id: int) -> tuple[Organisation, Organisation]:
    starter, other = conversation.started_by_organisation, conversation.with_organisation
    return (starter, other) if starter.pk == sender_id else (other, starter)


def _add_message(
    actor: User, conversation: Conversation, sender_id: int, body: str, now: datetime, key: str
) -> Message:
    message = Message.objects.create(
        conversation=conversation,
        sender_organisation_id=sender_id,
        author=actor,
        body=body,
        created_at=now,
        submission_key=key,
    )
    if conversation.last_message_at != now:
        conversation.last_message_at = now
        conversation.save(update_fields=["last_message_at"])
    ReadMarker.objects.update_or_create(
        conversation=conversation, user=actor, defaults={"read_at": now}
    )
    return message


def _notify(
    actor: User, conversation: Conversation, sender: Organisation, recipient: Organisation
) -> int:
    """Tell the other organisation's approved members (not the author) about the message."""
    people = approved_members([recipient.pk]).exclude(pk=actor.pk)
    about = f" about {conversation.lot}" if conversation.lot_id else ""
    return notify(
        people.distinct(),
        subject=f"New message from {sender.name}: {conversation.subject}",
        body=(
            f"{sender.name} sent {recipient.name} a message{about} on the platform. "
            "Sign in to read it and reply."
        ),
        url=conversation.get_absolute_url(),
        kind=NOTIFICATION_KIND,
    )


def mark_read(user: User, conversation: Conversation, now: datetime | None = None) -> None:
    """Record that ``user`` has read ``conversation`` up to now."""
    ReadMarker.objects.update_or_create(
        conversation=conversation, user=user, defaults={"read_at": now or timezone.now()}
    )


def conversations_for(user: Visitor) -> QuerySet[Conversation]:
    """The conversations of ``user``'s organisations, latest activity first, each with its latest
    message's text and sender."""
    ids = access.approved_organisation_ids(user)
    latest = Message.objects.filter(conversation=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        Conversation.objects.filter(
            Q(started_by_organisation_id__in=ids) | Q(with_organisation_id__in=ids)
        )
        .select_related("started_by_organisation", "with_organisation", "lot__opportunity")
        .annotate(
            latest_body=Subquery(latest.values("body")[:1]),
            latest_sender=Subquery(latest.values("sender_organisation__name")[:1]),
        )
        .order_by("-last_message_at", "-pk")
    )


def _unread_messages(user: Visitor, ids: set[int] | None = None) -> QuerySet[Message]:
    if ids is None:
        ids = access.approved_organisation_ids(user)
    if not ids or not is_signed_in(user):
        return Message.objects.none()
    # Unread: no marker of this person's on its conversation as late as the message (a person
    # has one marker a conversation). A filter, not an annotation, so that counting it is one
    # plain COUNT: every signed-in provider's menu asks (issue 21).
    read = ReadMarker.objects.filter(
        conversation=OuterRef("conversation"), user=user, read_at__gte=OuterRef("created_at")
    )
    return (
        Message.objects.filter(
            Q(conversation__started_by_organisation_id__in=ids)
            | Q(conversation__with_organisation_id__in=ids)
        )
        .exclude(sender_organisation_id__in=ids)
        .filter(~Exists(read))
    )


def unread_count(user: Visitor, organisation_ids: set[int] | None = None) -> int:
    """Messages from other organisations that ``user`` has not read yet; ``organisation_ids``
    (those ``user`` is an approved member of), when the caller has them, saves a query.

    Every page a provider's member sees counts these for the menu, so the count is one
    statement written out (:func:`_count_unread_sql`) rather than the ORM query of
    :func:`_unread_messages`, whose building cost ten times the statement's own time (issue
    21). The two say the same: ``tests/integration/test_partnering_messages.py`` compares them.
    """
    if not is_signed_in(user):
        return 0
    ids = access.approved_organisation_ids(user) if organisation_ids is None else organisation_ids
    if not ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_count_unread_sql(len(ids)), [*ids, *ids, *ids, user.pk])
        return int(cursor.fetchone()[0])


@memoise
def _count_unread_sql(organisations: int) -> str:
    """:func:`_unread_messages` counted, for ``organisations`` organisation ids."""
    ids = ", ".join(["%s"] * organisations)
    message, conversation, marker = (
        connection.ops.quote_name(model._meta.db_table)
        for model in (Message, Conversation, ReadMarker)
    )
    return (
        f"SELECT COUNT(*) FROM {message} AS m"
        f" INNER JOIN {conversation} AS c ON m.conversation_id = c.id"
        f" WHERE (c.started_by_organisation_id IN ({ids}) OR c.with_organisation_id IN ({ids}))"
        f" AND m.sender_organisation_id NOT IN ({ids})"
        f" AND NOT EXISTS (SELECT 1 FROM {marker} AS r WHERE r.conversation_id = m.conversation_id"
        " AND r.user_id = %s AND r.read_at >= m.created_at)"
    )


def unread_by_conversation(user: Visitor, conversation_ids: list[int]) -> dict[int, int]:
    rows = (
        _unread_messages(user)
        .filter(conversation_id__in=conversation_ids)
        .values("conversation_id")
        .annotate(n=Count("pk"))
    )
    return {row["conversation_id"]: row["n"] for row in rows}


def conversations_between(user: Visitor, organisation: Organisation) -> QuerySet[Conversation]:
    """``user``'s organisations' conversations with ``organisation``."""
    ids = access.approved_organisation_ids(user) - {organisation.pk}
    return conversations_for(user).filter(
        Q(started_by_organisation_id__in=ids, with_organisation=organisation)
        | Q(with_organisation_id__in=ids, started_by_organisation=organisation)
    )
