"""Read queries shared by the invoice pages and the API (LAW-3)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from commissioning.contracts.models import Contract, ContractParty
from commissioning.directory.models import Organisation
from commissioning.invoices.models import Invoice


def contracts_of(organisation: Organisation) -> QuerySet[Contract]:
    """The contracts ``organisation`` is in: as commissioning body, prime or named party."""
    return (
        Contract.objects.filter(
            Q(commissioning_body=organisation)
            | Q(prime=organisation)
            | Q(parties__organisation=organisation)
        )
        .select_related("commissioning_body", "prime")
        .distinct()
        .order_by("-start_date", "reference")
    )


def role_in(organisation: Organisation, contract: Contract) -> str:
    if contract.commissioning_body_id == organisation.pk:
        return "Commissioning body"
    if contract.prime_id == organisation.pk:
        return "Prime contractor"
    party = contract.parties.filter(organisation=organisation).first()
    return ContractParty.Role(party.role).label if party else "Party"


def invoices_of(organisation: Organisation, contract: Contract) -> QuerySet[Invoice]:
    """The invoices ``organisation`` issued or was sent under ``contract``."""
    return (
        Invoice.objects.filter(contract=contract)
        .filter(Q(issuer=organisation) | Q(payer=organisation))
        .select_related("contract", "issuer", "payer")
    )
