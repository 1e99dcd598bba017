"""Who may do what with a grant round and its applications (CYC-6, ADR 0007), on the building
blocks of :mod:`commissioning.permissions`. A round is public once opened; an application is
seen by its organisation's approved members, the round's managers and its assessors."""

from __future__ import annotations

from commissioning import permissions
from commissioning.accounts.models import User
from commissioning.directory.models import Organisation
from commissioning.grants.models import GrantApplication, GrantRound, InterestDeclaration

ASSESSOR_ROLES = (User.Role.COMMISSIONER, User.Role.EVALUATOR)


def can_create_round(user: permissions.Visitor, exercise: object) -> bool:
    """The exercise's commissioners (or a site administrator) run its grant rounds."""
    return permissions.can_edit_exercise(user, exercise)  # type: ignore[arg-type]


def can_run_pot(user: permissions.Visitor, prime_id: int) -> bool:
    """A prime's small-grants pot under its contract is run by the prime's (``prime_id``)
    approved members (or a site administrator)."""
    return permissions.is_site_admin(user) or permissions.is_approved_member(user, prime_id)


def can_manage_round(user: permissions.Visitor, grant_round: GrantRound) -> bool:
    """Open, close, assign the panel, moderate and decide: the commissioners of the exercise's
    commissioning body (or a site administrator); for a prime's small-grants pot, the prime's
    approved members."""
    if grant_round.contract is not None:
        return can_run_pot(user, grant_round.contract.prime_id)
    return permissions.can_edit_exercise(user, grant_round.exercise)


def can_see_round(user: permissions.Visitor, grant_round: GrantRound) -> bool:
    """A published call is public; a draft only for the people preparing it."""
    if grant_round.status != GrantRound.Status.DRAFT:
        return True
    return can_manage_round(user, grant_round)


def may_be_assessor(user: permissions.Visitor, grant_round: GrantRound) -> bool:
    """A commissioner or evaluator who is an approved member of the commissioning body; on a
    prime's small-grants pot, any approved member of the prime."""
    if grant_round.contract is not None:
        return bool(
            permissions.is_active_user(user)
            and permissions.is_approved_member(user, grant_round.contract.prime_id)
        )
    return bool(
        permissions.is_active_user(user)
        and user.role in ASSESSOR_ROLES
        and permissions.is_approved_member(user, grant_round.exercise.commissioning_body_id)
    )


def is_assessor(user: permissions.Visitor, grant_round: GrantRound) -> bool:
    return bool(
        may_be_assessor(user, grant_round)
        and permissions.is_active_user(user)
        and grant_round.assessors.filter(pk=user.pk).exists()
    )


def can_apply_for(user: permissions.Visitor, organisation: Organisation) -> bool:
    """An approved member of a registered organisation that is not a commissioning body."""
    return permissions.may_bid(organisation) and permissions.is_approved_member(
        user, organisation.pk
    )


def can_edit_application(user: permissions.Visitor, application: GrantApplication) -> bool:
    return permissions.is_approved_member(user, application.organisation_id)


def can_see_application(user: permissions.Visitor, application: GrantApplication) -> bool:
    return (
        can_edit_application(user, application)
        or can_manage_round(user, application.grant_round)
        or is_assessor(user, application.grant_round)
    )


def can_score(user: permissions.Visitor, application: GrantApplication) -> bool:
    """An assessor of the round who has declared no conflict with this application."""
    if not is_assessor(user, application.grant_round) or not permissions.is_active_user(user):
        return False
    return InterestDeclaration.objects.filter(
        application=application, assessor=user, has_conflict=False
    ).exists()
