"""Background emails about membership (django-tasks; enqueued with ``transaction.on_commit``).

Tasks take ids, not objects (arguments must be JSON), and re-read the database when they run.
Links are absolute, on ``settings.SITE_URL`` (e.g. ``https://commissioning.example``).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from commissioning.accounts.models import Membership, User
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


def _account_email(template: str, subject: str, address: str, context: Mapping[str, object]) -> int:
    body = render_to_string(template, {**context, "service_name": settings.SERVICE_NAME})
    return _send(subject, body, [address])


@task()
def send_email_confirmation(user_id: int) -> int:
    """The link that confirms a new account's email address (single use, expiring)."""
    from commissioning.accounts.tokens import confirmation_path

    user = User.objects.filter(pk=user_id, email_verified=False, is_active=True).first()
    if user is None:
        return 0
    context = {
        "person": user.get_full_name() or user.username,
        "username": user.username,
        "confirm_url": absolute_url(confirmation_path(user)),
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    subject = f"Confirm your email address for {settings.SERVICE_NAME}"
    return _account_email("accounts/email/confirm_email.txt", subject, user.email, context)


@task()
def notify_registration_attempt(user_id: int) -> int:
    """Someone registered with an address that already has an account: tell its owner (the
    person registering sees only "check your email")."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    context = {
        "person": user.get_full_name() or user.username,
        "username": user.username,
        "sign_in_url": absolute_url(reverse("accounts:sign-in")),
        "reset_url": absolute_url(reverse("accounts:password-reset")),
    }
    subject = f"You already have an account on {settings.SERVICE_NAME}"
    return _account_email("accounts/email/already_registered.txt", subject, user.email, context)


@task()
def notify_username_taken(address: str) -> int:
    """Someone registered with a new address but a username already in use: tell them at that
    address (only its owner learns the username is taken)."""
    context = {"register_url": absolute_url(reverse("accounts:register"))}
    subject = f"Your registration on {settings.SERVICE_NAME} was not completed"
    return _account_email("accounts/email/username_taken.txt", subject, address, context)


@task()
def send_account_email(subject: str, body: str, address: str) -> int:
    """An email already written (a password reset link), sent from the queue."""
    return _send(subject, body, [address])
