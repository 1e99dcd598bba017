"""Who may see or act on mediation requests (SUP-3), on the building blocks of
:mod:`commissioning.permissions` (ADR 0007). Nothing in a request is public.

* The approved members of a sub-contractor party to a contract (an organisation they speak for,
  never the contract's prime) ask for mediation with the prime, and withdraw their request while
  it waits.
* The independent reviewers accept or decline a request and record how the mediation ended.
* A request is read by the sub-contractor's and the prime's members, the contract's commissioners
  and the independent reviewers; anyone else signed in is refused (403).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from commissioning.accounts.models import User
from commissioning.contracts.models import Contract, ContractParty
from commissioning.directory.models import Organisation
from commissioning.mediation.models import MediationRequest
from commissioning.permissions import (
    Visitor,
    approved_members,
    is_approved_member,
    is_commissioner_of,
    is_independent_reviewer,
    speaks_for,
)

NOT_A_SUBCONTRACTOR = "Only a sub-contractor on this contract can ask for mediation with its prime."
NOT_YOURS = "You cannot see this mediation request."
NOT_THE_REQUESTER = "Only the sub-contractor that asked for mediation can withdraw the request."
NOT_A_REVIEWER = "Only an independent reviewer can accept, decline or close a mediation request."


def subcontractor_ids(contract: Contract) -> set[int]:
    """The directory entries of ``contract``'s sub-contractor parties, the prime never among
    them (a prime cannot ask for mediation with itself)."""
    parties = contract.parties.filter(
        role=ContractParty.Role.SUBCONTRACTOR, organisation__isnull=False
    ).values_list("organisation_id", flat=True)
    return {pk for pk in parties if pk is not None and pk != contract.prime_id}


def asking_organisations(user: Visitor, contract: Contract) -> list[Organisation]:
    """The sub-contractors of ``contract`` that ``user`` speaks for."""
    subcontractors = subcontractor_ids(contract)
    return [org for org in speaks_for(user) if org.pk in subcontractors]


def can_ask(user: Visitor, contract: Contract) -> bool:
    return bool(asking_organisations(user, contract))


def can_review(user: Visitor) -> bool:
    return is_independent_reviewer(user)


def can_withdraw(user: Visitor, request: MediationRequest) -> bool:
    return is_approved_member(user, request.subcontractor_id)


def can_read(user: Visitor, request: MediationRequest) -> bool:
    return (
        is_approved_member(user, request.subcontractor_id)
        or is_approved_member(user, request.prime_id)
        or is_commissioner_of(user, request.contract.commissioning_body_id)
        or is_independent_reviewer(user)
    )


def request_for(user: Visitor, request_id: int) -> MediationRequest:
    """The request if ``user`` may read it: 404 if there is none, 403 if it is not theirs."""
    request = (
        MediationRequest.objects.select_related("contract", "subcontractor", "prime")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise Http404("No mediation request with that number")
    if not can_read(user, request):
        raise PermissionDenied(NOT_YOURS)
    return request


def open_requests() -> QuerySet[MediationRequest]:
    """What the independent reviewers have to act on: waiting first, oldest first."""
    return (
        MediationRequest.objects.filter(
            status__in=[MediationRequest.Status.REQUESTED, MediationRequest.Status.ACCEPTED]
        )
        .select_related("contract", "subcontractor", "prime")
        .order_by("-status", "requested_at", "pk")
    )


def parties_members(request: MediationRequest) -> QuerySet[User]:
    """Whom each step is told to: the members of both parties to the dispute."""
    return approved_members([request.subcontractor_id, request.prime_id])


def reviewers() -> QuerySet[User]:
    return User.objects.filter(role=User.Role.REVIEWER, is_active=True).order_by("pk")
