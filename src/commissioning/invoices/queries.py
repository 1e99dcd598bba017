"""Read queries shared by the invoice pages and the API (LAW-3)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncQuarter

from commissioning.contracts.models import Contract, ContractParty
from commissioning.directory.models import Organisation
from commissioning.invoices.models import Invoice, Payment


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
    """The organisation's role in ``contract``; reads the contract's parties as prefetched
    where they are (``prefetch_related("parties")``)."""
    if contract.commissioning_body_id == organisation.pk:
        return "Commissioning body"
    if contract.prime_id == organisation.pk:
        return "Prime contractor"
    party = next((p for p in contract.parties.all() if p.organisation_id == organisation.pk), None)
    return ContractParty.Role(party.role).label if party else "Party"


def invoices_under(organisation: Organisation, contract_ids: Iterable[int]) -> QuerySet[Invoice]:
    """The invoices ``organisation`` issued or was sent under any of the contracts, in one
    query."""
    return (
        Invoice.objects.filter(contract__in=list(contract_ids))
        .filter(Q(issuer=organisation) | Q(payer=organisation))
        .select_related("contract", "issuer", "payer")
    )


def subcontractor_paid_by_quarter(
    contract_ids: Iterable[int],
) -> dict[int, dict[tuple[str, date], Decimal]]:
    """The money paid to each sub-contractor (by its party id in the mechanism) in each
    calendar quarter (by its first day), by the day of each payment, by contract id, for the
    contracts in one query: what it received against its bid's promise (SUP-2)."""
    rows = (
        Payment.objects.filter(
            invoice__contract__in=list(contract_ids), invoice__tier=Invoice.Tier.SUBCONTRACTOR
        )
        .annotate(quarter=TruncQuarter("paid_on"))
        .values("invoice__contract", "invoice__issuer_party", "quarter")
        .annotate(total=Sum("amount"))
    )
    found: dict[int, dict[tuple[str, date], Decimal]] = {}
    for row in rows:
        quarter = row["quarter"]
        quarter = quarter.date() if hasattr(quarter, "date") else quarter
        found.setdefault(int(row["invoice__contract"]), {})[
            (str(row["invoice__issuer_party"]), quarter)
        ] = Decimal(row["total"]).quantize(Decimal("0.01"))
    return found


def paid_to_subcontractors(contract: Contract, first: date, last: date) -> dict[str, Decimal]:
    """The money the prime paid each sub-contractor (by its party id in the mechanism) under
    ``contract`` between ``first`` and ``last`` inclusive, by the day of each payment: a
    quarter's supply-chain return (SUP-1)."""
    rows = (
        Payment.objects.filter(
            invoice__contract=contract,
            invoice__tier=Invoice.Tier.SUBCONTRACTOR,
            paid_on__range=(first, last),
        )
        .values("invoice__issuer_party")
        .annotate(total=Sum("amount"))
    )
    return {str(row["invoice__issuer_party"]): Decimal(row["total"]) for row in rows}


def subcontractor_payments(contract: Contract, first: date, last: date) -> QuerySet[Payment]:
    """Each payment the prime made to a sub-contractor under ``contract`` between ``first`` and
    ``last`` inclusive, oldest first: the contract's implementation transactions (SUP-1)."""
    return (
        Payment.objects.filter(
            invoice__contract=contract,
            invoice__tier=Invoice.Tier.SUBCONTRACTOR,
            paid_on__range=(first, last),
        )
        .select_related("invoice", "invoice__issuer", "invoice__payer")
        .order_by("paid_on", "pk")
    )
