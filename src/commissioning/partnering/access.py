"""Who may do what in partner finding and messaging (PRO-6, PRO-11), on the building blocks of
:mod:`commissioning.permissions` (ADR 0007).

* Interest: an approved member of a provider organisation (not a commissioning body, and not the
  exercise's commissioning body or one of its partners: an organisation cannot commission and bid
  in the same exercise, PRO-11) registers, changes and withdraws its interest while the
  opportunity is open for bids.
* Seeing interest: everyone who may see the opportunity sees the interests that are not private;
  members of an organisation see its own interest; the exercise's commissioners (and site
  administrators) see every interest, private ones included.
* Messaging is between provider organisations: an approved member of one starts a conversation
  with another; approved members of the two organisations read and reply; nobody else (a
  commissioner, a site administrator, a member of a third organisation, a pending member) does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from commissioning.permissions import (
    MemberOf,
    Visitor,
    is_active_user,
    memberships_of,
    speaks_for,
)
from commissioning.procurement import access as procurement_access

if TYPE_CHECKING:
    from collections.abc import Sequence

    from commissioning.directory.models import Organisation
    from commissioning.partnering.models import Conversation
    from commissioning.procurement.models import Lot


def approved_organisation_ids(user: Visitor) -> set[int]:
    if not is_active_user(user):
        return set()
    return set(user.approved_organisation_ids())


def can_message(user: Visitor, memberships: Sequence[MemberOf] | None = None) -> bool:
    """Whether ``user`` takes part in messaging at all (the "Messages" menu item): an approved
    member of a provider organisation. ``memberships`` (from
    :func:`~commissioning.permissions.memberships_of`) answers it without a query."""
    if memberships is None:
        memberships = memberships_of(user)
    return any(not m.is_commissioning_body for m in memberships)


def excluded_from_exercise(organisation: Organisation, lot: Lot) -> bool:
    """The exercise's commissioning body and its partners cannot bid in it (PRO-11)."""
    exercise = lot.opportunity.exercise
    if organisation.pk == exercise.commissioning_body_id:
        return True
    return bool(exercise.partners.filter(pk=organisation.pk).exists())


def interest_organisations(user: Visitor, lot: Lot) -> list[Organisation]:
    """The organisations ``user`` may register interest in ``lot`` for."""
    return [org for org in speaks_for(user) if not excluded_from_exercise(org, lot)]


def can_register_interest(user: Visitor, lot: Lot, *, open_for_bids: bool) -> bool:
    return open_for_bids and bool(interest_organisations(user, lot))


def can_see_all_interests(user: Visitor, lot: Lot) -> bool:
    """The exercise's commissioners and site administrators see private interests too."""
    return bool(procurement_access.can_manage_opportunity(user, lot.opportunity))


def can_view_lot(user: Visitor, lot: Lot) -> bool:
    return bool(procurement_access.can_view_opportunity(user, lot.opportunity))


def can_start_conversation(user: Visitor, with_organisation: Organisation) -> bool:
    """An approved member of a provider organisation other than ``with_organisation``, which must
    itself be a provider."""
    if with_organisation.is_commissioning_body:
        return False
    return any(org.pk != with_organisation.pk for org in speaks_for(user))


def can_read_conversation(user: Visitor, conversation: Conversation) -> bool:
    ids = approved_organisation_ids(user)
    return bool(ids.intersection(conversation.organisation_ids))


def sender_organisation_id(user: Visitor, conversation: Conversation) -> int | None:
    """The organisation ``user`` writes for in ``conversation`` (the starter's side first)."""
    ids = approved_organisation_ids(user)
    for org_id in conversation.organisation_ids:
        if org_id in ids:
            return org_id
    return None
