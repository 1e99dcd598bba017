"""Who may see and change monitoring returns (SUP-7; ADR 0007), on the building blocks of
:mod:`commissioning.permissions`.

* The organisation's approved members write, submit and correct its returns and see them whole.
* A funder sees, for each organisation it funds, only the parts its relationship declared, and
  only for the quarters that overlap the period it funds; drafts never:

  - a contract's commissioners (of its commissioning body), for the prime and every
    sub-contractor or consortium member;
  - the prime's approved members, for its sub-contractors and consortium members;
  - a grant's funder (the commissioners of the round's commissioning body), for the holder.

* What a contract needs is said by its commissioners; what a grant needs, by its funder.
* Nobody else sees a return or that it exists (404), site administrators included.
"""

from __future__ import annotations

from datetime import date

from django.db.models import F, Q, QuerySet
from django.http import Http404

from commissioning.accounts.models import User
from commissioning.contracts.models import Contract, ContractParty
from commissioning.directory.models import Organisation
from commissioning.grants.models import GrantAgreement
from commissioning.monitoring.models import Entitlement, MonitoringReturn, Part
from commissioning.permissions import (
    Visitor,
    is_active_user,
    is_approved_member,
    is_commissioner_of,
    member_organisations,
)

SUBMITTED = (MonitoringReturn.Status.SUBMITTED, MonitoringReturn.Status.CORRECTED)
FUNDED_ROLES = (ContractParty.Role.SUBCONTRACTOR, ContractParty.Role.CONSORTIUM_MEMBER)


def can_write(user: Visitor, organisation_id: int) -> bool:
    return is_approved_member(user, organisation_id)


def contract_providers(contract: Contract) -> list[Organisation]:
    """The organisations a contract funds: its prime, then its sub-contractors and consortium
    members that are in the directory."""
    others = Organisation.objects.filter(
        contract_parties__contract=contract, contract_parties__role__in=FUNDED_ROLES
    ).exclude(pk=contract.prime_id)
    return [contract.prime, *others.distinct().order_by("name", "pk")]


def funds_under_contract(user: Visitor, contract: Contract, organisation_id: int) -> bool:
    """Sees (and declares the needs of) ``organisation_id``'s returns under ``contract``."""
    if is_commissioner_of(user, contract.commissioning_body_id):
        return True
    return organisation_id != contract.prime_id and is_approved_member(user, contract.prime_id)


def declares_for_contract(user: Visitor, contract: Contract) -> bool:
    """What a contract needs of its providers' returns is said by its commissioners, once for
    the commissioners and the prime alike."""
    return is_commissioner_of(user, contract.commissioning_body_id)


def funds_grant(user: Visitor, agreement: GrantAgreement) -> bool:
    """The grant's funder: the commissioners of the round's commissioning body."""
    body_id = agreement.application.grant_round.exercise.commissioning_body_id
    return is_commissioner_of(user, body_id)


def held_entitlements(user: Visitor) -> QuerySet[Entitlement]:
    """Every relationship ``user`` funds that has declared its needs, in one query."""
    if not is_active_user(user):
        return Entitlement.objects.none()
    mine = member_organisations(user).values("pk")
    bodies = (
        member_organisations(user).filter(is_commissioning_body=True).values("pk")
        if user.role == User.Role.COMMISSIONER
        else Organisation.objects.none().values("pk")
    )
    return Entitlement.objects.filter(
        Q(contract__commissioning_body__in=bodies)
        | (Q(contract__prime__in=mine) & ~Q(organisation=F("contract__prime")))
        | Q(grant_agreement__application__grant_round__exercise__commissioning_body__in=bodies)
    ).select_related("contract", "grant_agreement__application__grant_round")


def funded_period(entitlement: Entitlement) -> tuple[date, date]:
    if entitlement.contract is not None:
        return entitlement.contract.start_date, entitlement.contract.end_date
    agreement = entitlement.grant_agreement
    assert agreement is not None
    return agreement.starts_on, agreement.ends_on


def covers(entitlement: Entitlement, monitoring_return: MonitoringReturn) -> bool:
    """Whether the quarter of ``monitoring_return`` overlaps the period the relationship funds."""
    first, last = funded_period(entitlement)
    return monitoring_return.quarter_start <= last and monitoring_return.quarter_end >= first


def parts_for(monitoring_return: MonitoringReturn, entitlements: list[Entitlement]) -> list[str]:
    """The parts of ``monitoring_return`` that ``entitlements`` (already known to be held by the
    reader) give, in the return's own order; none for a draft."""
    if monitoring_return.status not in SUBMITTED:
        return []
    wanted: set[str] = set()
    for entitlement in entitlements:
        if entitlement.organisation_id == monitoring_return.organisation_id and covers(
            entitlement, monitoring_return
        ):
            wanted.update(entitlement.parts)
    return [part.value for part in Part if part.value in wanted]


def visible_parts(user: Visitor, monitoring_return: MonitoringReturn) -> list[str]:
    """Every part for the organisation's own members; what the reader's funding gives others."""
    if can_write(user, monitoring_return.organisation_id):
        return [part.value for part in Part]
    held = list(held_entitlements(user).filter(organisation=monitoring_return.organisation_id))
    return parts_for(monitoring_return, held)


def readable_returns(user: Visitor) -> list[tuple[MonitoringReturn, list[str]]]:
    """Every return ``user`` may read with the parts they see: their organisations' own, then
    those they fund, newest quarter first."""
    if not is_active_user(user):
        return []
    own_ids = set(member_organisations(user).values_list("pk", flat=True))
    held = list(held_entitlements(user))
    funded_ids = {e.organisation_id for e in held} - own_ids
    found = (
        MonitoringReturn.objects.filter(
            Q(organisation__in=own_ids) | Q(organisation__in=funded_ids, status__in=SUBMITTED)
        )
        .select_related("organisation")
        .prefetch_related("case_studies")
        .order_by("-quarter_start", "organisation__name", "pk")
    )
    every = [part.value for part in Part]
    rows: list[tuple[MonitoringReturn, list[str]]] = []
    for monitoring_return in found:
        if monitoring_return.organisation_id in own_ids:
            rows.append((monitoring_return, every))
            continue
        parts = parts_for(monitoring_return, held)
        if parts:
            rows.append((monitoring_return, parts))
    return rows


def return_or_404(user: Visitor, pk: int) -> tuple[MonitoringReturn, list[str]]:
    """The loader: the return and the parts ``user`` sees, or 404 when they see none."""
    found = MonitoringReturn.objects.select_related("organisation").filter(pk=pk).first()
    if found is None:
        raise Http404("No such monitoring return")
    parts = visible_parts(user, found)
    if not parts:
        raise Http404("No such monitoring return")
    return found, parts
