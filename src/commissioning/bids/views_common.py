"""Helpers shared by the bid pages: loading with permission checks, crumbs, form pages and
mapping service errors onto forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from commissioning.audit.versions import StaleEdit, page_status
from commissioning.bids import access
from commissioning.bids.models import Bid
from commissioning.kernel.forms import apply_validation_error


def bid_or_404(pk: int, related: tuple[str, ...] = ()) -> Bid:
    """The bid with its lot, opportunity, exercise and organisation, and ``related``: more rows
    it points to that the page shows, read in the same query. Who may see it is the caller's
    to decide (:func:`own_bid`, or the bidder's key)."""
    return get_object_or_404(
        Bid.objects.select_related("lot__opportunity__exercise", "organisation", *related), pk=pk
    )


def own_bid(request: HttpRequest, pk: int) -> Bid:
    """The bid, for members of the bidding organisation only (403 for everyone else, the
    commissioner and site administrators included: PRO-8)."""
    bid = bid_or_404(pk)
    if not access.can_prepare_bid(request.user, bid):
        raise PermissionDenied("Only members of the bidding organisation can see this bid.")
    return bid


def bid_crumbs(bid: Bid, label: str | None = None) -> list[tuple[str, str | None]]:
    opportunity = bid.lot.opportunity
    crumbs: list[tuple[str, str | None]] = [
        ("Opportunities", reverse("procurement:list")),
        (opportunity.reference, opportunity.get_absolute_url()),
        (f"Bid for lot {bid.lot.number}", reverse("bids:bid", args=[bid.pk]) if label else None),
    ]
    if label:
        crumbs.append((label, None))
    return crumbs


def save_form(
    request: HttpRequest, form: BaseForm, action: Callable[[], Any], success: str, redirect: str
) -> HttpResponse | None:
    """Run ``action`` when the form is valid; show the service's errors on the form. A save
    from a stale version is refused on a versioned form (issue 13), the page answering 409."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        action()
    except ValidationError as error:
        apply_validation_error(form, error)
        return None
    except StaleEdit as stale:
        form.refuse_stale(stale)  # type: ignore[attr-defined]
        return None
    messages.success(request, success)
    return HttpResponseRedirect(redirect)


def form_page(request: HttpRequest, form: BaseForm, **context: Any) -> HttpResponse:
    return render(request, "bids/form.html", {"form": form, **context}, status=page_status(form))


def confirm_page(
    request: HttpRequest,
    *,
    action: Callable[[], Any],
    success: str,
    done_url: str,
    **context: Any,
) -> HttpResponse:
    """GET: ask to confirm; POST: run ``action`` (its refusal shown as an error message)."""
    if request.method == "POST":
        try:
            action()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(context.get("cancel_url") or done_url)
        messages.success(request, success)
        return HttpResponseRedirect(done_url)
    return render(request, "bids/confirm.html", context)
