"""The second factor in tests, completed for real: a confirmed authenticator (TOTP device) for
the person and either their session marked as verified by it (test clients) or a valid code
computed from its secret (the browser), exactly what a person with the app would give.

Signing a test client in (``force_login`` or ``login``) completes the second factor for people
who must use one or have one (tests/conftest.py wires this in); the two-factor tests use
:func:`password_only_login` to stop after the password, as a person does at the sign-in page.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from commissioning.accounts import two_factor
from commissioning.accounts.models import User

_force_login = Client.force_login
_login = Client.login


def password_only_login(client: Client, user: User) -> None:
    """Signed in with the password step alone (Django's own ``force_login``)."""
    _force_login(client, user)


def give_authenticator(user: User) -> TOTPDevice:
    """The person's confirmed authenticator, made with a random secret if they have none."""
    return two_factor.authenticator(user) or TOTPDevice.objects.create(
        user=user, name=two_factor.AUTHENTICATOR_NAME, confirmed=True, key=secrets.token_hex(20)
    )


def needs_second_factor(user: User) -> bool:
    return two_factor.is_required(user) or two_factor.has_authenticator(user)


def verify_session(client: Client, user: User) -> None:
    """Mark the client's session as verified by the person's authenticator (what
    ``django_otp.login`` does once a code is accepted)."""
    device = give_authenticator(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def _force_login_with_second_factor(self: Client, user: User, backend: str | None = None) -> None:
    _force_login(self, user, backend)
    if needs_second_factor(user):
        verify_session(self, user)


def _login_with_second_factor(self: Client, **credentials: Any) -> bool:
    if not _login(self, **credentials):
        return False
    user = User.objects.get(pk=self.session[SESSION_KEY])
    if needs_second_factor(user):
        verify_session(self, user)
    return True


def install(monkeypatch: Any) -> None:
    """Test clients complete both factors when they sign someone in."""
    monkeypatch.setattr(Client, "force_login", _force_login_with_second_factor)
    monkeypatch.setattr(Client, "login", _login_with_second_factor)


def next_code(device: TOTPDevice) -> str:
    """A code the device accepts now: the current one, or, when that one was already used (the
    same person signing in twice within 30 seconds), the next one, which the device's tolerance
    of one step for a fast clock accepts."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    now_step = totp.t()
    if now_step <= device.last_t:
        totp.drift = device.drift + (device.last_t + 1 - now_step)
    assert totp.t() <= now_step + device.tolerance, "no unused code within the tolerance"
    return f"{totp.token():0{device.digits}d}"


def code_for_secret(secret: str) -> str:
    """The current code for a secret key as the set-up page shows it (base32, in groups)."""
    from base64 import b32decode

    totp = TOTP(b32decode(secret.replace(" ", "")), 30, 0, 6, 0)
    totp.time = time.time()
    return f"{totp.token():06d}"
