"""Telling people things: an in-app notification each, and one email each after commit.

Other apps call :func:`notify`; the email is sent by a background task once the transaction that
created the notifications commits, so nothing is sent for a change that rolled back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from commissioning.notifications.models import Notification
from commissioning.notifications.tasks import email_notifications

# The account model through permissions: notices sit in the kernel, below accounts.
from commissioning.permissions import User, Visitor, is_signed_in


def notify(
    recipients: Iterable[Any], *, subject: str, body: str, url: str, kind: str, email: bool = True
) -> int:
    """Create one notification per distinct active recipient and email each after commit
    (unless ``email`` is false: an alert its subscriber wants only on the platform); returns how
    many notifications were created."""
    seen: set[int] = set()
    rows: list[Notification] = []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(user=user, subject=subject[:200], body=body, url=url[:500], kind=kind)
        )
    if not rows:
        return 0
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created]
    if any(pk is None for pk in ids):  # backends without RETURNING: read them back
        ids = list(
            Notification.objects.filter(
                user_id__in=seen, subject=subject[:200], kind=kind, read_at__isnull=True
            )
            .order_by("-pk")
            .values_list("pk", flat=True)[: len(rows)]
        )
    if email:
        transaction.on_commit(lambda: email_notifications.enqueue(ids))
    return len(rows)


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(user: Visitor | None) -> int:
    if not is_signed_in(user):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when ``notification_ids`` is None);
    someone else's notifications are never touched. Returns how many changed."""
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=list(notification_ids))
    with transaction.atomic():
        return queryset.update(read_at=timezone.now())
