"""Set-ups for invoice tests: a contract with its parties and a member of each (LAW-3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from commissioning.accounts.models import User
from commissioning.contracts.models import Contract
from commissioning.invoices import services
from commissioning.invoices.models import Invoice
from tests.contract_factories import contract_with_parties
from tests.factories import member_of


@dataclass
class Cast:
    contract: Contract
    commissioner: User
    body_finance: User
    prime: User
    housing: User
    womens: User
    outsider: User


def cast(**contract_fields: object) -> Cast:
    """The illustrative supply-chain contract (terms: 30 days from the body, 14 days to the
    housing charity, 30 to the women's centre) with a member of each organisation."""
    contract = contract_with_parties(**contract_fields)
    org = {p.party_id: p.organisation for p in contract.parties.select_related("organisation")}
    return Cast(
        contract=contract,
        commissioner=member_of(contract.commissioning_body, role=User.Role.COMMISSIONER),
        body_finance=member_of(contract.commissioning_body, role=User.Role.COMMISSIONER),
        prime=member_of(contract.prime),
        housing=member_of(org["housing-charity"]),
        womens=member_of(org["womens-centre"]),
        outsider=member_of(contract_with_parties().prime),
    )


def invoice(
    user: User,
    contract: Contract,
    party: str,
    reference: str,
    received: date,
    amount: str = "1000.00",
    period: int = 1,
) -> Invoice:
    return services.record_invoice(
        user,
        contract,
        services.InvoiceInput(party, reference, period, Decimal(amount), received),
        today=date(2027, 6, 30),
    )
