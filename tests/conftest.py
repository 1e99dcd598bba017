"""Shared test set-up: background tasks run immediately, email goes to the outbox."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API drives the browser from the same thread as the live server's client code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    # Real hashing costs ~0.5 s a user; tests of permissions create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: pytest.FixtureRequest) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fresh_throttle_counts() -> None:
    # The per-address limits count in the (process-wide) cache: each test starts from zero.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _sign_in_with_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test client that signs in someone who must use two-factor authentication (or has set it
    up) also gives the second factor, as a person at the sign-in page does (tests/two_factor.py)."""
    from tests import two_factor

    two_factor.install(monkeypatch)
