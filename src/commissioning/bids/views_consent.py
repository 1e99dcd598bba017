"""A named sub-contractor's pages (PRO-7): its requests, and one request with exactly what it is
promised and a confirm-or-decline form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from commissioning.bids import access, consent, lifecycle
from commissioning.bids.forms import ConsentForm
from commissioning.bids.models import Bid, Subcontractor
from commissioning.kernel.forms import apply_validation_error
from commissioning.permissions import signed_in_user


@login_required
def my_bids(request: HttpRequest) -> HttpResponse:
    """The signed-in person's organisations' bids and the sub-contract requests sent to them."""
    organisations = access.bidding_organisations(request.user)
    bids = (
        Bid.objects.filter(organisation__in=organisations)
        .select_related("lot__opportunity", "organisation")
        .order_by("-created_at")
    )
    context = {
        "bids": bids,
        "requests": consent.requests_for(request.user),
        "invitations": consent.invitations_for(request.user),
        "crumbs": [("Your bids", None)],
    }
    return render(request, "bids/my_bids.html", context)


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_object_or_404(
        Subcontractor.objects.select_related(
            "organisation", "bid__organisation", "bid__lot__opportunity"
        ),
        pk=pk,
    )
    if not access.can_answer_subcontract(request.user, sub):
        raise PermissionDenied("Only members of the named organisation can see this request.")
    return answer_page(
        request,
        sub,
        sub.bid,
        "bids/request.html",
        reverse("bids:request", args=[sub.pk]),
        {"terms": consent.promised_terms(request.user, sub), "crumb": "Sub-contract request"},
    )


def answer_page(
    request: HttpRequest,
    named: consent.Named,
    bid: Bid,
    template: str,
    done_url: str,
    extra: dict[str, Any],
) -> HttpResponse:
    """The confirm-or-decline page of a sub-contractor or a consortium member (PRO-6, PRO-7):
    one form, one service (:func:`consent.answer`)."""
    answerable = lifecycle.is_editable(bid)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and answerable and form.is_valid():
        confirm = form.cleaned_data["decision"] == "confirm"
        try:
            consent.answer(
                signed_in_user(request), named, confirm=confirm, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, "You confirmed. The bidder has been told." if confirm else "You declined."
            )
            return HttpResponseRedirect(done_url)
    context = {
        "sub": named,
        "bid": bid,
        "opportunity": bid.lot.opportunity,
        "form": form,
        "answerable": answerable,
        "crumbs": [("Your bids", reverse("bids:home")), (extra.pop("crumb"), None)],
        **extra,
    }
    return render(request, template, context)
