"""Every sign-in, sign-out, failed sign-in and lockout in the audit trail, whichever page or
flow it came through (receivers of Django's and axes' signals).

Events name the account by its id; a failure for a username or email address that belongs to no
account is recorded against no account, never with what was typed.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Q

from commissioning.accounts.models import User
from commissioning.accounts.throttling import cool_off
from commissioning.audit.services import Action, record

NO_SUCH_ACCOUNT = "(no such account)"


def _account(typed: Any) -> User | None:
    if not isinstance(typed, str) or not typed.strip():
        return None
    typed = typed.strip()
    return User.objects.filter(Q(username=typed) | Q(email__iexact=typed)).first()


def _target(typed: Any) -> User:
    """The account tried, or an unsaved stand-in that records nothing typed."""
    return _account(typed) or User(username=NO_SUCH_ACCOUNT)


def _address(request: Any) -> str:
    if request is None:
        return ""
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "")


def _through_the_site(request: Any) -> bool:
    """A sign-in or sign-out that came over HTTP. ``login()`` called with a bare HttpRequest (the
    test client's ``force_login``, a shell) is not someone signing in to the site."""
    return request is not None and request.method is not None


def signed_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    if _through_the_site(request):
        record(user, Action.SIGN_IN, user, {"address": _address(request)})


def signed_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if _through_the_site(request) and user is not None and user.is_authenticated:
        record(user, Action.SIGN_OUT, user, {"address": _address(request)})


def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    record(
        None,
        Action.SIGN_IN_FAILED,
        _target(credentials.get("username")),
        {"address": _address(request)},
    )


def locked_out(sender: Any, request: Any, username: Any, ip_address: Any, **kwargs: Any) -> None:
    """Axes signals every failure at or over the limit; the audit trail records the lockout
    once, when the limit is reached."""
    failures = getattr(request, "axes_failures_since_start", None)
    if failures != settings.AXES_FAILURE_LIMIT:
        return
    minutes = int(cool_off(request).total_seconds() // 60)
    record(
        None,
        Action.LOCKED_OUT,
        _target(username),
        {"address": ip_address or "", "failures": failures, "cool_off_minutes": minutes},
    )


def connect() -> None:
    user_logged_in.connect(signed_in, dispatch_uid="accounts.audit.signed_in")
    user_logged_out.connect(signed_out, dispatch_uid="accounts.audit.signed_out")
    user_login_failed.connect(sign_in_failed, dispatch_uid="accounts.audit.sign_in_failed")
    user_locked_out.connect(locked_out, dispatch_uid="accounts.audit.locked_out")
