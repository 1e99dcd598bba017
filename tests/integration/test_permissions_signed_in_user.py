"""Pages behind sign-in hand the write services the signed-in account, typed as the account model,
through :func:`commissioning.permissions.signed_in_user` (issue 12, types stop at the user); the
public that reaches one is refused, never passed on as a user."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from commissioning.accounts.models import User
from commissioning.permissions import signed_in_user


def test_signed_in_user_is_the_account_making_the_request_making_the_request() -> None:
    request = RequestFactory().get("/")
    person = User(username="sam")
    request.user = person
    assert signed_in_user(request) is person


def test_signed_in_user_refuses_the_public() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        signed_in_user(request)
