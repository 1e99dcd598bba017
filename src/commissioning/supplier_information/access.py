"""Who may see or change an organisation's core supplier information (LAW-5), on the building
blocks of :mod:`commissioning.permissions` (ADR 0007). The record is never public.

* Its administrators record new versions and make and revoke share codes.
* Its approved members read every version and the share codes.
* A commissioner reads the current version only with a live share code made out to a body they
  are an approved commissioner of; a revoked or unknown code shows nothing, and providers, the
  public and site administrators get nothing from a code.
* The commissioners who open a bid read the version the bid recorded (bids' own rule).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from commissioning.permissions import (
    User,
    Visitor,
    is_active_user,
    is_approved_member,
    is_commissioner_of,
    is_org_admin,
    member_organisations,
)

if TYPE_CHECKING:
    from commissioning.directory.models import Organisation
    from commissioning.supplier_information.models import ShareCode


def can_record(user: Visitor, organisation: Organisation) -> bool:
    """Save a new version, make and revoke share codes: the organisation's administrators."""
    return not organisation.is_commissioning_body and is_org_admin(user, organisation)


def can_read_own(user: Visitor, organisation: Organisation) -> bool:
    """Read the versions and the share codes: the organisation's approved members."""
    return is_approved_member(user, organisation.pk)


def can_use_share_code(user: Visitor, share_code: ShareCode) -> bool:
    """A live code, entered by a commissioner of the body it was made out to."""
    return share_code.is_active and is_commissioner_of(user, share_code.commissioning_body_id)


def may_look_up_codes(user: Visitor) -> bool:
    """Whether the share-code page is for ``user`` at all: commissioners of a body only."""
    return bool(
        is_active_user(user)
        and user.role == User.Role.COMMISSIONER
        and member_organisations(user).filter(is_commissioning_body=True).exists()
    )
