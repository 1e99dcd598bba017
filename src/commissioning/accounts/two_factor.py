"""Two-factor sign-in: an authenticator app (TOTP, django-otp) with single-use recovery codes.

Who must use it is a setting (``TWO_FACTOR_REQUIRED_ROLES``): the people who decide where money
goes, score bids, review, see referral data or run the site. For everyone else it is optional.
A person with a confirmed authenticator enters a code after the password before anything else;
a person who must use one and has none sets one up first. :class:`TwoFactorMiddleware` enforces
both in one place; the sign-in view only sends the person to the right page
(:func:`after_password`).

Each function that changes something is one user action: one transaction with its audit record.
Wrong codes are audited as failures and slow further tries down (django-otp's throttling).
"""

from __future__ import annotations

import math
from base64 import b32encode
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from commissioning.accounts.models import User
from commissioning.audit.services import Action, record
from commissioning.permissions import Visitor

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
NEW_CODES_SESSION_KEY = "two_factor_new_recovery_codes"
"""Recovery codes just made, kept in the session until the page that shows them once."""

WRONG_CODE = "The code is not correct. Enter the 6-digit code your authenticator app shows now"
WRONG_RECOVERY_CODE = "The recovery code is not correct or has already been used"
CODE_FORMAT = "Enter the 6-digit code from your authenticator app, or one of your recovery codes"
SETUP_CODE_FORMAT = "Enter the 6-digit code from your authenticator app"
FINISH_SIGN_IN = "Finish signing in: enter the code from your authenticator app."
SET_UP_FIRST = "Set up two-factor authentication before you continue."
API_REFUSAL = "Finish signing in with two-factor authentication before using the API."


class Step(StrEnum):
    """What a signed-in person still has to do before the site is open to them."""

    VERIFY = "verify"
    SET_UP = "set-up"


def is_required(user: Visitor) -> bool:
    """Whether ``user``'s role must use two-factor sign-in (site administrators by flag too)."""
    required = set(getattr(settings, "TWO_FACTOR_REQUIRED_ROLES", ()))
    if getattr(user, "is_superuser", False) and User.Role.ADMIN in required:
        return True
    return getattr(user, "role", None) in required


def authenticator(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator, if they set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_step(user: Visitor) -> Step | None:
    """For a signed-in person: the two-factor step still to do, or None when there is none."""
    if not user.is_authenticated or _is_verified(user):
        return None
    if has_authenticator(user):
        return Step.VERIFY
    if is_required(user):
        return Step.SET_UP
    return None


def _is_verified(user: Visitor) -> bool:
    is_verified: Callable[[], bool] | None = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def step_url(step: Step, next_url: str = "") -> str:
    name = "accounts:two-factor-verify" if step is Step.VERIFY else "accounts:two-factor-set-up"
    return with_next(name, next_url)


def with_next(name: str, next_url: str) -> str:
    """The address of the view ``name``, carrying where the person goes afterwards."""
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def safe_next(request: HttpRequest, default: str = "") -> str:
    """The ``next`` the person came with, if it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def after_password(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The sign-in view's hook once the password is right: a person with a second factor to
    give (or to set up) goes there, carrying where they were going. Every sign-in asks for the
    second factor afresh, even where the session had one from before."""
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    step = pending_step(request.user)
    if step is None or not isinstance(response, HttpResponseRedirect):
        return response
    return HttpResponseRedirect(step_url(step, response.url))


# ---------------------------------------------------------------------- setting up
def pending_authenticator(user: User) -> TOTPDevice:
    """The authenticator being set up: made once, then the same secret on every visit until the
    person confirms it with a code (so a reload does not change the QR code they scanned)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it by hand: base32 in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` address as an inline SVG QR code, drawn on the server (no script, no
    style attribute, no third party seeing the secret)."""
    qr = segno.make(device.config_url, error="m")
    return str(
        qr.svg_inline(
            scale=4,
            dark="#0b0c0c",
            light="#ffffff",
            title="QR code to scan with your authenticator app",
            svgclass="app-qr-code",
            lineclass=None,
        )
    ).replace("<svg ", '<svg role="img" focusable="false" ', 1)


class CodeRefused(Exception):
    """A code that did not verify; the message says why, for the form field."""


@dataclass(frozen=True)
class Enrolled:
    device: TOTPDevice
    recovery_codes: list[str]


def confirm_authenticator(request: HttpRequest, code: str) -> Enrolled:
    """Confirm the authenticator being set up with a code from it, make the recovery codes and
    finish the sign-in with it. A wrong code is audited and raises :class:`CodeRefused`."""
    user = request.user
    assert isinstance(user, User)
    token = _digits(code)
    if token is None:
        raise CodeRefused(SETUP_CODE_FORMAT)
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None:
            raise CodeRefused("Start again: the set-up page shows a new secret")
        refusal = _check(user, device, token, WRONG_CODE, "authenticator set-up")
        if refusal is None:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _replace_recovery_codes(user)
            record(user, Action.TWO_FACTOR_ENABLE, user, {"user_id": user.pk})
    # Raised after the transaction: the failure's audit event and throttling count stay.
    if refusal is not None:
        raise CodeRefused(refusal)
    _finish_sign_in(request, device)
    request.session[NEW_CODES_SESSION_KEY] = codes
    return Enrolled(device, codes)


def new_recovery_codes(request: HttpRequest) -> list[str]:
    """Ten new recovery codes; the old ones stop working. Shown once."""
    user = request.user
    assert isinstance(user, User)
    with transaction.atomic():
        codes = _replace_recovery_codes(user)
        record(user, Action.TWO_FACTOR_NEW_RECOVERY_CODES, user, {"user_id": user.pk})
    request.session[NEW_CODES_SESSION_KEY] = codes
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def take_new_recovery_codes(request: HttpRequest) -> list[str]:
    """The codes just made, once: a reload of the page no longer shows them."""
    return list(request.session.pop(NEW_CODES_SESSION_KEY, []))


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def turn_off(request: HttpRequest) -> None:
    """Remove the person's authenticator and recovery codes (only where it is optional)."""
    user = request.user
    assert isinstance(user, User)
    if is_required(user):
        raise CodeRefused("Your role must use two-factor authentication: it cannot be turned off")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record(user, Action.TWO_FACTOR_DISABLE, user, {"user_id": user.pk})
    request.session.pop(DEVICE_ID_SESSION_KEY, None)


# ---------------------------------------------------------------------- signing in
def verify(request: HttpRequest, code: str) -> None:
    """The second step of signing in: a code from the authenticator or an unused recovery code.
    Success and failure are audited; a wrong code raises :class:`CodeRefused`."""
    user = request.user
    assert isinstance(user, User)
    given = "".join(code.split()).replace("-", "").lower()
    if not given:
        raise CodeRefused(CODE_FORMAT)
    token = _digits(given)
    with transaction.atomic():
        if token is not None:
            device: TOTPDevice | StaticDevice | None = authenticator(user)
            wrong, method = WRONG_CODE, "authenticator app"
        else:
            device = StaticDevice.objects.filter(user=user).order_by("pk").first()
            wrong, method = WRONG_RECOVERY_CODE, "recovery code"
        if device is not None:
            device = type(device).objects.select_for_update().get(pk=device.pk)
        refusal = _check(user, device, token or given, wrong, method)
        if refusal is None:
            action = Action.TWO_FACTOR_VERIFY if token else Action.TWO_FACTOR_RECOVERY
            changes: dict[str, Any] = {"user_id": user.pk, "method": method}
            if token is None:
                changes["recovery_codes_left"] = recovery_codes_left(user)
            record(user, action, user, changes)
    # Raised after the transaction: the failure's audit event and throttling count stay.
    if refusal is not None or device is None:
        raise CodeRefused(refusal or wrong)
    if token is None:
        # The authenticator stays the session's device: a recovery code stands in for it once.
        _finish_sign_in(request, authenticator(user) or device)
    else:
        _finish_sign_in(request, device)


def _digits(code: str) -> str | None:
    token = "".join(code.split())
    return token if len(token) == 6 and token.isdigit() else None


def _check(
    user: User, device: TOTPDevice | StaticDevice | None, token: str, wrong: str, method: str
) -> str | None:
    """None when ``device`` accepts ``token``; otherwise why not, with the failure audited (and
    counted by the device's throttling, which makes each further try wait longer)."""
    if device is None:
        _record_failure(user, method)
        return wrong
    allowed, details = device.verify_is_allowed()
    if not allowed:
        _record_failure(user, method)
        locked_until = (details or {}).get("locked_until")
        wait = 1
        if locked_until is not None:
            wait = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
        unit = "second" if wait == 1 else "seconds"
        return f"Too many wrong codes. Wait {wait} {unit}, then enter the code shown at that time"
    if device.verify_token(token):
        return None
    _record_failure(user, method)
    return wrong


def _record_failure(user: User, method: str) -> None:
    record(user, Action.TWO_FACTOR_FAILURE, user, {"user_id": user.pk, "method": method})


def _finish_sign_in(request: HttpRequest, device: TOTPDevice | StaticDevice) -> None:
    # A new session key once the second factor is given, as Django does after the password.
    request.session.cycle_key()
    otp_login(request, device)


# ---------------------------------------------------------------------- enforcement
_OPEN_TO = {
    Step.VERIFY: {"accounts:two-factor-verify", "accounts:sign-out"},
    Step.SET_UP: {"accounts:two-factor-set-up", "accounts:sign-out"},
}


class TwoFactorMiddleware:
    """After ``OTPMiddleware``: a signed-in person with a second factor still to give (or, where
    their role requires one, to set up) reaches only that page and sign-out. Pages redirect
    there, the API answers 403 in its error shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = pending_step(request.user)
        if step is None or _view_name(request) in _OPEN_TO[step]:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": API_REFUSAL, "errors": {}}, status=403)
        next_url = request.get_full_path() if request.method == "GET" else ""
        return HttpResponseRedirect(step_url(step, next_url))


def _view_name(request: HttpRequest) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""
