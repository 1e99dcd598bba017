"""Who hears about an invoice (LAW-3): the paying organisation's members when one is recorded
(it is theirs to pay or dispute), the issuing organisation's when it is paid, disputed, its
dispute resolved or its date received corrected. In-app, each also emailed after commit."""

from __future__ import annotations

from commissioning.accounts.models import User
from commissioning.invoices.models import Invoice
from commissioning.notifications.services import notify
from commissioning.permissions import approved_members

KIND = "invoice"


def _members(organisation_id: int) -> list[User]:
    return list(approved_members([organisation_id]))


def _day(invoice: Invoice) -> str:
    return f"{invoice.due_on.day} {invoice.due_on:%B %Y}"


def invoice_recorded(invoice: Invoice) -> int:
    return notify(
        _members(invoice.payer_id),
        subject=f"Invoice {invoice.reference} from {invoice.issuer.name}",
        body=f"{invoice.issuer.name} recorded invoice {invoice.reference} for £{invoice.amount:,} "
        f"under {invoice.contract.reference}, received on {invoice.received_on.day} "
        f"{invoice.received_on:%B %Y} and due by {_day(invoice)}. Correct the date received if "
        "it reached you later.",
        url=invoice.get_absolute_url(),
        kind=KIND,
    )


def invoice_changed(invoice: Invoice, what: str) -> int:
    """Tell the issuer what the payer did: ``what`` completes "Invoice X was …"."""
    return notify(
        _members(invoice.issuer_id),
        subject=f"Invoice {invoice.reference} was {what}",
        body=f"{invoice.payer.name} recorded that invoice {invoice.reference} under "
        f"{invoice.contract.reference} was {what}. It is now "
        f"{Invoice.Status(invoice.status).label.lower()}, due by {_day(invoice)}.",
        url=invoice.get_absolute_url(),
        kind=KIND,
    )
