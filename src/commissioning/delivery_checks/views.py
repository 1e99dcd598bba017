"""A contract's "Promised and received" section: public (SUP-2, PBR-3)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from commissioning.contracts.models import Contract
from commissioning.contracts.sections import section_context
from commissioning.delivery_checks import services
from commissioning_analytics.payments.money import percent


def contract_section(request: HttpRequest, reference: str) -> HttpResponse:
    contract = (
        Contract.objects.select_related("commissioning_body", "prime", "lot")
        .filter(reference=reference)
        .first()
    )
    if contract is None:
        raise Http404("No contract with that reference")
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
