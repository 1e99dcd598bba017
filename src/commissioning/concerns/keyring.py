"""Keeping a reviewer's unlocked private key for their signed-in session (SUP-5).

The choice (docs/concerns.md): the private key is kept in the session encrypted under a random
key that lives only in a cookie of the reviewer's browser (HttpOnly, SameSite=Strict, no expiry:
gone when the browser closes), so the session table alone, a backup or a site administrator
cannot use it; the session's end (signing out, its expiry) forgets it. The risk taken: while
the reviewer is signed in, someone holding both the database and that browser's cookie can
read what the reviewer can.
"""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from commissioning.concerns import crypto

SESSION_KEY = "concerns_locked_private_key"
COOKIE_NAME = "concerns_unlock"


def remember(request: HttpRequest, response: HttpResponse, private_key: bytes) -> None:
    cookie_key = crypto.new_data_key()
    sealed = crypto.encrypt(cookie_key, private_key)
    request.session[SESSION_KEY] = base64.b64encode(sealed).decode()
    response.set_cookie(
        COOKIE_NAME,
        base64.urlsafe_b64encode(cookie_key).decode(),
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def unlocked(request: HttpRequest) -> bytes | None:
    held: Any = request.session.get(SESSION_KEY)
    cookie = request.COOKIES.get(COOKIE_NAME)
    if not held or not cookie:
        return None
    try:
        return crypto.decrypt(base64.urlsafe_b64decode(cookie), base64.b64decode(held))
    except (crypto.CannotOpen, ValueError):
        return None


def forget(request: HttpRequest, response: HttpResponse) -> None:
    request.session.pop(SESSION_KEY, None)
    response.delete_cookie(COOKIE_NAME, samesite="Strict")
