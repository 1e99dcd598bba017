"""A contract with the people around its escalations (REF-2): a member of the prime, of a
sub-contractor and of an unrelated charity; the commissioning body's (a PCC's) commissioner and
probation-role member; the probation service for the region the contract's lot lies in (which
serves it) with its probation practitioner; and a practitioner of another region's service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.contracts.models import Contract, ContractParty
from commissioning.directory.models import Area, Organisation
from commissioning.escalations import services
from commissioning.escalations.models import Escalation
from tests.contract_factories import contract_with_parties
from tests.factories import AreaFactory, CommissioningBodyFactory, OrganisationFactory, member_of


@dataclass
class Cast:
    contract: Contract
    prime: Organisation
    subcontractor: Organisation
    outsider_org: Organisation
    probation_body: Organisation
    other_probation_body: Organisation
    prime_member: User
    sub_member: User
    outsider: User
    probation: User
    commissioner: User
    other_probation: User
    site_admin: User
    pcc_probation: User
    probation_manager: User


def cast(**contract_kwargs: Any) -> Cast:
    contract = contract_with_parties(**contract_kwargs)
    sub = contract.parties.filter(role=ContractParty.Role.SUBCONTRACTOR).first()
    assert sub is not None and sub.organisation is not None
    outsider_org = OrganisationFactory(name="Unrelated charity")
    region = AreaFactory(name="North East", kind=Area.Kind.PROBATION_REGION)
    contract.lot.areas.add(AreaFactory(name="Northumbria", parent=region))
    probation_body = _probation_service("Probation Service North East", region)
    other_body = _probation_service(
        "Probation Service Wales", AreaFactory(name="Wales", kind=Area.Kind.PROBATION_REGION)
    )
    body = contract.commissioning_body
    return Cast(
        contract=contract,
        prime=contract.prime,
        subcontractor=sub.organisation,
        outsider_org=outsider_org,
        probation_body=probation_body,
        other_probation_body=other_body,
        prime_member=member_of(contract.prime, username="prime-worker"),
        sub_member=member_of(sub.organisation, username="sub-worker"),
        outsider=member_of(outsider_org, username="outsider"),
        probation=member_of(probation_body, role=User.Role.PROBATION, username="probation-officer"),
        commissioner=member_of(body, role=User.Role.COMMISSIONER, username="body-commissioner"),
        other_probation=member_of(other_body, role=User.Role.PROBATION, username="other-po"),
        site_admin=member_of(outsider_org, role=User.Role.ADMIN, username="site-admin"),
        pcc_probation=member_of(body, role=User.Role.PROBATION, username="pcc-probation"),
        probation_manager=member_of(
            probation_body, role=User.Role.COMMISSIONER, username="probation-manager"
        ),
    )


def _probation_service(name: str, region: Area) -> Organisation:
    return CommissioningBodyFactory(
        name=name,
        public_body_kind=Organisation.PublicBodyKind.PRISON_PROBATION,
        commissioning_tier=Organisation.Tier.SUB_NATIONAL,
        areas=[region],
    )


def raise_one(
    c: Cast, *, by: User | None = None, at: datetime | None = None, **kwargs: Any
) -> Escalation:
    user = by or c.sub_member
    organisation = c.subcontractor if user == c.sub_member else c.prime
    fields: dict[str, Any] = {
        "category": Escalation.Category.LICENCE_BREACH,
        "urgency": Escalation.Urgency.SAME_DAY,
        "what_happened": "Missed two appointments and said they were staying at a new address.",
        "occurred_at": at,
        **kwargs,
    }
    if fields["occurred_at"] is None:
        fields["occurred_at"] = (at or timezone.now()) - timedelta(hours=1)
    return services.raise_escalation(user, c.contract, organisation=organisation, now=at, **fields)
