"""Who may do what with bids (PRO-7, PRO-8), on the building blocks of
:mod:`commissioning.permissions` (ADR 0007).

* Approved provider members of an organisation prepare, submit and withdraw its bids, and read
  them (their own organisation's content) at any time.
* Approved members of an organisation named as a sub-contractor, or invited into a consortium,
  see what that bid promises *it*
  (nothing else of the bid) and confirm or decline.
* Only approved commissioners of the opportunity's commissioning body open the bids, and only
  after the bid deadline; they then read the submitted bids. Site administrators get no
  exception: a sealed bid is sealed for them too (ADR 0006).
"""

from __future__ import annotations

from typing import Any

from commissioning.accounts.models import User
from commissioning.bids.models import ConsortiumMember, Subcontractor
from commissioning.permissions import (
    Visitor,
    is_active_user,
    is_approved_member,
    is_commissioner_of,
    speaks_for,
)


def bidding_organisations(user: Visitor) -> list[Any]:
    """The organisations ``user`` may bid for: a provider member's approved memberships of
    organisations that are not commissioning bodies."""
    if not is_active_user(user) or user.role != User.Role.PROVIDER:
        return []
    return speaks_for(user)


def can_bid_for(user: Visitor, organisation: Any) -> bool:
    return (
        is_active_user(user)
        and user.role == User.Role.PROVIDER
        and not organisation.is_commissioning_body
        and is_approved_member(user, organisation.pk)
    )


def can_prepare_bid(user: Visitor, bid: Any) -> bool:
    """Edit, submit, withdraw and read one's own organisation's bid."""
    return can_bid_for(user, bid.organisation)


def can_answer_subcontract(user: Visitor, subcontractor: Subcontractor | ConsortiumMember) -> bool:
    """See the promise (or the invitation to bid together) and confirm or decline: approved
    members of the named organisation."""
    return is_approved_member(user, subcontractor.organisation_id)


def can_open_bids(user: Visitor, opportunity: Any) -> bool:
    """Open (after the deadline) and read the bids: approved commissioners of the body."""
    return is_commissioner_of(user, opportunity.exercise.commissioning_body_id)
