"""Background email for notifications (django-tasks; enqueued with ``transaction.on_commit``)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django_tasks import task

from commissioning.notifications.links import absolute_url
from commissioning.notifications.models import Notification


@task()
def email_notifications(notification_ids: list[int]) -> int:
    """One plain-text email per notification, so no one sees who else was told."""
    notifications = Notification.objects.select_related("user").filter(pk__in=notification_ids)
    messages = []
    for notification in notifications:
        address = notification.user.email
        if not address or not notification.user.is_active:
            continue
        body = notification.body
        if notification.url:
            body = f"{body}\n\nSee: {absolute_url(notification.url)}"
        body = f"{body}\n\n{settings.SERVICE_NAME}"
        messages.append(EmailMessage(subject=notification.subject, body=body.strip(), to=[address]))
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
