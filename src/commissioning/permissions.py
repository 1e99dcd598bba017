"""Who may do what: the building blocks every permission rule is written on (active user, site
administrator, approved member of an organisation, the organisations one speaks for) and the
rules of the first apps (directory, exercises, accounts, audit, outcome studies, contracts).
Each later app keeps its own rules in its ``access.py``, written on these blocks; a rule two apps
need moves here (ADR 0007).

The public (anonymous) may read everything published; writes need a role and a relationship to
the record. Views and API endpoints call these functions, never re-implement them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from commissioning.accounts.models import Membership, User

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from commissioning.directory.models import Organisation
    from commissioning.exercises.models import CommissioningExercise


# Building blocks shared by these rules and by each later app's ``access.py`` (ADR 0007).


def is_active_user(user: Any) -> bool:
    """Signed in with an account that has not been deactivated."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_site_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_site_admin)


def is_approved_member(user: Any, organisation_id: int) -> bool:
    if not is_active_user(user):
        return False
    return user.memberships.filter(
        organisation_id=organisation_id, status=Membership.Status.APPROVED
    ).exists()


def member_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations ``user`` is an approved member of, by name (then id): none unless
    signed in and active. Site administrators get no extra organisations."""
    from commissioning.directory.models import Organisation

    if not is_active_user(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__status=Membership.Status.APPROVED
    ).order_by("name", "pk")


def provider_organisations(user: Any) -> list[Organisation]:
    """The provider organisations (every organisation but a commissioning body) ``user`` is an
    approved member of, by name: those they may speak for in procurement (ask, bid, register
    interest, message)."""
    return list(member_organisations(user).filter(is_commissioning_body=False))


def can_edit_organisation(user: Any, organisation: Organisation) -> bool:
    """Only approved members of an organisation edit its profile (and site administrators)."""
    return is_site_admin(user) or is_approved_member(user, organisation.pk)


def may_bid(organisation: Organisation) -> bool:
    """Every organisation but a commissioning body may bid (or be named in a bid), public-sector
    providers included; its approved members hold its key to sealed bids (ADR 0006)."""
    return not organisation.is_commissioning_body


def is_org_admin(user: Any, organisation: Organisation) -> bool:
    if not is_active_user(user):
        return False
    return user.memberships.filter(
        organisation_id=organisation.pk, status=Membership.Status.APPROVED, is_org_admin=True
    ).exists()


def has_org_admin(organisation: Organisation) -> bool:
    return organisation.memberships.filter(
        status=Membership.Status.APPROVED, is_org_admin=True, user__is_active=True
    ).exists()


def can_manage_members(user: Any, organisation: Organisation) -> bool:
    """The members of an organisation that may bid are approved by its own administrators only:
    an approved member reads the organisation's sealed draft bids (PRO-8, ADR 0006), so a site
    administrator cannot make one (ADR 0009). Site administrators manage the members of
    commissioning bodies."""
    if is_org_admin(user, organisation):
        return True
    return is_site_admin(user) and not may_bid(organisation)


def can_verify_first_member(user: Any, organisation: Organisation) -> bool:
    """An organisation that may bid and has no administrator gets its first one through the
    support team's verification against its registered details, with a recorded reason
    (ADR 0009)."""
    return is_site_admin(user) and may_bid(organisation) and not has_org_admin(organisation)


def commissioning_bodies_for(user: Any) -> list[Organisation]:
    """The bodies a commissioner may create exercises for: those they are an approved member of."""
    from commissioning.directory.models import Organisation

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if is_site_admin(user):
        return list(Organisation.objects.filter(is_commissioning_body=True))
    if user.role != User.Role.COMMISSIONER:
        return []
    return list(member_organisations(user).filter(is_commissioning_body=True))


def can_create_exercise(user: Any) -> bool:
    return bool(commissioning_bodies_for(user))


def can_create_exercise_for(user: Any, body: Organisation) -> bool:
    """A commissioner who is an approved member of ``body`` (a commissioning body), or a site
    administrator, may create an exercise for that body (CYC-1)."""
    if not body.is_commissioning_body:
        return False
    if is_site_admin(user):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and user.role == User.Role.COMMISSIONER
        and is_approved_member(user, body.pk)
    )


def can_edit_exercise(user: Any, exercise: CommissioningExercise) -> bool:
    """A commissioner of the exercise's commissioning body (or a site administrator)."""
    if is_site_admin(user):
        return True
    return (
        getattr(user, "is_authenticated", False)
        and user.role == User.Role.COMMISSIONER
        and is_approved_member(user, exercise.commissioning_body_id)
    )


def can_view_audit(user: Any) -> bool:
    return is_site_admin(user)


def can_view_outcome_study(user: Any, study: Any) -> bool:
    """An outcome study's unpublished (full) result is seen only by approved members of the
    uploading organisation, approved commissioners of the related exercise's commissioning body
    and site administrators (OUT-1, OUT-4). Everyone else sees a study only once it is
    published, and then only its suppressed, published view."""
    if is_site_admin(user) or is_approved_member(user, study.organisation_id):
        return True
    exercise = study.exercise
    if exercise is None or not getattr(user, "is_authenticated", False):
        return False
    return user.role == User.Role.COMMISSIONER and is_approved_member(
        user, exercise.commissioning_body_id
    )


def can_publish_outcome_study(user: Any, study: Any) -> bool:
    """Only approved members of the uploading organisation publish its study (OUT-1, OUT-4)."""
    return is_approved_member(user, study.organisation_id)


def can_edit_contract(user: Any, contract: Any) -> bool:
    """A commissioner of the contract's commissioning body (or a site administrator) edits its
    payment mechanism, observations and assumptions (PBR-1); everyone reads contracts (SUP-1)."""
    if is_site_admin(user):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and user.role == User.Role.COMMISSIONER
        and is_approved_member(user, contract.commissioning_body_id)
    )


def can_view_bid_feedback(user: Any, bid: Any) -> bool:
    """A bid's award feedback (PRO-9): the approved members of the bidding organisation, and
    the commissioners of the opportunity's commissioning body (who decided the award). Nobody
    else, site administrators included: it carries the bid's adjusted price (ADR 0006)."""
    if is_approved_member(user, bid.organisation_id):
        return True
    from commissioning.awards.access import can_manage_award

    return can_manage_award(user, bid.lot.opportunity)
