"""Background emails about membership (django-tasks; enqueued with ``transaction.on_commit``).

Tasks take ids, not objects (arguments must be JSON), and re-read the database when they run.
Links are absolute, on ``settings.SITE_URL`` (e.g. ``https://commissioning.example``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from commissioning.accounts.models import Membership
from commissioning.notifications.links import absolute_url


def _send(subject: str, body: str, recipients: list[str]) -> int:
    """One message per recipient, so no one sees who else was told."""
    messages = [
        EmailMessage(subject=subject, body=body, to=[address]) for address in recipients if address
    ]
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


@task()
def notify_membership_requested(membership_id: int) -> int:
    """Tell the organisation's administrators (or the site administrators) someone is waiting."""
    from commissioning.accounts.services import membership_approvers

    membership = (
        Membership.objects.select_related("user", "organisation").filter(pk=membership_id).first()
    )
    if membership is None or membership.status != Membership.Status.PENDING:
        return 0
    organisation = membership.organisation
    context = {
        "membership": membership,
        "organisation": organisation,
        "person": membership.user.get_full_name() or membership.user.username,
        "members_url": absolute_url(reverse("accounts:members", args=[organisation.slug])),
        "service_name": settings.SERVICE_NAME,
    }
    body = render_to_string("accounts/email/membership_requested.txt", context)
    subject = f"{context['person']} is waiting to join {organisation.name}"
    recipients = [user.email for user in membership_approvers(organisation)]
    return _send(subject, body, recipients)


@task()
def notify_membership_decided(membership_id: int) -> int:
    """Tell the member whether their membership was approved or rejected."""
    membership = (
        Membership.objects.select_related("user", "organisation").filter(pk=membership_id).first()
    )
    if membership is None or membership.status == Membership.Status.PENDING:
        return 0
    approved = membership.status == Membership.Status.APPROVED
    context = {
        "membership": membership,
        "organisation": membership.organisation,
        "approved": approved,
        "person": membership.user.get_full_name() or membership.user.username,
        "account_url": absolute_url(reverse("accounts:profile")),
        "service_name": settings.SERVICE_NAME,
    }
    body = render_to_string("accounts/email/membership_decided.txt", context)
    verdict = "approved" if approved else "not approved"
    subject = f"Your membership of {membership.organisation.name} was {verdict}"
    return _send(subject, body, [membership.user.email])
