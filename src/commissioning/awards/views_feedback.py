"""Feedback pages (PRO-9): one bid's feedback as a page and as a PDF download. Thin: the rules
(who may read it, what it says) are in :mod:`commissioning.awards.feedback`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from commissioning.awards.feedback import FeedbackNotReady, decided_bids_for, feedback_for
from commissioning.awards.feedback_pdf import render_pdf
from commissioning.bids.models import Bid
from commissioning.kernel.pagination import paginate
from commissioning.permissions import signed_in_user


def _bid(bid_pk: int) -> Bid:
    return get_object_or_404(
        Bid.objects.select_related("lot__opportunity__exercise", "organisation"), pk=bid_pk
    )


def _crumbs(bid: Bid) -> list[tuple[str, str | None]]:
    opportunity = bid.lot.opportunity
    return [
        ("Opportunities", reverse("procurement:list")),
        (opportunity.reference, reverse("procurement:detail", args=[opportunity.reference])),
        (f"Feedback on lot {bid.lot.number}", None),
    ]


def _not_ready(request: HttpRequest, bid: Bid, error: FeedbackNotReady) -> HttpResponse:
    context = {"bid": bid, "message": str(error), "crumbs": _crumbs(bid)}
    return render(request, "awards/feedback_not_ready.html", context, status=404)


@login_required
def bid_feedback(request: HttpRequest, bid_pk: int) -> HttpResponse:
    bid = _bid(bid_pk)
    try:
        fb = feedback_for(request.user, bid)
    except FeedbackNotReady as error:
        return _not_ready(request, bid, error)
    return render(request, "awards/feedback.html", {"fb": fb, "crumbs": _crumbs(bid)})


@login_required
def bid_feedback_pdf(request: HttpRequest, bid_pk: int) -> HttpResponse:
    bid = _bid(bid_pk)
    try:
        fb = feedback_for(request.user, bid)
    except FeedbackNotReady as error:
        return _not_ready(request, bid, error)
    response = HttpResponse(render_pdf(fb), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{fb.pdf_filename}"'
    return response


@login_required
def my_feedback(request: HttpRequest) -> HttpResponse:
    context = {
        "crumbs": [("Feedback on your bids", None)],
        **paginate(request, decided_bids_for(signed_in_user(request))),
    }
    return render(request, "awards/feedback_mine.html", context)
