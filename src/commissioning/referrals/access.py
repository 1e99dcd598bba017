"""Who may refer, see and move referrals (REF-1), on the building blocks of
:mod:`commissioning.permissions` (ADR 0007).

* **Who refers** under an active contract, and for which organisation:
  - probation practitioners who are approved members of the contract's commissioning body, or
    of a probation body serving the contract (:mod:`commissioning.contracts.probation`: a public
    body of the prison and probation kind whose areas include one of the lot's areas or the
    probation region a lot's police force area lies in — the people who supervise those the
    contract serves, and who answer its escalations);
  - approved members of the contract's prime (to a sub-contractor or to its own service).
* **Who sees** a referral: approved members of the referring organisation, of the receiving
  organisation and of the contract's prime, and the commissioners of the contract's
  commissioning body. Nobody else learns it exists (404); the public sees counts only.
* **Who moves** it: the referring organisation withdraws it; the receiving organisation
  accepts, declines, starts, records engagement, completes or records disengagement. Someone
  who may see it but not make that move is refused (403).
* An organisation's API token (its case-management system) acts for that one organisation as
  its members would: it refers, sees and moves the referrals its organisation is a party to, and
  is refused (403) for any other reference.
* Protected characteristics of one person are shown only to the referring organisation, which
  recorded them; everyone else sees only suppressed counts.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from commissioning.accounts.models import User
from commissioning.contracts.models import Contract, ContractParty
from commissioning.contracts.probation import probation_bodies_serving
from commissioning.directory.models import Organisation
from commissioning.permissions import (
    Visitor,
    is_active_user,
    is_approved_member,
    is_commissioner_of,
    member_organisations,
)
from commissioning.referrals.lifecycle import Side, Status, side_of
from commissioning.referrals.models import Referral

RECEIVING_ROLES = (ContractParty.Role.PRIME, ContractParty.Role.SUBCONTRACTOR)


def _referring(
    candidates: QuerySet[Organisation], contract: Contract, *, probation: bool
) -> list[Organisation]:
    """Those of ``candidates`` that refer under ``contract``: as probation, the commissioning
    body or a probation body serving the contract; otherwise its prime."""
    if contract.status != Contract.Status.ACTIVE:
        return []
    if probation:
        serving = probation_bodies_serving(contract).values("pk")
        return list(candidates.filter(Q(pk=contract.commissioning_body_id) | Q(pk__in=serving)))
    return list(candidates.filter(pk=contract.prime_id))


def referring_organisations(user: Visitor, contract: Contract) -> list[Organisation]:
    """The organisations ``user`` may refer for under ``contract`` (none once it has ended)."""
    if not is_active_user(user):
        return []
    return _referring(
        member_organisations(user), contract, probation=user.role == User.Role.PROBATION
    )


def organisation_referrers(organisation: Organisation, contract: Contract) -> list[Organisation]:
    """For an organisation's API token: its organisation, if it may refer under ``contract`` (a
    probation body refers as probation does, the prime as the prime does), else nothing."""
    return _referring(
        Organisation.objects.filter(pk=organisation.pk),
        contract,
        probation=organisation.public_body_kind == Organisation.PublicBodyKind.PRISON_PROBATION,
    )


def may_refer(user: Visitor, contract: Contract) -> bool:
    return bool(referring_organisations(user, contract))


def receiving_parties(contract: Contract) -> QuerySet[ContractParty]:
    """The services a person can be referred to: the prime's and each sub-contractor's."""
    return (
        contract.parties.filter(role__in=RECEIVING_ROLES, organisation__isnull=False)
        .select_related("organisation")
        .order_by("-role", "organisation__name")
    )


def sees_every_referral(user: Visitor, contract: Contract) -> bool:
    """The prime's members and the body's commissioners see all of a contract's referrals."""
    return is_approved_member(user, contract.prime_id) or is_commissioner_of(
        user, contract.commissioning_body_id
    )


def visible_referrals(user: Visitor, contract: Contract | None = None) -> QuerySet[Referral]:
    """The referrals ``user`` may see (under ``contract``, or anywhere): none for the public."""
    referrals = Referral.objects.all()
    if contract is not None:
        referrals = referrals.filter(contract=contract)
    if not is_active_user(user):
        return referrals.none()
    if contract is not None and sees_every_referral(user, contract):
        return referrals
    mine = member_organisations(user).values("pk")
    commissioned = Contract.objects.filter(
        commissioning_body__in=member_organisations(user)
        .filter(is_commissioning_body=True)
        .values("pk")
    )
    seen = Q(referrer__in=mine) | Q(provider__in=mine) | Q(contract__prime__in=mine)
    if user.role == User.Role.COMMISSIONER:
        seen |= Q(contract__in=commissioned.values("pk"))
    return referrals.filter(seen)


def organisation_referrals(
    organisation: Organisation, contract: Contract | None = None
) -> QuerySet[Referral]:
    """For an organisation's API token: the referrals its organisation is a party to (it
    referred, it receives, or it is the contract's prime)."""
    referrals = Referral.objects.filter(
        Q(referrer=organisation) | Q(provider=organisation) | Q(contract__prime=organisation)
    )
    return referrals.filter(contract=contract) if contract is not None else referrals


def can_see(user: Visitor, referral: Referral) -> bool:
    if not is_active_user(user):
        return False
    return any(
        is_approved_member(user, organisation_id)
        for organisation_id in {referral.referrer_id, referral.provider_id}
    ) or sees_every_referral(user, referral.contract)


def sides(user: Visitor, referral: Referral, mine: set[int] | None = None) -> set[Side]:
    """The sides ``user`` speaks for on ``referral`` (both where a prime refers to itself);
    ``mine``, the ids of the user's organisations where the caller has them already."""
    if mine is None:
        mine = set(member_organisations(user).values_list("pk", flat=True))
    found: set[Side] = set()
    if referral.referrer_id in mine:
        found.add(Side.REFERRER)
    if referral.provider_id in mine:
        found.add(Side.PROVIDER)
    return found


def organisation_for(side: Side, referral: Referral) -> Organisation:
    return referral.referrer if side is Side.REFERRER else referral.provider


def may_move(user: Visitor, referral: Referral, target: Status) -> bool:
    return side_of(target) in sides(user, referral)


def sees_characteristics(user: Visitor, referral: Referral) -> bool:
    return is_approved_member(user, referral.referrer_id)


def referral_or_404(user: Visitor, reference: str) -> Referral:
    """The referral, if ``user`` may see it; otherwise 404 (nobody learns it exists)."""
    referral = _with_parties(Referral.objects.all()).filter(reference=reference).first()
    if referral is None or not can_see(user, referral):
        raise Http404("No referral with that reference")
    return referral


NOT_A_PARTY = (
    "This API token's organisation is not a party to a referral with that reference: a token "
    "acts only for its own organisation."
)


def referral_for_organisation(organisation: Organisation, reference: str) -> Referral:
    """For an organisation's API token: the referral, if its organisation is a party to it;
    otherwise PermissionDenied, the same whether or not the reference exists."""
    referral = (
        _with_parties(organisation_referrals(organisation)).filter(reference=reference).first()
    )
    if referral is None:
        raise PermissionDenied(NOT_A_PARTY)
    return referral


def _with_parties(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.select_related(
        "contract",
        "contract__prime",
        "contract__commissioning_body",
        "party",
        "provider",
        "referrer",
    )


def import_organisations(user: Visitor) -> list[Organisation]:
    """The organisations ``user`` may import a quarter's events for: any they are an approved
    member of that refers or receives referrals (each row is then checked as the form is)."""
    return list(member_organisations(user))
