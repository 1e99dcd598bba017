"""Absolute links for email: a mail client cannot follow a path, so every link an email carries
starts with ``settings.SITE_URL`` (the address people reach the platform at, docs/deployment.md)."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` on the site's address; a link that is already absolute is left as it is."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL.rstrip('/')}/{path.lstrip('/')}"
