"""Web pages for supply-chain returns (SUP-1): thin views over :mod:`.services`, :mod:`.access`
and :mod:`.presentation`.

The contract's "Supply-chain returns" section is public for submitted returns; the prime (and
the contract's commissioners) also see the drafts. Opening a quarter's return as the prime
drafts it from the records.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from commissioning import permissions
from commissioning.contracts import services as contract_services
from commissioning.contracts.models import Contract
from commissioning.contracts.sections import section_context
from commissioning.kernel.forms import apply_validation_error
from commissioning.supply_returns import access, presentation, services
from commissioning.supply_returns.forms import AnswerForm, SubmitForm
from commissioning.supply_returns.models import ReturnLine, SupplyReturn
from commissioning.supply_returns.quarters import code_of, ended_quarters, label_of, parse_quarter

SECTION = "supply_returns:contract"


def _contract_or_404(reference: str) -> Contract:
    try:
        return contract_services.get_contract(reference)
    except Contract.DoesNotExist:
        raise Http404("No contract with that reference") from None


def _crumbs(
    contract: Contract, supply_return: SupplyReturn, *last: tuple[str, str | None]
) -> list[tuple[str, str | None]]:
    return [
        ("Contracts", reverse("contracts:list")),
        (contract.reference, contract.get_absolute_url()),
        ("Supply-chain returns", reverse(SECTION, args=[contract.reference])),
        (
            label_of(supply_return.quarter_start),
            supply_return.get_absolute_url() if last else None,
        ),
        *last,
    ]


@require_http_methods(["GET", "HEAD"])
def contract_returns(request: HttpRequest, reference: str) -> HttpResponse:
    contract = _contract_or_404(reference)
    user = request.user
    returns = list(access.visible_returns(user, contract))
    by_start = {r.quarter_start: r for r in returns}
    due = []
    if access.sees_drafts(user, contract):
        for start in reversed(
            ended_quarters(contract.start_date, contract.end_date, timezone.localdate())
        ):
            found = by_start.get(start)
            due.append(
                {
                    "label": label_of(start),
                    "code": code_of(start),
                    "state": SupplyReturn.Status(found.status).label if found else "Not drafted",
                }
            )
    published = [
        {"return": r, "label": label_of(r.quarter_start), "rows": presentation.line_rows(user, r)}
        for r in returns
        if r.status == SupplyReturn.Status.SUBMITTED
    ]
    context = section_context(
        user,
        contract,
        SECTION,
        quarters=due,
        can_submit=access.can_submit(user, contract),
        published=published,
        has_chain=services.subcontractors(contract).exists(),
    )
    return render(request, "supply_returns/contract.html", context)


def _draft_if_prime(request: HttpRequest, contract: Contract, quarter: str) -> None:
    """Opening a quarter's return as the prime drafts it (or draws its figures again)."""
    if not access.can_submit(request.user, contract):
        return
    try:
        start, _ = parse_quarter(quarter)
        services.draft(contract, start)
    except (ValueError, ValidationError):
        return


@require_http_methods(["GET", "HEAD", "POST"])
def return_detail(request: HttpRequest, reference: str, quarter: str) -> HttpResponse:
    contract = _contract_or_404(reference)
    if request.method != "POST":
        _draft_if_prime(request, contract, quarter)
    supply_return = access.return_or_404(request.user, contract, quarter)
    lines = list(supply_return.lines.select_related("organisation"))
    may_submit = supply_return.status == SupplyReturn.Status.DRAFT and access.can_submit(
        request.user, contract
    )
    form = SubmitForm(request.POST or None, lines=lines) if may_submit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only the prime contractor submits the contract's returns.")
        if form.is_valid():
            try:
                services.submit(permissions.signed_in_user(request), supply_return, form.notes())
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request, "Return submitted: each sub-contractor was asked to confirm its line."
                )
                return redirect(supply_return.get_absolute_url())
    context = {
        **section_context(request.user, contract, SECTION),
        "crumbs": _crumbs(contract, supply_return),
        "supply_return": supply_return,
        "label": label_of(supply_return.quarter_start),
        "rows": presentation.line_rows(request.user, supply_return),
        "form": form,
        "submitted": supply_return.status == SupplyReturn.Status.SUBMITTED,
    }
    return render(request, "supply_returns/detail.html", context)


@require_http_methods(["GET", "HEAD"])
def return_csv(request: HttpRequest, reference: str, quarter: str) -> HttpResponse:
    contract = _contract_or_404(reference)
    supply_return = access.return_or_404(request.user, contract, quarter)
    response = HttpResponse(presentation.as_csv(supply_return), content_type="text/csv")
    name = f"{contract.reference}-supply-chain-return-{supply_return.quarter_code}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def line_answer(request: HttpRequest, reference: str, quarter: str, pk: int) -> HttpResponse:
    contract = _contract_or_404(reference)
    supply_return = access.return_or_404(request.user, contract, quarter)
    line = get_object_or_404(
        ReturnLine.objects.select_related("organisation", "supply_return__contract"),
        supply_return=supply_return,
        pk=pk,
    )
    if not access.can_answer(request.user, line):
        raise PermissionDenied("Only the sub-contractor confirms or disputes its own line.")
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer(
                permissions.signed_in_user(request),
                line,
                form.cleaned_data["answer"],
                form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Your answer was recorded.")
            return redirect(supply_return.get_absolute_url())
    row = next(r for r in presentation.line_rows(request.user, supply_return) if r.pk == line.pk)
    context = {
        "contract": contract,
        "crumbs": _crumbs(contract, supply_return, ("Your line", None)),
        "label": label_of(supply_return.quarter_start),
        "row": row,
        "form": form,
        "cancel_url": supply_return.get_absolute_url(),
    }
    return render(request, "supply_returns/answer.html", context)
