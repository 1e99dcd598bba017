"""Who may do what: the building blocks every permission rule is written on (active user, site
administrator, approved member of an organisation, the organisations one speaks for) and the
rules of the first apps (directory, exercises, accounts, audit, outcome studies, contracts).
Each later app keeps its own rules in its ``access.py``, written on these blocks; a rule two apps
need moves here (ADR 0007).

The public (anonymous) may read everything published; writes need a role and a relationship to
the record. Views and API endpoints call these functions, never re-implement them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from commissioning.accounts.models import Membership, User
from commissioning.requestmemo import remembered

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from django.db.models import QuerySet
    from typing_extensions import TypeIs

    from commissioning.bids.models import Bid
    from commissioning.contracts.models import Contract
    from commissioning.directory.models import Organisation
    from commissioning.exercises.models import CommissioningExercise
    from commissioning.outcomes_web.models import OutcomeStudy


#: Whoever makes a request: a person signed in, or the public (``request.user``).
Visitor = User | AnonymousUser

# Building blocks shared by these rules and by each later app's ``access.py`` (ADR 0007).


def is_signed_in(user: object) -> TypeIs[User]:
    """Signed in (every account is; the public is an anonymous user, or no user at all)."""
    return bool(getattr(user, "is_authenticated", False))


def is_active_user(user: Visitor | None) -> TypeIs[User]:
    """Signed in with an account that has not been deactivated (for the type checker, a rule
    past ``if not is_active_user(user): return ...`` holds a :class:`User`)."""
    return is_signed_in(user) and user.is_active


def signed_in_user(request: HttpRequest) -> User:
    """The person making ``request`` on a page or endpoint behind sign-in (``login_required``,
    the API's ``django_auth``), as the account model the write services take. Those guards send
    the public to the sign-in page (or answer 401) first; anyone who still arrives signed out is
    refused (403) rather than passed on as a user."""
    user = request.user
    if not is_signed_in(user):
        raise PermissionDenied("Sign in first.")
    return user


def is_site_admin(user: Visitor | None) -> bool:
    return is_active_user(user) and user.is_site_admin


def is_approved_member(user: Visitor, organisation_id: int) -> bool:
    """Answered from :func:`memberships_of`, so that a page's access checks and its menu share
    one read (issue 21)."""
    return any(m.organisation_id == organisation_id for m in memberships_of(user))


def is_commissioner_of(user: Visitor, body_id: int | None) -> bool:
    """A commissioner (by role) who is an approved member of the commissioning body ``body_id``:
    the people who run that body's exercises, opportunities, bids and awards."""
    return bool(
        is_active_user(user)
        and user.role == User.Role.COMMISSIONER
        and body_id is not None
        and is_approved_member(user, body_id)
    )


def is_independent_reviewer(user: Visitor | None) -> bool:
    """An active account with the independent reviewer's role: sees what the parties of a
    contract dispute between themselves (SUP-1), as the seeds ask of an independent check."""
    return bool(is_active_user(user) and user.role == User.Role.REVIEWER)


def is_data_steward(user: Visitor | None) -> bool:
    """An active account with the data steward's role: loads the national extracts outcome
    studies are matched against and holds the pseudonymisation key (OUT-1)."""
    return bool(is_active_user(user) and user.role == User.Role.STEWARD)


def is_inspector(user: Visitor | None) -> bool:
    """An active account with the inspector's role: reads every commissioning body's record
    against the national standards (MKT-3)."""
    return bool(is_active_user(user) and user.role == User.Role.INSPECTOR)


def is_probation_practitioner_of(user: Visitor, body_id: int | None) -> bool:
    """A probation practitioner (by role) who is an approved member of the public body
    ``body_id``: the people who refer under that body's contracts and answer providers'
    escalations to it (REF-1, REF-2)."""
    return bool(
        is_active_user(user)
        and user.role == User.Role.PROBATION
        and body_id is not None
        and is_approved_member(user, body_id)
    )


def member_organisations(user: Visitor) -> QuerySet[Organisation]:
    """The organisations ``user`` is an approved member of, by name (then id): none unless
    signed in and active. Site administrators get no extra organisations."""
    from commissioning.directory.models import Organisation

    if not is_active_user(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__status=Membership.Status.APPROVED
    ).order_by("name", "pk")


@dataclass(frozen=True)
class MemberOf:
    """One organisation a person is an approved member of, with what the service menu asks of
    it: whether it is a commissioning body and whether they manage its members."""

    organisation_id: int
    slug: str
    is_commissioning_body: bool
    is_org_admin: bool


def memberships_of(user: Visitor) -> list[MemberOf]:
    """``user``'s approved memberships in one query, by organisation name then id (as
    :func:`member_organisations`): every page's menu asks several questions of them, and its
    access checks ask :func:`is_approved_member`; one read in a request answers them all
    (:mod:`commissioning.requestmemo`)."""
    if not is_active_user(user):
        return []
    return list(remembered(("memberships_of", user.pk), lambda: _read_memberships(user.pk)))


def _read_memberships(user_id: int) -> tuple[MemberOf, ...]:
    rows = (
        Membership.objects.filter(user_id=user_id, status=Membership.Status.APPROVED)
        .order_by("organisation__name", "organisation_id")
        .values_list(
            "organisation_id",
            "organisation__slug",
            "organisation__is_commissioning_body",
            "is_org_admin",
        )
    )
    return tuple(MemberOf(*row) for row in rows)


def approved_members(organisation_ids: Iterable[int] | QuerySet[Any]) -> QuerySet[User]:
    """Active people with an approved membership of any of ``organisation_ids`` (ids, or a query
    of ids), each once, by id: whom an organisation's notices go to. The reverse of
    :func:`member_organisations`."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id__in=organisation_ids,
            memberships__status=Membership.Status.APPROVED,
        )
        .distinct()
        .order_by("pk")
    )


def speaks_for(user: Visitor) -> list[Organisation]:
    """The provider organisations (every organisation but a commissioning body) ``user`` is an
    approved member of, by name: those they may speak for in procurement (ask, bid, register
    interest, message). Not ``accounts.services.provider_organisations``, the organisations a
    provider may ask to join."""
    return list(member_organisations(user).filter(is_commissioning_body=False))


def can_edit_organisation(user: Visitor, organisation: Organisation) -> bool:
    """Only approved members of an organisation edit its profile (and site administrators)."""
    return is_site_admin(user) or is_approved_member(user, organisation.pk)


def may_bid(organisation: Organisation) -> bool:
    """Every organisation but a commissioning body may bid (or be named in a bid), public-sector
    providers included; its approved members hold its key to sealed bids (ADR 0006)."""
    return not organisation.is_commissioning_body


def is_org_admin(user: Visitor, organisation: Organisation) -> bool:
    if not is_active_user(user):
        return False
    return user.memberships.filter(
        organisation_id=organisation.pk, status=Membership.Status.APPROVED, is_org_admin=True
    ).exists()


def has_org_admin(organisation: Organisation) -> bool:
    return organisation.memberships.filter(
        status=Membership.Status.APPROVED, is_org_admin=True, user__is_active=True
    ).exists()


def can_manage_members(user: Visitor, organisation: Organisation) -> bool:
    """The members of an organisation that may bid are approved by its own administrators only:
    an approved member reads the organisation's sealed draft bids (PRO-8, ADR 0006), so a site
    administrator cannot make one (ADR 0009). Site administrators manage the members of
    commissioning bodies."""
    if is_org_admin(user, organisation):
        return True
    return is_site_admin(user) and not may_bid(organisation)


def can_verify_first_member(
    user: Visitor, organisation: Organisation, membership: Any | None = None
) -> bool:
    """An organisation that may bid and has never had a member gets its first one through the
    support team's verification against its registered details, with a recorded reason
    (ADR 0009). Never one that has had an approved member (active or not, removed or not) or
    is named in a bid: emptying it of administrators would otherwise let the support team
    choose who reads its sealed bids. Nobody decides their own ``membership`` request."""
    if not (is_site_admin(user) and may_bid(organisation)):
        return False
    if membership is not None and membership.user_id == user.pk:
        return False
    return is_unclaimed(organisation)


def is_unclaimed(organisation: Organisation) -> bool:
    """Never had an approved member (the audit trail keeps removed ones) and is named in no bid,
    draft or submitted, as bidder or sub-contractor: nobody's sealed bid is behind it."""
    from commissioning.audit.models import AuditEvent

    if organisation.memberships.filter(status=Membership.Status.APPROVED).exists():
        return False
    if organisation.bids.exists() or organisation.subcontract_requests.exists():
        return False
    removed = AuditEvent.objects.filter(
        action="membership.removed",
        target_type=organisation._meta.label,
        target_id=str(organisation.pk),
    )
    # Memberships deleted in the admin before removals were recorded against the organisation.
    deleted_in_admin = AuditEvent.objects.filter(
        action="admin.delete",
        target_type="accounts.Membership",
        changes__organisation__from=organisation.name,
        changes__status__from="approved",
    )
    return not (removed.exists() or deleted_in_admin.exists())


def commissioning_bodies_for(user: Visitor | None) -> list[Organisation]:
    """The bodies a commissioner may create exercises for: those they are an approved member of."""
    from commissioning.directory.models import Organisation

    if not is_active_user(user):
        return []
    if is_site_admin(user):
        return list(Organisation.objects.filter(is_commissioning_body=True))
    if user.role != User.Role.COMMISSIONER:
        return []
    return list(member_organisations(user).filter(is_commissioning_body=True))


def can_create_exercise(user: Visitor, memberships: Sequence[MemberOf] | None = None) -> bool:
    """Whether ``user`` may create an exercise for any body; ``memberships`` (from
    :func:`memberships_of`) answers it without a query for everyone but a site administrator."""
    if not is_active_user(user) or user.is_site_admin:
        return bool(commissioning_bodies_for(user))
    if memberships is None:
        memberships = memberships_of(user)
    is_commissioner = user.role == User.Role.COMMISSIONER
    return is_commissioner and any(m.is_commissioning_body for m in memberships)


def can_create_exercise_for(user: Visitor, body: Organisation) -> bool:
    """A commissioner who is an approved member of ``body`` (a commissioning body), or a site
    administrator, may create an exercise for that body (CYC-1)."""
    if not body.is_commissioning_body:
        return False
    return is_site_admin(user) or is_commissioner_of(user, body.pk)


def can_edit_exercise(user: Visitor, exercise: CommissioningExercise) -> bool:
    """A commissioner of the exercise's commissioning body (or a site administrator)."""
    return is_site_admin(user) or is_commissioner_of(user, exercise.commissioning_body_id)


def can_view_audit(user: Visitor) -> bool:
    return is_site_admin(user)


def can_view_outcome_study(user: Visitor, study: OutcomeStudy) -> bool:
    """An outcome study's unpublished (full) result is seen only by approved members of the
    uploading organisation, approved commissioners of the related exercise's commissioning body
    and site administrators (OUT-1, OUT-4). Everyone else sees a study only once it is
    published, and then only its suppressed, published view."""
    if is_site_admin(user) or is_approved_member(user, study.organisation_id):
        return True
    exercise = study.exercise
    return exercise is not None and is_commissioner_of(user, exercise.commissioning_body_id)


def can_publish_outcome_study(user: Visitor, study: OutcomeStudy) -> bool:
    """Only approved members of the uploading organisation publish its study (OUT-1, OUT-4)."""
    return is_approved_member(user, study.organisation_id)


def can_edit_contract(user: Visitor, contract: Contract) -> bool:
    """A commissioner of the contract's commissioning body (or a site administrator) edits its
    payment mechanism, observations and assumptions (PBR-1); everyone reads contracts (SUP-1)."""
    return is_site_admin(user) or is_commissioner_of(user, contract.commissioning_body_id)


def can_view_bid_feedback(user: Visitor, bid: Bid) -> bool:
    """A bid's award feedback (PRO-9): the approved members of the bidding organisation, and
    the commissioners of the opportunity's commissioning body (who decided the award). Nobody
    else, site administrators included: it carries the bid's adjusted price (ADR 0006)."""
    if is_approved_member(user, bid.organisation_id):
        return True
    from commissioning.awards.access import can_manage_award

    return can_manage_award(user, bid.lot.opportunity)
