"""Interest in a lot and the "looking for partners" list (PRO-6). Thin: parse, call
:mod:`commissioning.partnering.services`, render.

* ``partnering:lot`` — public for a published opportunity; never shows another organisation's
  private interest; the exercise's commissioners see every interest.
* ``partnering:interest`` / ``partnering:withdraw`` — sign-in required; 403 without the right.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from commissioning.directory.models import Organisation
from commissioning.kernel.forms import apply_validation_error
from commissioning.kernel.pagination import paginate
from commissioning.partnering import access, services
from commissioning.partnering.context import lot_url, partnering_for_lot
from commissioning.partnering.forms import InterestForm, PartnerFilterForm
from commissioning.partnering.rules import directory_search_links
from commissioning.permissions import signed_in_user
from commissioning.procurement.models import Interest, Lot


def get_lot(request: HttpRequest, reference: str, number: int) -> Lot:
    lot = (
        Lot.objects.select_related("opportunity__exercise__commissioning_body")
        .filter(opportunity__reference=reference, number=number)
        .first()
    )
    if lot is None or not access.can_view_lot(request.user, lot):
        raise Http404("No such lot")
    return lot


def crumbs_for(lot: Lot, *labels: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [
        ("Opportunities", reverse("procurement:list")),
        (lot.opportunity.reference, lot.opportunity.get_absolute_url()),
        *labels,
    ]


def lot_partners(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    lot = get_lot(request, reference, number)
    form = PartnerFilterForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = services.PartnerFilters(
        role=cleaned.get("role") or "",
        specialism=cleaned.get("specialism") or "",
        cohort=cleaned.get("cohort") or "",
    )
    context = paginate(request, services.looking_for_partners(request.user, lot, filters))
    own_ids = access.approved_organisation_ids(request.user)
    can_message = bool(access.speaks_for(request.user))
    search_links = directory_search_links(
        [(area.slug, area.name) for area in lot.areas.order_by("name")],
        [(item.slug, item.name) for item in lot.specialisms.order_by("name")],
    )
    context.update(
        {
            "lot": lot,
            "opportunity": lot.opportunity,
            "form": form,
            "filtered": filters.active,
            "own_ids": own_ids,
            "can_message": can_message,
            "search_links": search_links,
            "partnering": partnering_for_lot(request.user, lot, heading_level=2),
            "crumbs": crumbs_for(lot, (f"Partners for lot {lot.number}", None)),
        }
    )
    return render(request, "partnering/lot_partners.html", context)


@login_required
def interest_edit(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    lot = get_lot(request, reference, number)
    organisations = access.interest_organisations(request.user, lot)
    if not access.can_register_interest(request.user, lot, open_for_bids=services.is_open(lot)):
        raise PermissionDenied("You cannot register interest in this lot.")
    existing = services.own_interests(request.user, lot)
    initial = {}
    if existing:
        first = existing[0]
        initial = {
            "role": first.role,
            "note": first.note,
            "is_private": first.is_private,
            "organisation": str(first.organisation_id),
        }
    form = InterestForm(request.POST or None, initial=initial, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_interest(
                signed_in_user(request),
                lot,
                organisation=form.chosen_organisation(),
                role=form.cleaned_data["role"],
                note=form.cleaned_data["note"],
                is_private=form.cleaned_data["is_private"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                "Your interest is registered." if not existing else "Your interest is updated.",
            )
            return HttpResponseRedirect(lot_url("lot", lot))
    context = {
        "form": form,
        "lot": lot,
        "opportunity": lot.opportunity,
        "existing": existing,
        "title": "Change your interest" if existing else "Register interest",
        "cancel_url": lot_url("lot", lot),
        "crumbs": crumbs_for(
            lot, (f"Partners for lot {lot.number}", lot_url("lot", lot)), ("Interest", None)
        ),
    }
    return render(request, "partnering/interest_form.html", context)


@login_required
def interest_withdraw(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    lot = get_lot(request, reference, number)
    own = services.own_interests(request.user, lot)
    wanted = request.POST.get("organisation") or request.GET.get("organisation") or ""
    interest: Interest | None = next(
        (item for item in own if not wanted or str(item.organisation_id) == wanted), None
    )
    if interest is None:
        raise PermissionDenied("Your organisation has no interest in this lot to withdraw.")
    if not services.is_open(lot):
        raise PermissionDenied("Interest can only be withdrawn while the opportunity is open.")
    if request.method == "POST":
        services.withdraw_interest(signed_in_user(request), interest)
        messages.success(request, f"{interest.organisation.name}'s interest is withdrawn.")
        return HttpResponseRedirect(lot_url("lot", lot))
    context = {
        "lot": lot,
        "interest": interest,
        "organisation": interest.organisation,
        "cancel_url": lot_url("lot", lot),
        "crumbs": crumbs_for(
            lot, (f"Partners for lot {lot.number}", lot_url("lot", lot)), ("Withdraw", None)
        ),
    }
    return render(request, "partnering/interest_withdraw.html", context)


def organisation_or_404(slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404("No such organisation")
    return organisation
