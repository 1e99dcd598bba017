"""Accounts: self-registration of provider members and decisions on their membership.

Only approved members keep an organisation's directory profile (MKT-1, PRO-6: the directory is
what commissioners and primes rely on), so membership is asked for and approved, never assumed.

Each function is one user action: one transaction with its audit record; emails go out through a
background task once the transaction has committed (never for work that was rolled back).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from commissioning import permissions
from commissioning.accounts import tasks
from commissioning.accounts.models import Membership, User
from commissioning.audit.services import Action, record
from commissioning.directory.models import Organisation


class MembershipError(Exception):
    """A decision that cannot be made (already decided, or not allowed for this membership)."""


def provider_organisations() -> QuerySet[Organisation]:
    """Organisations a provider member can ask to join: everything but public bodies."""
    return Organisation.objects.filter(is_commissioning_body=False).exclude(
        org_type=Organisation.OrgType.PUBLIC_SECTOR
    )


def search_provider_organisations(query: str) -> QuerySet[Organisation]:
    """Providers whose name (or charity number, or description) contains ``query``; names first."""
    term = query.strip()
    return provider_organisations().filter(
        Q(name__icontains=term) | Q(search_text__contains=term.lower())
    )


def email_in_use(email: str) -> bool:
    return User.objects.filter(email__iexact=email.strip()).exists()


def username_in_use(username: str) -> bool:
    return User.objects.filter(username__iexact=username.strip()).exists()


def register_provider_member(
    *,
    username: str,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    organisation: Organisation,
    job_title: str = "",
) -> Membership:
    """Create an active provider account and its pending membership of ``organisation``.

    The organisation's administrators (or, where it has none, the site administrators) are told
    by email that someone is waiting. Raises ``IntegrityError`` if the username or email was taken
    in the meantime; nothing is saved then.
    """
    with transaction.atomic():
        user = User.objects.create_user(
            username=username.strip(),
            email=User.objects.normalize_email(email.strip()),
            password=password,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            role=User.Role.PROVIDER,
        )
        membership = Membership.objects.create(
            user=user,
            organisation=organisation,
            status=Membership.Status.PENDING,
            job_title=job_title.strip(),
        )
        record(
            user,
            Action.REGISTER,
            membership,
            {
                "username": {"from": None, "to": user.username},
                "email": {"from": None, "to": user.email},
                "organisation": {"from": None, "to": organisation.name},
                "status": {"from": None, "to": membership.get_status_display()},
            },
        )
        membership_id = membership.pk
        transaction.on_commit(lambda: tasks.notify_membership_requested.enqueue(membership_id))
    return membership


def membership_approvers(organisation: Organisation) -> list[User]:
    """Who is told that someone is waiting: the organisation's administrators, or (if it has
    none) the site administrators."""
    org_admins = User.objects.filter(
        is_active=True,
        memberships__organisation=organisation,
        memberships__status=Membership.Status.APPROVED,
        memberships__is_org_admin=True,
    ).order_by("pk")
    if org_admins.exists():
        return list(org_admins)
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(role=User.Role.ADMIN) | Q(is_superuser=True))
        .order_by("pk")
    )


def _locked(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update()
        .select_related("organisation", "user")
        .get(pk=membership.pk)
    )


def decide_membership(actor: Any, membership: Membership, approve: bool) -> Membership:
    """Approve or reject a pending membership (organisation administrators of that organisation,
    or site administrators). The member is told by email."""
    if not permissions.can_manage_members(actor, membership.organisation):
        raise PermissionDenied("You cannot manage members of this organisation.")
    with transaction.atomic():
        locked = _locked(membership)
        if locked.status != Membership.Status.PENDING:
            raise MembershipError(
                f"{locked.user.get_full_name() or locked.user.username}'s request has already "
                f"been decided ({locked.get_status_display().lower()})."
            )
        before = locked.get_status_display()
        locked.status = Membership.Status.APPROVED if approve else Membership.Status.REJECTED
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.save(update_fields=["status", "decided_at", "decided_by"])
        record(
            actor,
            Action.MEMBERSHIP_APPROVE if approve else Action.MEMBERSHIP_REJECT,
            locked,
            {"status": {"from": before, "to": locked.get_status_display()}},
        )
        membership_id = locked.pk
        transaction.on_commit(lambda: tasks.notify_membership_decided.enqueue(membership_id))
    return locked


def set_organisation_admin(actor: Any, membership: Membership, is_org_admin: bool) -> Membership:
    """Give or take away an approved member's right to manage the organisation's members."""
    if not permissions.can_manage_members(actor, membership.organisation):
        raise PermissionDenied("You cannot manage members of this organisation.")
    with transaction.atomic():
        locked = _locked(membership)
        if locked.status != Membership.Status.APPROVED:
            raise MembershipError("Only approved members can be organisation administrators.")
        if locked.user_id == getattr(actor, "pk", None) and not is_org_admin:
            raise MembershipError("You cannot remove your own administrator rights.")
        if locked.is_org_admin == is_org_admin:
            return locked
        locked.is_org_admin = is_org_admin
        locked.save(update_fields=["is_org_admin"])
        record(
            actor,
            Action.MEMBERSHIP_ADMIN,
            locked,
            {"is_org_admin": {"from": not is_org_admin, "to": is_org_admin}},
        )
    return locked


def organisations_with_pending_members() -> QuerySet[Organisation]:
    """For site administrators: organisations with someone waiting for a decision."""
    return (
        Organisation.objects.filter(memberships__status=Membership.Status.PENDING)
        .distinct()
        .order_by("name")
    )
