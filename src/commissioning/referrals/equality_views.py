"""Public equality-monitoring pages (EQU-2): a contract's, as one of its sections, and a
commissioning body's, over all its contracts together; each with a CSV of the same table.
Aggregates only, suppressed below 5 (:mod:`.equality`)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commissioning.contracts.models import Contract
from commissioning.contracts.sections import contract_or_404, section_context
from commissioning.directory.models import Organisation
from commissioning.referrals import equality


def _body_or_404(slug: str) -> Organisation:
    body = Organisation.objects.filter(slug=slug, is_commissioning_body=True).first()
    if body is None:
        raise Http404("No commissioning body with that name")
    return body


def _csv(found: equality.EqualityReport, filename: str) -> HttpResponse:
    response = HttpResponse(equality.as_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "HEAD"])
def contract_equality(request: HttpRequest, reference: str) -> HttpResponse:
    contract = contract_or_404(reference)
    context = section_context(
        request.user,
        contract,
        "referrals:equality",
        report=equality.report(Contract.objects.filter(pk=contract.pk)),
        csv_url=reverse("referrals:equality_csv", args=[contract.reference]),
        body_url=reverse("referrals:body_equality", args=[contract.commissioning_body.slug]),
    )
    return render(request, "referrals/equality.html", context)


@require_http_methods(["GET", "HEAD"])
def contract_equality_csv(request: HttpRequest, reference: str) -> HttpResponse:
    contract = contract_or_404(reference)
    found = equality.report(Contract.objects.filter(pk=contract.pk))
    return _csv(found, f"equality-{contract.reference}.csv")


@require_http_methods(["GET", "HEAD"])
def body_equality(request: HttpRequest, slug: str) -> HttpResponse:
    body = _body_or_404(slug)
    contracts = equality.body_contracts(body.pk)
    context = {
        "body": body,
        "contracts": contracts.order_by("reference"),
        "report": equality.report(contracts),
        "csv_url": reverse("referrals:body_equality_csv", args=[body.slug]),
        "crumbs": [
            ("Provider directory", reverse("directory:list")),
            (body.name, body.get_absolute_url()),
            ("Equality monitoring", None),
        ],
    }
    return render(request, "referrals/body_equality.html", context)


@require_http_methods(["GET", "HEAD"])
def body_equality_csv(request: HttpRequest, slug: str) -> HttpResponse:
    body = _body_or_404(slug)
    found = equality.report(equality.body_contracts(body.pk))
    return _csv(found, f"equality-{body.slug}.csv")
