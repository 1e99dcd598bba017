"""Accounts: self-registration of provider members and decisions on their membership.

Only approved members keep an organisation's directory profile (MKT-1, PRO-6: the directory is
what commissioners and primes rely on), so membership is asked for and approved, never assumed.

Each function is one user action: one transaction with its audit record; emails go out through a
background task once the transaction has committed (never for work that was rolled back).
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from commissioning import permissions
from commissioning.accounts import tasks
from commissioning.accounts.lifecycle import MembershipError, decide
from commissioning.accounts.models import Membership, User
from commissioning.audit.services import Action, record
from commissioning.directory.models import Organisation

OWN_REQUEST_REFUSED = "You cannot decide your own request: another administrator must decide it."


MAY_BID = Q(is_commissioning_body=False)
"""Organisations that may bid (as :func:`permissions.may_bid` decides)."""


def provider_organisations() -> QuerySet[Organisation]:
    """Organisations a provider member can ask to join: everything but public bodies."""
    return Organisation.objects.filter(MAY_BID).exclude(org_type=Organisation.OrgType.PUBLIC_SECTOR)


def search_provider_organisations(query: str) -> QuerySet[Organisation]:
    """Providers whose name (or charity number, or description) contains ``query``; names first."""
    term = query.strip()
    return provider_organisations().filter(
        Q(name__icontains=term) | Q(search_text__contains=term.lower())
    )


def holds_bidders_key(user: User) -> bool:
    """Whether ``user`` is an approved member of an organisation that may bid (and so holds
    its key to sealed draft bids, ADR 0006)."""
    return Membership.objects.filter(
        user=user, status=Membership.Status.APPROVED, organisation__is_commissioning_body=False
    ).exists()


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
    job_title: str,
) -> Membership | None:
    """Create an unconfirmed provider account and its pending membership of ``organisation``,
    and email the link that confirms the address; or, where the email address or the username
    is taken, create nothing and email the address given instead, so that the person registering
    learns nothing about who else has an account.

    Only a confirmed account can sign in, and the organisation's administrators are told about
    the request once the address is confirmed (:func:`confirm_email`). Links start with
    ``SITE_URL``. Returns the membership, or None when nothing was created (the same page
    follows either way). Raises ``IntegrityError`` if the username or email was taken in the
    meantime; nothing is saved then.
    """
    address = User.objects.normalize_email(email.strip())
    owner = User.objects.filter(email__iexact=address).first()
    if owner is not None or username_in_use(username):
        # Hashed and thrown away: the answer takes as long as creating the account would.
        make_password(password)
    if owner is not None:
        owner_id = owner.pk
        transaction.on_commit(lambda: tasks.notify_registration_attempt.enqueue(owner_id))
        return None
    if username_in_use(username):
        transaction.on_commit(lambda: tasks.notify_username_taken.enqueue(address))
        return None
    with transaction.atomic():
        user = User.objects.create_user(
            username=username.strip(),
            email=address,
            password=password,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            role=User.Role.PROVIDER,
            email_verified=False,
        )
        # The account, never its email address: the audit trail keeps none.
        account = {
            "username": {"from": None, "to": user.username},
            "user_id": {"from": None, "to": user.pk},
        }
        membership = _ask(user, organisation, job_title, Action.REGISTER, account, notify=False)
        user_id = user.pk
        transaction.on_commit(lambda: tasks.send_email_confirmation.enqueue(user_id))
        return membership


def confirm_email(user: User) -> bool:
    """Mark ``user``'s email address confirmed (the emailed link was followed): from now on they
    can sign in, and whoever decides their membership requests is told they are waiting.
    False if it was confirmed already."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.email_verified:
            return False
        locked.email_verified = True
        locked.save(update_fields=["email_verified"])
        record(
            locked, Action.EMAIL_CONFIRM, locked, {"email_verified": {"from": False, "to": True}}
        )
        waiting = locked.memberships.filter(status=Membership.Status.PENDING)
        for membership_id in waiting.values_list("pk", flat=True):
            transaction.on_commit(functools.partial(_notify_requested, membership_id))
    user.email_verified = True
    return True


def _notify_requested(membership_id: int) -> None:
    tasks.notify_membership_requested.enqueue(membership_id)


def resend_email_confirmation(email: str) -> None:
    """Email a new confirmation link if an unconfirmed account uses ``email``; otherwise do
    nothing, silently (the page says the same either way)."""
    user = User.objects.filter(email__iexact=email.strip(), email_verified=False).first()
    if user is not None and user.is_active:
        user_id = user.pk
        transaction.on_commit(lambda: tasks.send_email_confirmation.enqueue(user_id))


def _ask(
    user: User,
    organisation: Organisation,
    job_title: str,
    action: str,
    changes: dict[str, Any],
    *,
    notify: bool = True,
) -> Membership:
    """A pending membership (the lifecycle's first state, the field's default), its audit
    record and (once committed, unless ``notify`` is False) the email to whoever decides;
    called inside the caller's transaction."""
    membership = Membership.objects.create(
        user=user,
        organisation=organisation,
        job_title=job_title.strip(),
    )
    record(
        user,
        action,
        membership,
        {
            **changes,
            "organisation": {"from": None, "to": organisation.name},
            "status": {"from": None, "to": membership.get_status_display()},
        },
    )
    if notify:
        membership_id = membership.pk
        transaction.on_commit(lambda: tasks.notify_membership_requested.enqueue(membership_id))
    return membership


def request_membership(user: User, organisation: Organisation, job_title: str = "") -> Membership:
    """A signed-in person asks to join another organisation (issue 11 item 25a): one person,
    several memberships, each asked for and decided like the first. Raises
    :class:`MembershipError` if they already belong to it or have asked already."""
    with transaction.atomic():
        existing = (
            Membership.objects.select_for_update()
            .filter(user=user, organisation=organisation)
            .first()
        )
        if existing is not None:
            raise MembershipError(_already_asked(existing))
        return _ask(user, organisation, job_title, Action.MEMBERSHIP_REQUEST, {})


def _already_asked(membership: Membership) -> str:
    name = membership.organisation.name
    if membership.status == Membership.Status.APPROVED:
        return f"You are already a member of {name}."
    if membership.status == Membership.Status.PENDING:
        return f"You have already asked to join {name}; its administrators will decide."
    return f"Your request to join {name} was rejected. Contact the organisation directly."


def membership_approvers(organisation: Organisation) -> list[User]:
    """Who is told that someone is waiting: the organisation's administrators, or (if it has
    none) the site administrators, who verify the first member (ADR 0009)."""
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


def decide_membership(actor: User, membership: Membership, approve: bool) -> Membership:
    """Approve or reject a pending membership: the organisation's own administrators (site
    administrators only for commissioning bodies; ADR 0009), never the person who asked. The
    member is told by email."""
    if membership.user_id == getattr(actor, "pk", None):
        raise PermissionDenied(OWN_REQUEST_REFUSED)
    if not permissions.can_manage_members(actor, membership.organisation):
        raise PermissionDenied(
            "Only this organisation's administrators can decide who joins it."
            if permissions.is_site_admin(actor)
            else "You cannot manage members of this organisation."
        )
    with transaction.atomic():
        locked = _locked(membership)
        before = locked.get_status_display()
        decide(locked, approve=approve, actor=actor, now=timezone.now())
        record(
            actor,
            Action.MEMBERSHIP_APPROVE if approve else Action.MEMBERSHIP_REJECT,
            locked,
            {"status": {"from": before, "to": locked.get_status_display()}},
        )
        membership_id = locked.pk
        transaction.on_commit(lambda: tasks.notify_membership_decided.enqueue(membership_id))
    return locked


def verify_first_member(
    actor: User, membership: Membership, *, approve: bool, checked_against: str, reason: str
) -> Membership:
    """The support team's decision on a request to join a provider organisation that has no
    administrator (ADR 0009): checked against the organisation's registered details, with the
    check and the reason recorded on the membership and in the audit trail. Approved, the
    person becomes the organisation's first administrator and decides every later request.

    Raises ``PermissionDenied`` unless ``actor`` is a site administrator other than the person
    asking and the organisation has (still) never had an approved member nor been named in a
    bid (``permissions.can_verify_first_member``); :class:`MembershipError` for a missing
    check or reason or a request already decided.
    """
    problems = []
    if checked_against not in Membership.VerifiedAgainst.values:
        problems.append("Choose what you checked the request against.")
    if not reason.strip():
        problems.append("Say what you checked and what it showed.")
    if problems:
        raise MembershipError(" ".join(problems))
    with transaction.atomic():
        # Lock the organisation so that two decisions cannot both make a "first" administrator.
        Organisation.objects.select_for_update().filter(pk=membership.organisation_id).first()
        if membership.user_id == getattr(actor, "pk", None):
            raise PermissionDenied(OWN_REQUEST_REFUSED)
        if not permissions.can_verify_first_member(actor, membership.organisation, membership):
            raise PermissionDenied(
                "Only a site administrator can verify the first member of an organisation that "
                "has never had a member and is named in no bid; this one's own administrators "
                "decide its members."
            )
        locked = _locked(membership)
        before = locked.get_status_display()
        decide(
            locked,
            approve=approve,
            actor=actor,
            now=timezone.now(),
            is_org_admin=approve,
            verified_against=checked_against,
            decision_reason=reason.strip(),
        )
        record(
            actor,
            Action.MEMBERSHIP_VERIFY,
            locked,
            {
                "status": {"from": before, "to": locked.get_status_display()},
                "is_org_admin": {"from": False, "to": approve},
                "verified_against": {"from": None, "to": locked.get_verified_against_display()},
                "reason": {"from": None, "to": locked.decision_reason},
            },
        )
        membership_id = locked.pk
        transaction.on_commit(lambda: tasks.notify_membership_decided.enqueue(membership_id))
    return locked


def set_organisation_admin(actor: User, membership: Membership, is_org_admin: bool) -> Membership:
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
    """For site administrators: organisations with someone waiting for a decision that the
    support team makes: commissioning bodies, and organisations that may bid but have never
    had a member (whose first member it verifies, ADR 0009). Others decide their own."""
    waiting = Organisation.objects.filter(memberships__status=Membership.Status.PENDING).distinct()
    support_decides = [
        organisation.pk
        for organisation in waiting
        if not permissions.may_bid(organisation) or permissions.is_unclaimed(organisation)
    ]
    return Organisation.objects.filter(pk__in=support_decides).order_by("name")
