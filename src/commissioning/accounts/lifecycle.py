"""A membership's status as one explicit state machine (ADR 0009; issue 12).

    pending ──approve──▶ approved
    pending ──reject───▶ rejected

A request to join starts pending; it is decided once, by the organisation's administrators (site
administrators for commissioning bodies), or by the support team verifying the first member of an
organisation with no administrator. The table names each move's guard and side effects;
:mod:`commissioning.accounts.services` runs the permission checks and the side effects, and this
module is the only code that writes ``Membership.status`` (:func:`decide`, and :func:`seed` for
synthetic demo members recorded as already decided).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from commissioning.accounts.models import Membership, User
from commissioning.audit.services import Action
from commissioning.directory.models import Organisation
from commissioning.transitions import Transition

Status = Membership.Status


class MembershipError(Exception):
    """A decision that cannot be made (already decided, or not allowed for this membership)."""


_GUARD = (
    "Decided by the organisation's administrators (site administrators for a commissioning "
    "body), or verified by a site administrator against the organisation's registered details "
    "when it has no administrator, with what was checked and why (ADR 0009)."
)
_EFFECTS = (
    "audit (membership.verify when the support team verified the first member)",
    "email to the member (accounts.tasks.notify_membership_decided)",
)

TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (Status.PENDING, Status.APPROVED): Transition(Action.MEMBERSHIP_APPROVE, _GUARD, _EFFECTS),
    (Status.PENDING, Status.REJECTED): Transition(Action.MEMBERSHIP_REJECT, _GUARD, _EFFECTS),
}


def decide(
    locked: Membership, *, approve: bool, actor: User, now: datetime, **changes: Any
) -> Membership:
    """Approve or reject a membership locked by the caller, recording who decided and when, with
    ``changes`` (verification details): the only writer of a decided status. Raises
    :class:`MembershipError` unless the table has the move, i.e. unless it is still pending."""
    target = Status.APPROVED if approve else Status.REJECTED
    if (Status(locked.status), target) not in TRANSITIONS:
        raise MembershipError(
            f"{locked.user.get_full_name() or locked.user.username}'s request has already "
            f"been decided ({locked.get_status_display().lower()})."
        )
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.status = target
    locked.decided_at = now
    locked.decided_by = actor
    locked.save(update_fields=["status", "decided_at", "decided_by", *changes])
    return locked


def seeded(status: Status | str, **fields: Any) -> Membership:
    """An unsaved membership already in ``status``: synthetic demo data only, which records
    decisions that were never made on the platform."""
    return Membership(status=status, **fields)


def seed(user: User, organisation: Organisation, status: Status | str, **fields: Any) -> Membership:
    """Create or reset the synthetic demo membership of ``user`` in ``organisation`` in
    ``status`` (demo data only, as :func:`seeded`)."""
    membership, _ = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"status": status, **fields}
    )
    return membership
