"""A token's status as one explicit state machine (REF-1, REF-2; the pattern of issue 12).

    active ──revoke──▶ revoked   (final)

:func:`revoke` is the only code that writes ``OrganisationToken.status``; the service runs the
access guard and the audit record in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError

from commissioning.permissions import User
from commissioning.service_accounts.models import OrganisationToken
from commissioning.transitions import Transition

Status = OrganisationToken.Status

TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (Status.ACTIVE, Status.REVOKED): Transition(
        action="api_token.revoke",
        guard="An administrator of the token's organisation (access.can_manage_tokens).",
        effects=("audit api_token.revoke", "every later request with the token is refused (401)"),
    ),
}


def revoke(locked: OrganisationToken, actor: User, now: datetime) -> Transition:
    """Revoke a token locked by the caller, whose guard has passed."""
    current = Status(locked.status)
    transition = TRANSITIONS.get((current, Status.REVOKED))
    if transition is None:
        raise ValidationError("This token has already been revoked.")
    locked.status = Status.REVOKED
    locked.revoked_at = now
    locked.revoked_by = actor
    locked.save(update_fields=["status", "revoked_at", "revoked_by"])
    return transition
