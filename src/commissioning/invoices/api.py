"""JSON API for invoices and payments (LAW-3, UK17).

* ``GET /api/contracts/{reference}/invoices``: the invoices the signed-in user may see under the
  contract (its commissioners and the prime's members: all; a sub-contractor's: its own); 401
  when not signed in, 403 for anyone with no part in the contract's invoices.
* ``POST .../invoices``, ``POST .../invoices/{id}/payments``, ``.../dispute``, ``.../resolution``:
  the same services as the web forms, so the same rules and messages (403 who, 400 what, by
  field, nothing written); an invoice the user may not see is 404. A payment takes an optional
  ``Idempotency-Key``: a repeat answers with the first payment and pays nothing twice. Each
  takes the ``version`` read with the invoice: a change saved since is refused (409) saying
  what changed and by whom, and nothing is written (issue 13).
* ``GET /api/payments-compliance/{slug}`` (a commissioning body) and
  ``GET /api/contracts/{reference}/payments-compliance`` (the prime's payments to its
  sub-contractors): public aggregate figures per six-month reporting period.
* ``GET /api/vcs-share``: the share of delivery money reaching voluntary and community
  organisations, each quarter, nationally and by police force area (SUP-6).

Money is a decimal string of pounds; dates are ISO dates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from commissioning import idempotency
from commissioning.api.errors import WRITE_ERRORS, ErrorOut
from commissioning.api.pagination import Page, PageQuery, page_of
from commissioning.audit.models import AuditEvent
from commissioning.audit.versions import current_version
from commissioning.contracts import services as contract_services
from commissioning.contracts.models import Contract
from commissioning.directory.models import Organisation
from commissioning.invoices import access, compliance, services
from commissioning.invoices import vcs_share as vcs_share_service
from commissioning.invoices.compliance import PeriodFigures
from commissioning.invoices.models import Invoice
from commissioning.permissions import signed_in_user

router = Router(tags=["Invoices and payments"])
compliance_router = Router(tags=["Invoices and payments"])


class InvoiceOut(Schema):
    id: int
    reference: str = Field(description="The issuer's invoice number.")
    tier: str = Field(
        description="prime (to the commissioning body) or subcontractor (to the prime)"
    )
    issuer_party: str = Field(description="The issuer's party id in the payment mechanism.")
    issuer: str
    payer: str
    period: int = Field(description="The contract period it is for.")
    amount: str = Field(description="Pounds, a decimal string.")
    amount_paid: str
    received_on: date
    terms_days: int
    due_on: date
    status: str = Field(description="awaiting_payment, part_paid, paid or disputed")
    paid_on: date | None = Field(description="The day it was paid in full.")
    paid_on_time: bool | None = Field(description="Paid by its due date; null until paid.")
    disputed_on: date | None
    dispute_reason: str
    resolved_on: date | None
    resolution: str
    is_synthetic: bool
    url: str
    version: str = Field(
        description="Send it back with a payment, dispute or resolution: a change saved since "
        "is refused (409)."
    )


class InvoiceListOut(Page):
    contract: str
    results: list[InvoiceOut]


class InvoiceIn(Schema):
    party: str = Field(description="Your organisation's party id in the contract's mechanism.")
    reference: str = Field(description="Your invoice number.")
    period: int = Field(description="The contract period it is for (from 1).")
    amount: str = Field(description='Pounds and pence, a decimal string like "1250.00".')
    received_on: date = Field(description="The day the paying organisation received it.")


class PaymentIn(Schema):
    amount: str = Field(description="Pounds and pence, at most what is still owed.")
    paid_on: date
    version: str | None = Field(
        default=None,
        description="The invoice's version as read: a change saved since is refused (409).",
    )


class DisputeIn(Schema):
    reason: str
    disputed_on: date
    version: str | None = Field(
        default=None,
        description="The invoice's version as read: a change saved since is refused (409).",
    )


class ResolutionIn(Schema):
    resolution: str
    resolved_on: date
    version: str | None = Field(
        default=None,
        description="The invoice's version as read: a change saved since is refused (409).",
    )


class PaymentOut(Schema):
    amount: str
    paid_on: date
    invoice: InvoiceOut


class TermsOut(Schema):
    party: str = Field(description="The sub-contractor's party id.")
    invoices_paid: int
    average_days_to_pay: float
    terms_days: int
    paid_after_due: int
    later_than_terms: bool


class FiguresOut(Schema):
    first_day: date
    last_day: date
    complete: bool = Field(description="The period has ended: the figures are final.")
    invoices_paid: int
    average_days_to_pay: float | None = Field(
        description="Day 1 is the day after the invoice was received."
    )
    share_paid_1_30_days: float | None = Field(description="A fraction from 0 to 1.")
    share_paid_31_60_days: float | None
    share_paid_61_days_or_more: float | None
    invoices_became_payable: int
    share_due_unpaid: float | None
    against_terms: list[TermsOut] = Field(
        default_factory=list, description="Each sub-contractor's payments against its terms."
    )


class ComplianceOut(Schema):
    payer: str
    periods: list[FiguresOut]


def invoice_out(invoice: Invoice, version: str | None = None) -> dict[str, Any]:
    """``version``: the invoice's, when already known (a list reads them all at once)."""
    return {
        "id": invoice.pk,
        "reference": invoice.reference,
        "tier": invoice.tier,
        "issuer_party": invoice.issuer_party,
        "issuer": invoice.issuer.name,
        "payer": invoice.payer.name,
        "period": invoice.period,
        "amount": str(invoice.amount),
        "amount_paid": str(invoice.amount_paid),
        "received_on": invoice.received_on,
        "terms_days": invoice.terms_days,
        "due_on": invoice.due_on,
        "status": invoice.status,
        "paid_on": invoice.paid_on,
        "paid_on_time": None if invoice.paid_on is None else invoice.paid_on <= invoice.due_on,
        "disputed_on": invoice.disputed_on,
        "dispute_reason": invoice.dispute_reason,
        "resolved_on": invoice.resolved_on,
        "resolution": invoice.resolution,
        "is_synthetic": invoice.is_synthetic,
        "url": invoice.get_absolute_url(),
        "version": current_version(invoice) if version is None else version,
    }


def _versions(invoices: list[Invoice]) -> dict[int, str]:
    """The versions of ``invoices`` in one query (:func:`current_version` of each)."""
    last = (
        AuditEvent.objects.filter(
            target_type=Invoice._meta.label, target_id__in=[str(i.pk) for i in invoices]
        )
        .values("target_id")
        .annotate(last=Max("id"))
    )
    found = {int(row["target_id"]): str(row["last"]) for row in last}
    return {i.pk: found.get(i.pk, "0") for i in invoices}


def _figures_out(item: PeriodFigures) -> dict[str, Any]:
    figures = item.figures
    bands = figures.share_paid_by_band if figures else None
    return {
        "first_day": item.period.first_day,
        "last_day": item.period.last_day,
        "complete": item.complete,
        "invoices_paid": figures.invoices_paid if figures else 0,
        "average_days_to_pay": figures.average_days_to_pay if figures else None,
        "share_paid_1_30_days": bands[0] if bands else None,
        "share_paid_31_60_days": bands[1] if bands else None,
        "share_paid_61_days_or_more": bands[2] if bands else None,
        "invoices_became_payable": figures.invoices_became_payable if figures else 0,
        "share_due_unpaid": figures.share_due_unpaid if figures else None,
        "against_terms": [
            {
                "party": t.payee,
                "invoices_paid": t.invoices_paid,
                "average_days_to_pay": t.average_days_to_pay,
                "terms_days": t.terms_days,
                "paid_after_due": t.paid_after_due,
                "later_than_terms": t.later_than_terms,
            }
            for t in item.against_terms
        ],
    }


def _contract(reference: str) -> Contract:
    try:
        return contract_services.get_contract(reference)
    except Contract.DoesNotExist:
        raise Http404(f"No contract {reference}") from None


def _invoice(request: HttpRequest, reference: str, invoice_id: int) -> Invoice:
    return access.invoice_or_404(request.user, _contract(reference), invoice_id)


@router.get(
    "/{reference}/invoices",
    auth=django_auth,
    response={200: InvoiceListOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="A contract's invoices, as far as you may see them",
)
def list_invoices(request: HttpRequest, reference: str, pages: Query[PageQuery]) -> Any:
    """For the contract's commissioners and the prime's members (every invoice) and its
    sub-contractors' members (their own); the public has the aggregate figures only."""
    contract = _contract(reference)
    if not access.is_party_to_invoices(request.user, contract):
        raise PermissionDenied("Only the contract's parties see its invoices.")
    visible = access.visible_invoices(request.user, contract).select_related(
        "contract", "issuer", "payer"
    )
    page = page_of(visible, pages)
    versions = _versions(list(page["results"]))
    page["results"] = [invoice_out(i, versions[i.pk]) for i in page["results"]]
    return Status(200, {"contract": contract.reference, **page})


@router.post(
    "/{reference}/invoices",
    auth=django_auth,
    response={201: InvoiceOut, **WRITE_ERRORS},
    summary="Record an invoice",
)
def record_invoice(request: HttpRequest, reference: str, payload: InvoiceIn) -> Any:
    """For members of the issuing organisation (the prime, or a sub-contractor); the due date
    follows from the contract's terms for its tier. An invoice number is recorded once."""
    contract = _contract(reference)
    invoice = services.record_invoice(
        signed_in_user(request),
        contract,
        services.InvoiceInput(
            payload.party, payload.reference, payload.period, payload.amount, payload.received_on
        ),
    )
    return Status(201, invoice_out(invoice))


@router.post(
    "/{reference}/invoices/{invoice_id}/payments",
    auth=django_auth,
    response={201: PaymentOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Record a payment of an invoice",
)
def record_payment(
    request: HttpRequest, reference: str, invoice_id: int, payload: PaymentIn
) -> Any:
    """For members of the paying organisation: all or part of what is still owed."""
    invoice = _invoice(request, reference, invoice_id)
    payment = services.record_payment(
        signed_in_user(request),
        invoice,
        amount=payload.amount,
        paid_on=payload.paid_on,
        submission_key=idempotency.header_key(request),
        version=payload.version,
    )
    return Status(
        201,
        {
            "amount": str(payment.amount),
            "paid_on": payment.paid_on,
            "invoice": invoice_out(invoice),
        },
    )


@router.post(
    "/{reference}/invoices/{invoice_id}/dispute",
    auth=django_auth,
    response={200: InvoiceOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Dispute an invoice",
)
def dispute_invoice(
    request: HttpRequest, reference: str, invoice_id: int, payload: DisputeIn
) -> Any:
    """For members of the paying organisation, with the reason."""
    invoice = _invoice(request, reference, invoice_id)
    services.dispute(
        signed_in_user(request),
        invoice,
        reason=payload.reason,
        disputed_on=payload.disputed_on,
        version=payload.version,
    )
    return Status(200, invoice_out(invoice))


@router.post(
    "/{reference}/invoices/{invoice_id}/resolution",
    auth=django_auth,
    response={200: InvoiceOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Record how a dispute was resolved",
)
def resolve_dispute(
    request: HttpRequest, reference: str, invoice_id: int, payload: ResolutionIn
) -> Any:
    """For members of the paying organisation: the invoice is owed from the resolution day."""
    invoice = _invoice(request, reference, invoice_id)
    services.resolve(
        signed_in_user(request),
        invoice,
        resolution=payload.resolution,
        resolved_on=payload.resolved_on,
        version=payload.version,
    )
    return Status(200, invoice_out(invoice))


@router.get(
    "/{reference}/payments-compliance",
    response={200: ComplianceOut, 404: ErrorOut},
    summary="How promptly a contract's prime pays its sub-contractors",
)
def contract_compliance(request: HttpRequest, reference: str) -> Any:
    """Public: per six-month period, the prime's payments to its sub-contractors, each
    sub-contractor's against its terms."""
    contract = _contract(reference)
    periods = compliance.chain_compliance(contract, timezone.localdate())
    return Status(
        200, {"payer": contract.prime.name, "periods": [_figures_out(p) for p in periods]}
    )


@compliance_router.get(
    "/{slug}",
    response={200: ComplianceOut, 404: ErrorOut},
    summary="A commissioning body's payments compliance",
)
def body_compliance(request: HttpRequest, slug: str) -> Any:
    """Public: per six-month period, the Procurement Act figures for the body's payments of
    its primes' invoices."""
    body = get_object_or_404(Organisation, slug=slug, is_commissioning_body=True)
    periods = compliance.body_compliance(body, timezone.localdate())
    return Status(200, {"payer": body.name, "periods": [_figures_out(p) for p in periods]})


vcs_share_router = Router(tags=["Invoices and payments"])


class VcsShareOut(Schema):
    quarter_start: date
    area: str = Field(description="A police force area, or England and Wales for the total.")
    delivery_money: str = Field(description="Pounds paid for delivery in the quarter.")
    vcs_money: str = Field(
        description="Pounds of it that reached charities and social enterprises."
    )
    vcs_share_percent: str | None = Field(description="None where no delivery money was paid.")
    organisations_paid: int
    vcs_organisations_paid: int


@vcs_share_router.get(
    "",
    response={200: list[VcsShareOut]},
    summary="The share of delivery money reaching voluntary and community organisations",
)
def vcs_share(request: HttpRequest) -> Any:
    """Public: each quarter, nationally and by police force area, from the recorded payments
    (docs/invoices.md); newest quarter first."""
    return Status(
        200,
        [
            {
                "quarter_start": row.quarter_start,
                "area": row.area,
                "delivery_money": f"{row.delivery_money:.2f}",
                "vcs_money": f"{row.vcs_money:.2f}",
                "vcs_share_percent": None if row.share is None else str(row.share),
                "organisations_paid": row.organisations,
                "vcs_organisations_paid": row.vcs_organisations,
            }
            for row in vcs_share_service.shares()
        ],
    )
