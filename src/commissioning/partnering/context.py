"""What the partnering includes need, for pages other apps own (the opportunity page, an
organisation's directory page). Each function returns a dict for one include:

* :func:`partnering_for_lot` → ``partnering/lot_section.html`` (``with partnering=...``);
* :func:`partnering_for_organisation` → ``partnering/organisation_section.html``.

Both are also available as inclusion tags: ``{% load partnering %}`` then
``{% partnering_lot_section lot %}`` / ``{% partnering_organisation_section organisation %}``.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from commissioning.directory.models import Organisation
from commissioning.partnering import access, messaging, services
from commissioning.permissions import Visitor
from commissioning.procurement.models import Interest, Lot


def lot_url(name: str, lot: Lot, *args: Any) -> str:
    return reverse(f"partnering:{name}", args=[lot.opportunity.reference, lot.number, *args])


def partnering_for_lot(user: Visitor, lot: Lot, heading_level: int = 4) -> dict[str, Any]:
    """Interest in ``lot`` as ``user`` may see it, and what they can do next (PRO-6).
    ``heading_level``: the section's heading (4 under the opportunity page's h3 per lot)."""
    open_for_bids = services.is_open(lot)
    see_all = access.can_see_all_interests(user, lot)
    counts = services.interest_counts(lot)
    own = services.own_interests(user, lot)
    all_interests: list[Interest] = (
        list(lot.interests.select_related("organisation").order_by("organisation__name"))
        if see_all
        else []
    )
    can_register = access.can_register_interest(user, lot, open_for_bids=open_for_bids)
    registered_ids = {interest.organisation_id for interest in own}
    can_register_more = can_register and any(
        org.pk not in registered_ids for org in access.interest_organisations(user, lot)
    )
    return {
        "lot": lot,
        "heading_level": heading_level,
        "open_for_bids": open_for_bids,
        "see_all": see_all,
        "total_count": counts.total,
        "private_count": counts.private,
        "public_count": counts.public,
        "all_interests": all_interests,
        "own_interests": own,
        "can_change": open_for_bids and bool(own),
        "can_register": can_register_more,
        "register_url": lot_url("interest", lot),
        "withdraw_url": lot_url("withdraw", lot),
        "partners_url": lot_url("lot", lot),
    }


def partnering_for_organisation(user: Visitor, organisation: Organisation) -> dict[str, Any]:
    """Whether ``user`` can message ``organisation``, and their existing conversations with it."""
    can_start = access.can_start_conversation(user, organisation)
    conversations = (
        list(messaging.conversations_between(user, organisation)[:5]) if can_start else []
    )
    return {
        "organisation": organisation,
        "can_message": can_start,
        "start_url": reverse("partnering:start", args=[organisation.slug]),
        "conversations": conversations,
    }
