""" "Your contracts" (issue 14; REF-1, SUP-1, SUP-2, LAW-3): for each organisation the user is an
approved member of, each contract it is in, with the referrals waiting for its decision, its
invoices and whether they were paid on time, its open bid-candy flags and the supply-chain
return lines waiting for its confirmation.

The page reads four feature apps (invoices, referrals, delivery checks, supply returns) that may
not import one another, so it is composed here, above them (docs/architecture.md). Each part is
read once per organisation for all its contracts, so the page's queries do not grow with the
number of contracts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch

from commissioning.accounts.models import User
from commissioning.contracts.models import Contract, ContractParty
from commissioning.delivery_checks import services as delivery_checks
from commissioning.directory.models import Organisation
from commissioning.invoices import access as invoice_access
from commissioning.invoices import presentation as invoice_presentation
from commissioning.invoices import queries as invoice_queries
from commissioning.permissions import member_organisations
from commissioning.referrals import queries as referral_queries
from commissioning.referrals.models import Referral
from commissioning.supply_returns import access as return_access
from commissioning.supply_returns.models import ReturnLine
from commissioning.supply_returns.quarters import label_of


@dataclass(frozen=True)
class FlagShown:
    """An open bid-candy flag on one of the contract's sub-contractors, in words."""

    subcontractor: str
    own: bool
    words: dict[str, str]


@dataclass
class ContractEntry:
    contract: Contract
    role: str
    can_record: bool
    invoices: list[dict[str, Any]] = field(default_factory=list)
    waiting: list[Referral] = field(default_factory=list)
    flags: list[FlagShown] = field(default_factory=list)
    returns: list[tuple[ReturnLine, str]] = field(default_factory=list)


@dataclass(frozen=True)
class OrganisationEntry:
    organisation: Organisation
    contracts: list[ContractEntry]


def _flags(organisation: Organisation, contract: Contract, promises: list[Any]) -> list[FlagShown]:
    """The open flags the organisation answers for or oversees: a sub-contractor's own; every
    sub-contractor's for the prime and the commissioning body."""
    oversees = organisation.pk in (contract.prime_id, contract.commissioning_body_id)
    return [
        FlagShown(
            promise.name,
            promise.party.organisation_id == organisation.pk,
            delivery_checks.flag_words(flag),
        )
        for promise in promises
        if oversees or promise.party.organisation_id == organisation.pk
        for flag in promise.flags
    ]


def your_contracts(user: User, today: date) -> list[OrganisationEntry]:
    """Each of the user's organisations that is in a contract, with its contracts."""
    organisations = list(member_organisations(user))
    mine = {organisation.pk for organisation in organisations}
    waiting: dict[tuple[int, int], list[Referral]] = defaultdict(list)
    for referral in referral_queries.waiting_for_decision(user):
        waiting[(referral.provider_id, referral.contract_id)].append(referral)
    lines: dict[tuple[int, int], list[ReturnLine]] = defaultdict(list)
    for line in return_access.lines_to_answer(user):
        lines[(line.organisation_id, line.supply_return.contract_id)].append(line)
    found = []
    for organisation in organisations:
        contracts = list(
            invoice_queries.contracts_of(organisation).prefetch_related(
                Prefetch("parties", queryset=ContractParty.objects.select_related("organisation"))
            )
        )
        if not contracts:
            continue
        ids = [contract.pk for contract in contracts]
        invoices = defaultdict(list)
        for invoice in invoice_queries.invoices_under(organisation, ids):
            invoices[invoice.contract_id].append(invoice)
        promises = delivery_checks.promises_kept_of(contracts, today)
        entries = []
        for contract in contracts:
            parties = contract.parties.all()
            key = (organisation.pk, contract.pk)
            entries.append(
                ContractEntry(
                    contract=contract,
                    role=invoice_queries.role_in(organisation, contract),
                    can_record=invoice_access.can_record_invoice(
                        user, contract, mine=mine, parties=parties
                    ),
                    invoices=invoice_presentation.invoice_rows(invoices[contract.pk], today),
                    waiting=waiting[key],
                    flags=_flags(organisation, contract, promises[contract.pk]),
                    returns=[
                        (line, label_of(line.supply_return.quarter_start)) for line in lines[key]
                    ],
                )
            )
        found.append(OrganisationEntry(organisation, entries))
    return found
