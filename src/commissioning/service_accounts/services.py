"""Making, revoking and using an organisation's API tokens (REF-1, REF-2): each action one
transaction with its audit record.

A token is ``cst_`` and 43 random URL-safe characters (256 bits). Only its SHA-256 digest is
stored, with its first 12 characters as a visible prefix: a high-entropy secret needs no slow
hash, and a database copy cannot be replayed. A write made with a token is recorded with the
token as its actor (:func:`record_write`), so the audit trail names the organisation's system.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from commissioning.audit.models import AuditEvent
from commissioning.audit.services import record
from commissioning.permissions import User
from commissioning.service_accounts import access, lifecycle
from commissioning.service_accounts.models import OrganisationToken

TOKEN_PREFIX = "cst_"
VISIBLE_CHARACTERS = 12
NAME_MAX_LENGTH = 100


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(user: User, organisation: Any, name: str) -> tuple[OrganisationToken, str]:
    """A new active token for ``organisation`` and its secret, which is not stored: the caller
    shows it once. Only the organisation's administrators make tokens."""
    if not access.can_manage_tokens(user, organisation):
        raise PermissionDenied("Only this organisation's administrators can make API tokens.")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the token"})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": f"Name must be {NAME_MAX_LENGTH} characters or fewer"})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = OrganisationToken.objects.create(
            organisation=organisation,
            name=name,
            prefix=secret[:VISIBLE_CHARACTERS],
            digest=digest_of(secret),
            created_by=user,
        )
        record(
            user,
            "api_token.create",
            token,
            {
                "organisation": {"from": None, "to": str(organisation)},
                "name": {"from": None, "to": name},
            },
        )
    return token, secret


def revoke_token(user: User, token: OrganisationToken) -> OrganisationToken:
    """Revoke ``token`` for good: every later request with it is refused."""
    if not access.can_manage_tokens(user, token.organisation):
        raise PermissionDenied("Only this organisation's administrators can revoke its tokens.")
    with transaction.atomic():
        locked = OrganisationToken.objects.select_for_update().get(pk=token.pk)
        transition = lifecycle.revoke(locked, user, timezone.now())
        record(user, transition.action, locked, {"status": {"from": "active", "to": "revoked"}})
    return locked


class TokenProblem(Exception):
    """A token that is not (or no longer) accepted, with the reason to give the caller."""


UNKNOWN = "This API token is not recognised: check it was copied whole."
REVOKED = "This API token has been revoked: ask your organisation's administrators for a new one."


def token_for(secret: str) -> OrganisationToken:
    """The active token whose secret is ``secret``, or TokenProblem saying why not."""
    secret = secret.strip()
    if not secret.startswith(TOKEN_PREFIX):
        raise TokenProblem(UNKNOWN)
    token = (
        OrganisationToken.objects.select_related("organisation")
        .filter(digest=digest_of(secret))
        .first()
    )
    if token is None:
        raise TokenProblem(UNKNOWN)
    if not token.is_active:
        raise TokenProblem(REVOKED)
    return token


def record_write(
    token: OrganisationToken,
    action: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Audit a write made with ``token`` (inside the write's transaction): the token is the
    actor, and its last use is stamped."""
    OrganisationToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return record(token, action, target, {**(changes or {}), "api_token": token.prefix})


def tokens_of(organisation: Any) -> models.QuerySet[OrganisationToken]:
    return OrganisationToken.objects.filter(organisation=organisation).select_related(
        "created_by", "revoked_by"
    )
