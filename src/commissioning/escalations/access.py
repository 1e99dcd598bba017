"""Who may see or change escalations (REF-2), on the building blocks of
:mod:`commissioning.permissions` (ADR 0007). Nothing in an escalation is public.

* The approved members of an organisation delivering under a contract (its prime, or a prime or
  sub-contractor party linked to the directory) raise escalations under it for that organisation,
  and read their organisation's escalations. An organisation's API token does the same for its
  one organisation.
* The probation practitioners of the probation body serving the contract (approved members of
  it with the probation role; :mod:`commissioning.contracts.probation` says which body serves
  which contract) read, acknowledge and respond to the escalations under it. The contract's
  commissioner (a police and crime commissioner, say) does not, unless it is that body.
* A probation body's record (figures and the late escalations, without what happened), over the
  escalations under the contracts it serves, is for the body's own staff: its approved members,
  whatever their role.
* A contract's commissioners (commissioners of its commissioning body, a police and crime
  commissioner say) manage it, so they see each probation area's record over the escalations
  under the contracts their body commissions: the figures and the late ones, never an
  escalation itself (what happened stays with the provider and the serving probation body).
* Everyone else, site administrators included, gets 404: an escalation is about a person.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from commissioning.accounts.models import User
from commissioning.contracts.models import Contract, ContractParty
from commissioning.contracts.probation import (
    contracts_served_by,
    is_probation_body,
    probation_bodies_serving,
)
from commissioning.escalations.models import Escalation
from commissioning.permissions import (
    Visitor,
    approved_members,
    is_active_user,
    is_approved_member,
    is_commissioner_of,
    is_probation_practitioner_of,
    member_organisations,
)

DELIVERING_ROLES = (ContractParty.Role.PRIME, ContractParty.Role.SUBCONTRACTOR)
NOT_FOUND = "No escalation with that number"


def delivering_organisation_ids(contract: Contract) -> set[int]:
    """The organisations that deliver under ``contract``: its prime and its prime and
    sub-contractor parties that have a directory entry."""
    parties = contract.parties.filter(role__in=DELIVERING_ROLES, organisation__isnull=False)
    return {contract.prime_id, *parties.values_list("organisation_id", flat=True)}


def raising_organisations(user: Visitor | None, contract: Contract) -> list[Any]:
    """The organisations ``user`` may raise escalations for under ``contract``."""
    if not is_active_user(user):
        return []
    delivering = delivering_organisation_ids(contract)
    return list(member_organisations(user).filter(pk__in=delivering, is_commissioning_body=False))


def can_raise(user: Visitor, contract: Contract) -> bool:
    return bool(raising_organisations(user, contract))


def organisation_may_raise(organisation: Any, contract: Contract) -> bool:
    """For an API token: its organisation delivers under ``contract``."""
    return not organisation.is_commissioning_body and organisation.pk in (
        delivering_organisation_ids(contract)
    )


def answering_body_ids(contract: Contract) -> list[int]:
    """The probation bodies an escalation under ``contract`` goes to: those serving it."""
    return list(probation_bodies_serving(contract).values_list("pk", flat=True))


def probation_names(contract: Contract) -> str:
    """The names of the probation bodies serving ``contract``, for the pages and notices that
    say who answers."""
    names = probation_bodies_serving(contract).order_by("name").values_list("name", flat=True)
    return " and ".join(names) or "Probation"


def can_answer(user: Visitor, escalation: Escalation) -> bool:
    """Acknowledge and respond: the probation practitioners of a body serving the contract."""
    return any(
        is_probation_practitioner_of(user, body_id)
        for body_id in answering_body_ids(escalation.contract)
    )


def can_read(user: Visitor, escalation: Escalation) -> bool:
    return is_approved_member(user, escalation.organisation_id) or can_answer(user, escalation)


def can_read_organisation_list(user: Visitor, organisation: Any) -> bool:
    return not organisation.is_commissioning_body and is_approved_member(user, organisation.pk)


def can_read_body_list(user: Visitor, body: Any) -> bool:
    return is_probation_body(body) and is_probation_practitioner_of(user, body.pk)


def can_read_body_record(user: Visitor, body: Any) -> bool:
    """A probation body's record: its own staff (approved members of the body)."""
    return is_probation_body(body) and is_approved_member(user, body.pk)


def can_read_commissioned_record(user: Visitor, body: Any) -> bool:
    """The record over a commissioning body's contracts: the body's commissioners."""
    return body.is_commissioning_body and is_commissioner_of(user, body.pk)


def _base() -> QuerySet[Escalation]:
    return Escalation.objects.select_related(
        "contract", "contract__commissioning_body", "organisation", "raised_by"
    )


def readable_escalations(user: Visitor) -> QuerySet[Escalation]:
    """Every escalation ``user`` may read: their organisations' own, and those under the
    contracts served by the probation bodies where they are a probation practitioner."""
    if not is_active_user(user):
        return Escalation.objects.none()
    organisations = list(member_organisations(user))
    readable = Q(organisation__in=organisations)
    if user.role == User.Role.PROBATION:
        for body in organisations:
            readable |= Q(contract__in=contracts_served_by(body).values("pk"))
    return _base().filter(readable)


def escalation_for(user: Visitor, escalation_id: int) -> Escalation:
    """The escalation if ``user`` may read it, else 404 (whether or not it exists)."""
    escalation = _base().filter(pk=escalation_id).first()
    if escalation is None or not can_read(user, escalation):
        raise Http404(NOT_FOUND)
    return escalation


def escalation_for_organisation(organisation: Any, escalation_id: int) -> Escalation:
    """For an API token: its organisation's own escalation, else 404."""
    escalation = _base().filter(pk=escalation_id, organisation=organisation).first()
    if escalation is None:
        raise Http404(NOT_FOUND)
    return escalation


def practitioners_serving(contract: Contract) -> QuerySet[User]:
    """The people who answer escalations under ``contract``: the active probation
    practitioners of the bodies serving it."""
    return approved_members(answering_body_ids(contract)).filter(role=User.Role.PROBATION)
