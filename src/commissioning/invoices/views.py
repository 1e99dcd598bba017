"""Web pages for invoices and payments (LAW-3, UK17): thin views over :mod:`.services`,
:mod:`.access`, :mod:`.compliance` and :mod:`.presentation`.

A contract's "Invoices and payments" section is public for its aggregate figures; the invoices
themselves are shown to those :mod:`.access` lets see them. Each body's payments-compliance
figures are public. "Your contracts" lists an organisation's contracts and invoices.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from commissioning.audit.versions import StaleEdit, VersionedFormMixin, page_status
from commissioning.contracts import services as contract_services
from commissioning.contracts.models import Contract
from commissioning.contracts.sections import section_context
from commissioning.directory.models import Organisation
from commissioning.invoices import (
    access,
    compliance,
    lifecycle,
    payment_notices,
    presentation,
    services,
)
from commissioning.invoices import vcs_share as vcs_share_service
from commissioning.invoices.forms import (
    DisputeForm,
    InvoiceForm,
    PaymentForm,
    ReceivedForm,
    ResolutionForm,
)
from commissioning.invoices.models import Invoice
from commissioning.kernel.forms import apply_validation_error
from commissioning.permissions import signed_in_user

SECTION = "invoices:contract"


def _contract_or_404(reference: str) -> Contract:
    try:
        return contract_services.get_contract(reference)
    except Contract.DoesNotExist:
        raise Http404("No contract with that reference") from None


def _crumbs(contract: Contract, *last: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [
        ("Contracts", reverse("contracts:list")),
        (contract.reference, contract.get_absolute_url()),
        ("Invoices and payments", reverse(SECTION, args=[contract.reference]) if last else None),
        *last,
    ]


@require_http_methods(["GET", "HEAD"])
def contract_invoices(request: HttpRequest, reference: str) -> HttpResponse:
    contract = _contract_or_404(reference)
    money = presentation.contract_money(contract)
    mechanism = money.mechanism
    names = {p.id: p.name for p in mechanism.parties}
    user = request.user
    visible = access.visible_invoices(user, contract).select_related("contract", "issuer", "payer")
    parties = access.issuers_shown(
        user, contract, mechanism.prime, [s.subcontractor for s in mechanism.supply_chain]
    )
    today = timezone.localdate()
    context = {
        **section_context(user, contract, SECTION),
        "crumbs": _crumbs(contract),
        "can_record": access.can_record_invoice(user, contract),
        "is_party": access.is_party_to_invoices(user, contract),
        "tables": presentation.side_by_side(contract, money, parties),
        "subcontractors": presentation.aggregate_subcontractors(contract, money),
        "has_chain": bool(mechanism.supply_chain),
        "invoices": presentation.invoice_rows(visible, today, {contract.pk: money.labels}),
        "chain": presentation.figures_rows(compliance.chain_compliance(contract, today), names),
        "prime_name": names.get(mechanism.prime, contract.prime.name),
        "payment_notices": presentation.payment_notice_rows(
            payment_notices.notices_of(contract.pk)
        ),
    }
    return render(request, "invoices/contract.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invoice_new(request: HttpRequest, reference: str) -> HttpResponse:
    contract = _contract_or_404(reference)
    parties = access.issuing_parties(request.user, contract)
    if not parties:
        raise PermissionDenied(
            "Only members of the prime contractor or a sub-contractor record invoices here."
        )
    mechanism = contract_services.parsed(contract).mechanism
    labels = presentation.period_labels(contract)
    periods = [(n, labels.get(n, f"Period {n}")) for n in range(1, mechanism.term_periods + 1)]
    choices = [(p.party_id, f"{p.name} (to {p.payer.name})") for p in parties]
    form = InvoiceForm(request.POST or None, parties=choices, periods=periods)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invoice = services.record_invoice(
                signed_in_user(request),
                contract,
                services.InvoiceInput(
                    data["party"],
                    data["reference"],
                    data["period"],
                    data["amount"],
                    data["received_on"],
                ),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            due = presentation.day(invoice.due_on)
            messages.success(request, f"Invoice {invoice.reference} was recorded: due by {due}")
            return redirect(invoice)
    context = {
        "contract": contract,
        "form": form,
        "crumbs": _crumbs(contract, ("Record an invoice", None)),
    }
    return render(request, "invoices/new.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def invoice_detail(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    contract = _contract_or_404(reference)
    invoice = access.invoice_or_404(request.user, contract, pk)
    payer = access.can_act_as_payer(request.user, invoice)
    context = {
        "contract": contract,
        "invoice": invoice,
        "row": presentation.invoice_rows([invoice], timezone.localdate())[0],
        "payments": [
            {"day": presentation.day(p.paid_on), "amount": presentation.pounds(p.amount)}
            for p in invoice.payments.all()
        ],
        "outstanding": presentation.pounds(invoice.outstanding),
        "tier": Invoice.Tier(invoice.tier).label,
        "can_pay": payer and lifecycle.can_pay(invoice.status),
        "can_dispute": payer and lifecycle.can_dispute(invoice.status),
        "can_resolve": payer and lifecycle.can_resolve(invoice.status),
        "can_correct": payer and invoice.status != Invoice.Status.PAID,
        "crumbs": _crumbs(contract, (f"Invoice {invoice.reference}", None)),
        "disputed_on": presentation.day(invoice.disputed_on),
        "resolved_on": presentation.day(invoice.resolved_on),
    }
    return render(request, "invoices/detail.html", context)


def _payer_action(
    request: HttpRequest,
    reference: str,
    pk: int,
    form_class: type[Form],
    act: Callable[[Any, Invoice, dict[str, Any]], Any],
    title: str,
    done: str,
) -> HttpResponse:
    """A paying organisation's action on one invoice: the form, the service, back to it. A
    versioned form (:class:`VersionedFormMixin`) carries the invoice's version, and a save from
    a stale one is refused with 409 (issue 13)."""
    contract = _contract_or_404(reference)
    invoice = access.invoice_or_404(request.user, contract, pk)
    if not access.can_act_as_payer(request.user, invoice):
        raise PermissionDenied(f"Only members of {invoice.payer.name} can do this.")
    extra: dict[str, Any] = {}
    if issubclass(form_class, VersionedFormMixin):
        extra["versioned"] = invoice
    form = form_class(request.POST or None, **extra)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if isinstance(form, VersionedFormMixin):
            data = {**data, "version": form.edited_version()}
        try:
            act(request.user, invoice, data)
        except ValidationError as error:
            apply_validation_error(form, error)
        except StaleEdit as stale:
            assert isinstance(form, VersionedFormMixin)
            form.refuse_stale(stale)
        else:
            messages.success(request, done.format(reference=invoice.reference))
            return redirect(invoice)
    context = {
        "contract": contract,
        "invoice": invoice,
        "form": form,
        "title": title,
        "outstanding": presentation.pounds(invoice.outstanding),
        "crumbs": _crumbs(
            contract,
            (f"Invoice {invoice.reference}", invoice.get_absolute_url()),
            (title, None),
        ),
    }
    return render(request, "invoices/action.html", context, status=page_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def invoice_pay(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    return _payer_action(
        request,
        reference,
        pk,
        PaymentForm,
        lambda user, invoice, data: services.record_payment(
            user,
            invoice,
            amount=data["amount"],
            paid_on=data["paid_on"],
            submission_key=data["submission_key"],
            version=data["version"],
        ),
        "Record a payment",
        "The payment of invoice {reference} was recorded",
    )


@login_required
@require_http_methods(["GET", "POST"])
def invoice_dispute(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    return _payer_action(
        request,
        reference,
        pk,
        DisputeForm,
        lambda user, invoice, data: services.dispute(
            user,
            invoice,
            reason=data["reason"],
            disputed_on=data["disputed_on"],
            version=data["version"],
        ),
        "Dispute the invoice",
        "Invoice {reference} is disputed",
    )


@login_required
@require_http_methods(["GET", "POST"])
def invoice_resolve(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    return _payer_action(
        request,
        reference,
        pk,
        ResolutionForm,
        lambda user, invoice, data: services.resolve(
            user,
            invoice,
            resolution=data["resolution"],
            resolved_on=data["resolved_on"],
            version=data["version"],
        ),
        "Resolve the dispute",
        "The dispute about invoice {reference} was resolved",
    )


@login_required
@require_http_methods(["GET", "POST"])
def invoice_received(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    return _payer_action(
        request,
        reference,
        pk,
        ReceivedForm,
        lambda user, invoice, data: services.correct_received(
            user, invoice, received_on=data["received_on"], version=data["version"]
        ),
        "Correct the date received",
        "The date invoice {reference} was received was corrected",
    )


@require_http_methods(["GET", "HEAD"])
def compliance_index(request: HttpRequest) -> HttpResponse:
    context = {
        "bodies": compliance.bodies_with_figures(),
        "crumbs": [("Payments compliance", None)],
    }
    return render(request, "invoices/compliance_index.html", context)


@require_http_methods(["GET", "HEAD"])
def body_compliance(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(Organisation, slug=slug, is_commissioning_body=True)
    context = {
        "body": body,
        "periods": presentation.figures_rows(compliance.body_compliance(body)),
        "crumbs": [
            ("Payments compliance", reverse("invoices:compliance")),
            (body.name, None),
        ],
    }
    return render(request, "invoices/body_compliance.html", context)


@require_http_methods(["GET", "HEAD"])
def vcs_share(request: HttpRequest) -> HttpResponse:
    """Public: the share of delivery money reaching voluntary and community organisations, by
    quarter and police force area (SUP-6)."""
    context = {
        "rows": presentation.vcs_share_rows(vcs_share_service.shares()),
        "crumbs": [("Money reaching voluntary and community organisations", None)],
    }
    return render(request, "invoices/vcs_share.html", context)


@require_http_methods(["GET", "HEAD"])
def vcs_share_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        presentation.vcs_share_csv(vcs_share_service.shares()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="vcs-share.csv"'
    return response
