"""“Test this offer” (PBR-7): the named sub-contractor's private stress test of a request.

Only its approved members reach the page. The figures are posted back to this page and the
result is rendered from them; nothing is saved, recorded, cached or sent (see
:mod:`commissioning.bids.offer_test`), and the response tells browsers and proxies not to keep
a copy."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from commissioning.bids import access, consent, offer_test
from commissioning.bids.forms import OfferTestForm
from commissioning.bids.models import Subcontractor


@never_cache
@login_required
def offer_test_page(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_object_or_404(
        Subcontractor.objects.select_related(
            "organisation", "bid__organisation", "bid__lot__opportunity"
        ),
        pk=pk,
    )
    if not access.can_answer_subcontract(request.user, sub):
        raise PermissionDenied("Only members of the named organisation can test this offer.")
    terms = consent.promised_terms(request.user, sub)
    estimate = offer_test.transfer_estimate(sub)
    form = OfferTestForm(
        request.POST if request.method == "POST" else None,
        initial=offer_test.starting_values(sub, terms),
        with_transfer=estimate is not None,
    )
    result = offer_test.run(sub, form.cleaned_data) if form.is_bound and form.is_valid() else None
    request_url = reverse("bids:request", args=[sub.pk])
    context = {
        "sub": sub,
        "terms": terms,
        "opportunity": sub.bid.lot.opportunity,
        "form": form,
        "result": result,
        "transfer": estimate,
        "request_url": request_url,
        "crumbs": [
            ("Your bids", reverse("bids:home")),
            ("Sub-contract request", request_url),
            ("Test this offer", None),
        ],
    }
    return render(request, "bids/offer_test.html", context)
