"""Navigation by role: what each kind of user sees in the service menu.

Everyone sees the provider directory, the commissioning exercises, the opportunities, the
contracts, the market map and the national standards' summary (MKT-1, CYC-1, PRO-4, SUP-1,
MKT-3: published to all). Signed-in users see their account and
"Sign out" (a confirmation page; signing out is a POST). Beyond that the menu follows what the
user may do, asking :mod:`commissioning.permissions`:

* a commissioner who may create exercises: "Create an exercise";
* an organisation administrator: "Members" (approving people who ask to join the organisation);
* a provider member, a commissioner (the studies linked to their bodies' exercises, and any
  their own organisation uploaded) and a site administrator: "Outcome studies" (OUT-1);
* a data steward: "National extract" (its versions; OUT-1);
* an inspector: "Inspection" (every commissioning body's compliance report; MKT-3);
* an approved member of a provider organisation: "Messages", with the unread count (PRO-6);
* an independent reviewer: "Concerns" and "Mediation" (the open mediation requests);
* a site administrator: "Audit trail" and "Administration" (the Django admin).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

from commissioning import permissions
from commissioning.partnering import access as partnering_access
from commissioning.partnering import messaging

ADMIN_URL = "/admin/"


@dataclass(frozen=True)
class NavItem:
    """One service-menu link. ``active``: the page is in this section (the longest matching link
    wins); ``current``: the page is exactly this link (``aria-current="page"``)."""

    label: str
    url: str
    active: bool
    current: bool = False


@lru_cache(maxsize=256)  # bounded: the prefix comes from the request's SCRIPT_NAME
def _address(name: str, script_prefix: str, urlconf: str) -> str:
    return reverse(name, urlconf=urlconf)


def _url(name: str) -> str:
    """The address of the view ``name`` (one that takes no arguments), worked out once a process
    for each prefix and URL tree: every page's menu names about twenty (issue 21)."""
    return _address(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def menu_items(user: permissions.Visitor) -> list[tuple[str, str]]:
    """The (label, url) pairs of the service menu for ``user`` (anonymous or signed in)."""
    items: list[tuple[str, str]] = [
        ("Provider directory", _url("directory:list")),
        ("Commissioning exercises", _url("exercises:list")),
        ("Opportunities", _url("procurement:list")),
        ("Contracts", _url("contracts:list")),
        ("Market map", _url("stewardship:market")),  # MKT-1: who the market is
        ("National standards", _url("standards:summary")),  # MKT-3: the public summary
    ]
    if not user.is_authenticated:
        items.append(("Sign in", _url("accounts:sign-in")))
        items.append(("Register", _url("accounts:register")))
        return items
    memberships = permissions.memberships_of(user)  # one query answers the next four
    if user.role == user.Role.COMMISSIONER and permissions.can_create_exercise(user, memberships):
        items.append(("Create an exercise", _url("exercises:create")))
    members_slug = next((m.slug for m in memberships if m.is_org_admin), None)
    if members_slug:
        items.append(("Members", reverse("accounts:members", args=[members_slug])))
    if user.role in (user.Role.PROVIDER, user.Role.COMMISSIONER) or user.is_site_admin:
        items.append(("Outcome studies", _url("outcomes:list")))
    if permissions.is_data_steward(user):  # OUT-1: the national extract, theirs alone
        items.append(("National extract", _url("outcomes:extracts")))
    if partnering_access.can_message(user, memberships):  # PRO-6: members of providers
        unread = messaging.unread_count(user, {m.organisation_id for m in memberships})
        label = f"Messages ({unread} unread)" if unread else "Messages"
        items.append((label, _url("partnering:inbox")))
    if memberships:  # LAW-3: invoices under its contracts
        items.append(("Your contracts", _url("web:your-contracts")))
    if user.role in (user.Role.PROVIDER, user.Role.PROBATION):  # REF-1: to and from them
        items.append(("Referrals", _url("referrals:mine")))
    if user.role == user.Role.EVALUATOR:
        items.append(("Your evaluations", _url("evaluation:mine")))  # EVA-5
    if permissions.is_inspector(user):  # MKT-3: every body's compliance report
        items.append(("Inspection", _url("standards:inspection")))
    if user.role == user.Role.REVIEWER:
        items.append(("Concerns", _url("concerns_review:inbox")))  # SUP-5
        items.append(("Mediation", _url("mediation:open")))  # SUP-3
    providers = [m for m in memberships if not m.is_commissioning_body]
    if user.role == user.Role.REVIEWER or providers:  # SUP-4: run the surveys or answer them
        items.append(("Supply-chain surveys", _url("supply_survey:index")))
    items.append(("Your account", _url("accounts:profile")))
    if permissions.can_view_audit(user):
        items.append(("Audit trail", _url("audit:list")))
    if user.is_site_admin:
        items.append(("Administration", ADMIN_URL))
    items.append(("Sign out", _url("accounts:sign-out")))
    return items


def navigation_for(request: HttpRequest) -> list[NavItem]:
    items = menu_items(request.user)
    path = request.path
    matching = [url for _label, url in items if url != "/" and path.startswith(url)]
    active_url = max(matching, key=len) if matching else None
    return [
        NavItem(label, url, active=url == active_url, current=url == path) for label, url in items
    ]


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
