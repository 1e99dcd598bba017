"""A deployment secret read from settings, with the public development key only where it is
asked for explicitly (ADR 0006, issue 13): ``<NAME>_ALLOW_DEV_KEY`` beside ``<NAME>_KEY``.

Settings refuse to start without the key (settings.py); this is the run-time half, for code that
reads the key where settings may have been overridden (tests, management commands)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def configured_key(setting: str, development_key: str, missing: str) -> str:
    """The value of ``settings.<setting>`` (a name ending ``_KEY``); else ``development_key``
    where ``<prefix>_ALLOW_DEV_KEY`` is set; else :class:`ImproperlyConfigured` with
    ``missing`` as its message."""
    text = getattr(settings, setting, "")
    if text:
        return str(text)
    allow = setting.removesuffix("_KEY") + "_ALLOW_DEV_KEY"
    if not getattr(settings, allow, False):
        raise ImproperlyConfigured(missing)
    return development_key
