"""What keeps an organisation that may bid from being emptied of administrators (issue 11 item
2, PRO-8, ADR 0009).

Its approved members hold its key to sealed draft bids, and only its administrators approve new
ones. So removing its last active administrator while it has other members or a bid is
refused, and every removed approved member is recorded against the organisation: the support
team's first-member verification (``permissions.can_verify_first_member``) is only for an
organisation that never had a member, and a removal must not make one look new.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models.signals import pre_delete

from commissioning import permissions
from commissioning.accounts.models import Membership
from commissioning.audit.services import Action, record


def last_administrator_refusals(memberships: Iterable[Membership], *, verb: str) -> list[str]:
    """Why removing ``memberships`` at once (deleting them, or deleting or deactivating their
    people) is refused: one sentence for each organisation that may bid and would be left with
    no active administrator while it still has other approved members or is named in a bid."""
    chosen = [m for m in memberships if m.status == Membership.Status.APPROVED]
    removing = {m.pk for m in chosen}
    refusals: list[str] = []
    seen: set[int] = set()
    for membership in chosen:
        organisation = membership.organisation
        if organisation.pk in seen or not permissions.may_bid(organisation):
            continue
        seen.add(organisation.pk)
        approved = organisation.memberships.filter(status=Membership.Status.APPROVED).exclude(
            pk__in=removing
        )
        if approved.filter(is_org_admin=True, user__is_active=True).exists():
            continue
        was_admin = any(
            m.is_org_admin and m.user.is_active
            for m in chosen
            if m.organisation_id == organisation.pk
        )
        if not was_admin:
            continue
        if (
            approved.exists()
            or organisation.bids.exists()
            or organisation.subcontract_requests.exists()
        ):
            name = membership.user.get_full_name() or membership.user.username
            refusals.append(
                f"You cannot {verb} {name}: they are the last administrator of "
                f"{organisation.name}, which has other members or a bid. One of them must "
                "first make another member an administrator on its members page."
            )
    return refusals


def record_removed_member(sender: Any, instance: Membership, **kwargs: Any) -> None:
    """An approved member removed by any path (the admin, a deleted account) is kept against
    the organisation, so that it never again counts as one that never had a member."""
    if instance.status != Membership.Status.APPROVED:
        return
    record(
        None,
        Action.MEMBERSHIP_REMOVED,
        instance.organisation,
        {
            "member": {"from": instance.user.username, "to": None},
            "is_org_admin": {"from": instance.is_org_admin, "to": None},
        },
    )


def connect() -> None:
    pre_delete.connect(
        record_removed_member, sender=Membership, dispatch_uid="accounts.record_removed_member"
    )
