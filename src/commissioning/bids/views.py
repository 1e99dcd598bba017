"""The bidder's pages (PRO-7, PRO-8, EVA-1, EVA-4): start a bid for a lot, price it, answer the
criteria, upload documents, name sub-contractors, submit, withdraw, receipts. Thin: parse,
call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from commissioning.bids import access, page, services, submission
from commissioning.bids.forms import (
    AnswersForm,
    DocumentForm,
    PricingForm,
    StartBidForm,
    SubcontractorForm,
)
from commissioning.bids.models import Bid, BidDocument, Receipt, Subcontractor
from commissioning.bids.views_common import (
    bid_crumbs,
    bid_or_404,
    confirm_page,
    form_page,
    own_bid,
    save_form,
)
from commissioning.kernel.forms import apply_validation_error
from commissioning.permissions import signed_in_user
from commissioning.procurement.models import Lot
from commissioning.procurement.services import is_open_for_bids
from commissioning.supplier_information import services as supplier_information


@login_required
def start(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = get_object_or_404(Lot.objects.select_related("opportunity__exercise"), pk=lot_id)
    opportunity = lot.opportunity
    organisations = [
        org
        for org in access.bidding_organisations(request.user)
        if not Bid.objects.filter(lot=lot, organisation=org).exists()
    ]
    if not access.bidding_organisations(request.user):
        raise PermissionDenied("Only approved members of a provider organisation can bid.")
    form = StartBidForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            bid = services.start_bid(
                signed_in_user(request), lot, form.cleaned_data["organisation"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Bid started. It is sealed as you save it.")
            return HttpResponseRedirect(reverse("bids:bid", args=[bid.pk]))
    return form_page(
        request,
        form,
        title=f"Start a bid for lot {lot.number}",
        caption=f"{opportunity.reference}: {lot.title}",
        intro="Everything you enter is sealed: nobody, the commissioner included, can read it "
        "before the bid deadline.",
        crumbs=[
            ("Opportunities", reverse("procurement:list")),
            (opportunity.reference, opportunity.get_absolute_url()),
            ("Start a bid", None),
        ],
        submit_label="Start a bid",
        cancel_url=opportunity.get_absolute_url(),
        empty=not organisations,
        open_for_bids=is_open_for_bids(opportunity),
    )


@login_required
def bid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Who may see it is decided once, by the bidder's key: its organisation's members (PRO-8).
    bid = bid_or_404(pk, related=page.RELATED)
    shown = page.bid_page(signed_in_user(request), bid)
    context = {
        "bid": bid,
        "view": shown.view,
        "opportunity": bid.lot.opportunity,
        "criteria": shown.criteria,
        "receipts": shown.receipts,
        "supplier_information": shown.supplier_information,
        "consortium": shown.consortium,
        "members": shown.members,
        "editable": shown.editable,
        "open_for_bids": shown.open_for_bids,
        "problems": shown.problems,
        "crumbs": bid_crumbs(bid),
    }
    return render(request, "bids/bid.html", context)


@login_required
def pricing(request: HttpRequest, pk: int) -> HttpResponse:
    bid = own_bid(request, pk)
    content = services.own_content(request.user, bid)
    form = PricingForm(
        request.POST or None, initial=PricingForm.initial_from(content), versioned=bid
    )
    done = save_form(
        request,
        form,
        lambda: services.save_pricing(
            signed_in_user(request),
            bid,
            price=form.cleaned_data["price"],
            costs=form.costs(),
            has_subsidy=form.cleaned_data["has_subsidy"] == "yes",
            subsidy_details=form.cleaned_data["subsidy_details"],
            version=form.edited_version(),
        ),
        "Price and cost disclosure saved (sealed).",
        reverse("bids:bid", args=[bid.pk]),
    )
    return done or form_page(
        request,
        form,
        title="Price and full-cost disclosure",
        caption=f"Bid for {bid.lot}",
        intro="Disclose the full cost of delivering the lot, so every bid is compared on a "
        "level playing field.",
        crumbs=bid_crumbs(bid, "Price"),
        submit_label="Save price and costs",
        cancel_url=reverse("bids:bid", args=[bid.pk]),
    )


@login_required
def answers(request: HttpRequest, pk: int) -> HttpResponse:
    bid = own_bid(request, pk)
    content = services.own_content(request.user, bid)
    criteria = list(services.answerable_criteria(bid))
    initial = {f"criterion_{k}": v for k, v in content.answers.items()}
    form = AnswersForm(request.POST or None, criteria=criteria, initial=initial, versioned=bid)
    done = save_form(
        request,
        form,
        lambda: services.save_answers(
            signed_in_user(request), bid, form.answers(), version=form.edited_version()
        ),
        "Answers saved (sealed).",
        reverse("bids:bid", args=[bid.pk]),
    )
    return done or form_page(
        request,
        form,
        title="Answers to the evaluation criteria",
        caption=f"Bid for {bid.lot}",
        intro="Answer every published criterion; price is answered by your price.",
        crumbs=bid_crumbs(bid, "Answers"),
        submit_label="Save answers",
        cancel_url=reverse("bids:bid", args=[bid.pk]),
    )


@login_required
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    bid = own_bid(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)

    def upload() -> None:
        upload = form.cleaned_data["document"]
        services.add_document(
            signed_in_user(request),
            bid,
            name=upload.name or "",
            size=upload.size or 0,
            data=upload.read(),
        )

    done = save_form(
        request, form, upload, "Document uploaded (sealed).", reverse("bids:bid", args=[bid.pk])
    )
    return done or form_page(
        request,
        form,
        title="Upload a document",
        caption=f"Bid for {bid.lot}",
        crumbs=bid_crumbs(bid, "Upload a document"),
        submit_label="Upload document",
        cancel_url=reverse("bids:bid", args=[bid.pk]),
    )


@login_required
def document_remove(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    bid = own_bid(request, pk)
    document = get_object_or_404(BidDocument, bid=bid, key=key)
    name, _ = services.own_document(request.user, document)
    back = reverse("bids:bid", args=[bid.pk])
    return confirm_page(
        request,
        action=lambda: services.remove_document(signed_in_user(request), document),
        success=f"{name} removed.",
        done_url=back,
        title=f"Remove {name}?",
        button="Remove document",
        warning=True,
        cancel_url=back,
        crumbs=bid_crumbs(bid, "Remove a document"),
    )


@login_required
def document_download(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    bid = own_bid(request, pk)
    document = get_object_or_404(BidDocument, bid=bid, key=key)
    name, data = services.own_document(request.user, document)
    return _attachment(name, data)


def _attachment(name: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="application/octet-stream")
    safe = name.replace('"', "").replace("\r", "").replace("\n", "")
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response


@login_required
def subcontractor_add(request: HttpRequest, pk: int) -> HttpResponse:
    bid = own_bid(request, pk)
    form = SubcontractorForm(request.POST or None, prime=bid.organisation)

    def add() -> None:
        organisation = form.cleaned_data["organisation"]
        services.add_subcontractor(signed_in_user(request), bid, organisation, form.terms())

    done = save_form(
        request,
        form,
        add,
        "Sub-contractor named: they have been asked to confirm.",
        reverse("bids:bid", args=[bid.pk]) + "#supply-chain",
    )
    return done or form_page(
        request,
        form,
        title="Name a sub-contractor",
        caption=f"Bid for {bid.lot}",
        intro="The organisation will see exactly what you promise it here, and must confirm "
        "before you can submit the bid.",
        crumbs=bid_crumbs(bid, "Name a sub-contractor"),
        submit_label="Name sub-contractor and ask them to confirm",
        cancel_url=reverse("bids:bid", args=[bid.pk]),
    )


@login_required
def subcontractor_remove(request: HttpRequest, pk: int, sub_pk: int) -> HttpResponse:
    bid = own_bid(request, pk)
    subs = Subcontractor.objects.select_related("organisation")
    sub = get_object_or_404(subs, bid=bid, pk=sub_pk)
    back = reverse("bids:bid", args=[bid.pk]) + "#supply-chain"
    return confirm_page(
        request,
        action=lambda: services.remove_subcontractor(signed_in_user(request), sub),
        success=f"{sub.organisation} removed from the supply chain.",
        done_url=back,
        title=f"Remove {sub.organisation} from the supply chain?",
        button="Remove sub-contractor",
        warning=True,
        cancel_url=back,
        crumbs=bid_crumbs(bid, "Remove a sub-contractor"),
    )


@login_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    bid = own_bid(request, pk)
    if request.method == "POST":
        try:
            receipt = submission.submit(signed_in_user(request), bid)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, "Bid submitted. We have emailed you this receipt.")
            return HttpResponseRedirect(reverse("bids:receipt", args=[receipt.reference]))
    else:
        problems = submission.submission_problems(signed_in_user(request), bid)
    context = {
        "bid": bid,
        "opportunity": bid.lot.opportunity,
        "problems": problems,
        "supplier_information": supplier_information.current_version(bid.organisation_id),
        "now": timezone.now(),
        "crumbs": bid_crumbs(bid, "Submit"),
    }
    return render(request, "bids/submit.html", context, status=200)


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    bid = own_bid(request, pk)
    back = reverse("bids:bid", args=[bid.pk])
    return confirm_page(
        request,
        action=lambda: submission.withdraw(signed_in_user(request), bid),
        success="Bid withdrawn. Change it and submit it again before the deadline for it to count.",
        done_url=back,
        title="Withdraw this bid?",
        intro="A withdrawn bid does not count unless you submit it again before the deadline.",
        button="Withdraw bid",
        warning=True,
        cancel_url=back,
        crumbs=bid_crumbs(bid, "Withdraw"),
    )


@login_required
def receipt(request: HttpRequest, reference: str) -> HttpResponse:
    found = get_object_or_404(
        Receipt.objects.select_related("bid__lot__opportunity", "bid__organisation"),
        reference=reference,
    )
    bid = own_bid(request, found.bid_id)
    latest = bid.receipts.first()
    context = {
        "receipt": found,
        "bid": bid,
        "opportunity": bid.lot.opportunity,
        "is_latest": latest is not None and latest.pk == found.pk,
        "counts": bid.status == Bid.Status.SUBMITTED and latest is not None and latest == found,
        "crumbs": bid_crumbs(bid, f"Receipt {found.reference}"),
    }
    return render(request, "bids/receipt.html", context)
