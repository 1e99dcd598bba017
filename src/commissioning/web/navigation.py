"""Navigation by role: what each kind of user sees in the service menu."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from commissioning import permissions


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def navigation_for(request: HttpRequest) -> list[NavItem]:
    user = request.user
    items: list[tuple[str, str]] = [
        ("Provider directory", reverse("directory:list")),
        ("Commissioning exercises", reverse("exercises:list")),
    ]
    if user.is_authenticated:
        items.append(("Your account", reverse("accounts:profile")))
        if permissions.can_view_audit(user):
            items.append(("Audit trail", reverse("audit:list")))
        items.append(("Sign out", reverse("accounts:sign-out")))
    else:
        items.append(("Sign in", reverse("accounts:sign-in")))
        items.append(("Register", reverse("accounts:register")))
    path = request.path
    return [NavItem(label, url, path.startswith(url) and url != "/") for label, url in items]


_SYNTHETIC_CACHE: dict[str, tuple[float, bool]] = {}
_SYNTHETIC_TTL_SECONDS = 30.0


def synthetic_data_present() -> bool:
    """Whether any synthetic record is loaded; cached briefly so pages do not query every time."""
    from commissioning.directory.models import Organisation

    now = time.monotonic()
    cached = _SYNTHETIC_CACHE.get("value")
    if cached and now - cached[0] < _SYNTHETIC_TTL_SECONDS:
        return cached[1]
    present = Organisation.objects.filter(is_synthetic=True).exists()
    _SYNTHETIC_CACHE["value"] = (now, present)
    return present


def reset_synthetic_cache() -> None:
    _SYNTHETIC_CACHE.clear()
