"""A contract's "Promised and received" section: public (SUP-2, PBR-3); its "Code of conduct"
section: the prime's commissioners and members only (SUP-3)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from commissioning.contracts import access
from commissioning.contracts.models import Contract
from commissioning.contracts.sections import section_context
from commissioning.delivery_checks import code_of_conduct, services
from commissioning_analytics.payments.money import percent


def _contract_or_404(reference: str) -> Contract:
    contract = (
        Contract.objects.select_related("commissioning_body", "prime", "lot")
        .filter(reference=reference)
        .first()
    )
    if contract is None:
        raise Http404("No contract with that reference")
    return contract


def contract_section(request: HttpRequest, reference: str) -> HttpResponse:
    contract = _contract_or_404(reference)
    promises = services.promises_kept(contract)
    policy = services.thresholds()
    context = section_context(
        request.user,
        contract,
        "delivery_checks:contract",
        promises=[
            {
                "promise": p,
                "flags": [services.flag_words(f) for f in p.flags],
            }
            for p in promises
        ],
        policy=policy,
        referral_share=percent(policy.referral_share),
        value_share=percent(policy.value_share),
        need_groups=services.by_need_group(contract),
    )
    return render(request, "delivery_checks/contract.html", context)


def code_of_conduct_section(request: HttpRequest, reference: str) -> HttpResponse:
    """The evidence table; anyone else is told no such page exists."""
    contract = _contract_or_404(reference)
    if not access.can_see_code_of_conduct(request.user, contract):
        raise Http404("No contract with that reference")
    evidence = code_of_conduct.evidence_for(contract)
    context = section_context(
        request.user,
        contract,
        "delivery_checks:code_of_conduct",
        evidence=evidence,
        principles=list(code_of_conduct.Principle),
    )
    return render(request, "delivery_checks/code_of_conduct.html", context)
