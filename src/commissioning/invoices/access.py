"""Who may see and change invoices (LAW-3; ADR 0007), on the building blocks of
:mod:`commissioning.permissions`.

* The issuing organisation's approved members record its invoices: the prime's against the
  commissioning body, a sub-contractor's against the prime. They state the day the payer
  received the invoice (they sent it, and keep the proof); the payer may correct that day.
* The paying organisation's approved members record payments, disputes and their resolution,
  and correct the day received.
* The contract's commissioners (of its commissioning body) and the prime's members see every
  invoice under the contract; a sub-contractor's members see their own.
* Everyone else, the public included, sees aggregate figures only: the per-period totals and
  the payments-compliance figures. Site administrators get no exception.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from commissioning.contracts.models import Contract, ContractParty
from commissioning.invoices.models import Invoice
from commissioning.permissions import (
    Visitor,
    is_active_user,
    is_approved_member,
    is_commissioner_of,
    member_organisations,
)


@dataclass(frozen=True)
class IssuingParty:
    """A party of the contract ``user`` may invoice for: its mechanism id, tier, the issuing
    organisation and the organisation it invoices."""

    party_id: str
    tier: Invoice.Tier
    issuer: Any
    payer: Any
    name: str


def issuing_parties(
    user: Visitor,
    contract: Contract,
    *,
    mine: Collection[int] | None = None,
    parties: Iterable[ContractParty] | None = None,
) -> list[IssuingParty]:
    """The parties of ``contract`` whose invoices ``user`` may record: the prime (to the body)
    and each sub-contractor (to the prime) they are an approved member of. A page listing many
    contracts passes the ids of the user's organisations (``mine``) and each contract's parties
    with their organisations, read once for all."""
    if not is_active_user(user):
        return []
    if mine is None:
        mine = set(member_organisations(user).values_list("pk", flat=True))
    if parties is None:
        parties = contract.parties.select_related("organisation")
    found = []
    for party in sorted(parties, key=lambda p: (p.role, p.party_id)):
        organisation = party.organisation
        if organisation is None or organisation.pk not in mine:
            continue
        if party.role == ContractParty.Role.PRIME and party.organisation_id == contract.prime_id:
            tier, payer = Invoice.Tier.PRIME, contract.commissioning_body
        elif party.role == ContractParty.Role.SUBCONTRACTOR:
            tier, payer = Invoice.Tier.SUBCONTRACTOR, contract.prime
        else:
            continue
        found.append(IssuingParty(party.party_id, tier, organisation, payer, organisation.name))
    return found


def can_record_invoice(
    user: Visitor,
    contract: Contract,
    *,
    mine: Collection[int] | None = None,
    parties: Iterable[ContractParty] | None = None,
) -> bool:
    return contract.status == Contract.Status.ACTIVE and bool(
        issuing_parties(user, contract, mine=mine, parties=parties)
    )


def can_act_as_payer(user: Visitor, invoice: Invoice) -> bool:
    """Record a payment, a dispute or its resolution, or correct the day received."""
    return is_approved_member(user, invoice.payer_id)


def sees_every_invoice(user: Visitor, contract: Contract) -> bool:
    """The contract's commissioners and the prime's members (a party to every invoice)."""
    return is_commissioner_of(user, contract.commissioning_body_id) or is_approved_member(
        user, contract.prime_id
    )


def visible_invoices(user: Visitor, contract: Contract) -> QuerySet[Invoice]:
    """The invoices of ``contract`` that ``user`` may read one by one (none for the public)."""
    invoices = Invoice.objects.filter(contract=contract)
    if sees_every_invoice(user, contract):
        return invoices
    if not is_active_user(user):
        return invoices.none()
    mine = member_organisations(user).values("pk")
    return invoices.filter(Q(issuer__in=mine) | Q(payer__in=mine))


def is_party_to_invoices(user: Visitor, contract: Contract) -> bool:
    """Sees some invoices of ``contract`` one by one (or may record one)."""
    return sees_every_invoice(user, contract) or bool(issuing_parties(user, contract))


def issuers_shown(
    user: Visitor, contract: Contract, prime: str, subcontractors: list[str]
) -> list[str]:
    """The issuing parties whose owed, invoiced and paid figures ``user`` sees one by one: the
    prime's (public), and each sub-contractor's to those who see its invoices (the public sees
    the sub-contractors' together)."""
    if sees_every_invoice(user, contract):
        return [prime, *subcontractors]
    own = {p.party_id for p in issuing_parties(user, contract)}
    return [prime, *(party for party in subcontractors if party in own)]


def can_view_invoice(user: Visitor, invoice: Invoice) -> bool:
    return (
        sees_every_invoice(user, invoice.contract)
        or is_approved_member(user, invoice.issuer_id)
        or is_approved_member(user, invoice.payer_id)
    )


def invoice_or_404(user: Visitor, contract: Contract, pk: int | str) -> Invoice:
    """The loader: an invoice of ``contract`` the user may read; 404 for any other (an
    outsider is not told it exists)."""
    try:
        invoice = Invoice.objects.select_related("contract", "issuer", "payer").get(
            contract=contract, pk=pk
        )
    except (Invoice.DoesNotExist, ValueError):
        raise Http404("No invoice with that number under this contract") from None
    if not can_view_invoice(user, invoice):
        raise Http404("No invoice with that number under this contract")
    return invoice
