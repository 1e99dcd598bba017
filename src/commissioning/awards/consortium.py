"""A consortium's members on the contract made from its winning bid (PRO-6).

The lead stays the prime (it prepared the bid and is paid under the contract); each member
becomes a party of its own with the role ``consortium_member``, its role in the bid's own words
and its share of the work. A distinct role, not a flag on the prime or sub-contractor roles,
because a member is neither: it is not paid through the prime's supply chain and is promised
no value a year, so every query that means "the sub-contractors" stays right unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

from commissioning.accounts.models import User
from commissioning.bids.consortium import consortium_of, members
from commissioning.bids.models import Bid, Subcontractor
from commissioning.bids.services import members_of
from commissioning.contracts.models import Contract, ContractParty
from commissioning.directory.models import Organisation


def with_consortium(
    parties: list[ContractParty],
    contract: Contract,
    bid: Bid,
    party_id: Callable[[Organisation], str],
) -> list[ContractParty]:
    """``parties`` with the lead's role and share on the prime's party and a party (its id in
    the mechanism from ``party_id``) for each confirmed member; unchanged for a bid alone."""
    consortium = consortium_of(bid)
    if consortium is None:
        return parties
    for party in parties:
        if party.role == ContractParty.Role.PRIME:
            party.role_as_bid = consortium.lead_role
            party.share_of_work = consortium.lead_share
    return parties + [
        ContractParty(
            contract=contract,
            party_id=party_id(member.organisation),
            organisation=member.organisation,
            role=ContractParty.Role.CONSORTIUM_MEMBER,
            role_as_bid=member.role,
            share_of_work=member.share,
        )
        for member in members(bid)
        if member.consent == Subcontractor.Consent.CONFIRMED
    ]


def member_recipients(bid: Bid) -> list[User]:
    """The members' people, told when the contract is created."""
    people: list[User] = []
    for member in members(bid):
        people += members_of(member.organisation_id)
    return people
