"""Single-use, expiring links for confirming an email address.

The token is Django's password-reset token (HMAC of the account's state and a timestamp, valid
for ``PASSWORD_RESET_TIMEOUT``) over what confirming changes: once the address is confirmed, or
the address changes, every earlier link stops working.
"""

from __future__ import annotations

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from commissioning.accounts.models import User


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "commissioning.accounts.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return f"{user.pk}{user.email}{user.email_verified}{user.is_active}{timestamp}"


email_confirmation_token = EmailConfirmationTokenGenerator()


def confirmation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_token.make_token(user)
    return reverse("accounts:confirm-email", args=[uid, token])


def user_for_link(uidb64: str, token: str) -> User | None:
    """The account a confirmation link is for, if the link is genuine, unused and in date."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not email_confirmation_token.check_token(user, token):
        return None
    return user
