"""Who may do what with bids (PRO-7, PRO-8). To be folded into :mod:`commissioning.permissions`
by the lead, like :mod:`commissioning.procurement.access`.

* Approved provider members of an organisation prepare, submit and withdraw its bids, and read
  them (their own organisation's content) at any time.
* Approved members of an organisation named as a sub-contractor see what that bid promises *it*
  (nothing else of the bid) and confirm or decline.
* Only approved commissioners of the opportunity's commissioning body open the bids, and only
  after the bid deadline; they then read the submitted bids. Site administrators get no
  exception: a sealed bid is sealed for them too (ADR 0006).
"""

from __future__ import annotations

from typing import Any

from commissioning.permissions import is_active_user, is_approved_member


def bidding_organisations(user: Any) -> list[Any]:
    """The organisations ``user`` may bid for: approved provider memberships of organisations
    that are not commissioning bodies."""
    from commissioning.directory.models import Organisation

    if not is_active_user(user) or user.role != "provider":
        return []
    return list(
        Organisation.objects.filter(
            memberships__user=user,
            memberships__status="approved",
            is_commissioning_body=False,
        ).order_by("name")
    )


def can_bid_for(user: Any, organisation: Any) -> bool:
    return (
        is_active_user(user)
        and user.role == "provider"
        and not organisation.is_commissioning_body
        and is_approved_member(user, organisation.pk)
    )


def can_prepare_bid(user: Any, bid: Any) -> bool:
    """Edit, submit, withdraw and read one's own organisation's bid."""
    return can_bid_for(user, bid.organisation)


def can_answer_subcontract(user: Any, subcontractor: Any) -> bool:
    """See the promise and confirm or decline: approved members of the named organisation."""
    return is_approved_member(user, subcontractor.organisation_id)


def can_open_bids(user: Any, opportunity: Any) -> bool:
    """Open (after the deadline) and read the bids: approved commissioners of the body."""
    return (
        is_active_user(user)
        and user.role == "commissioner"
        and is_approved_member(user, opportunity.exercise.commissioning_body_id)
    )
