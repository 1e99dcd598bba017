"""Commissioners' pages for a draft's criteria library (EVA-2, EVA-3) and price method (EVA-4).
Thin: parse, call :mod:`.services_criteria`, render."""

from __future__ import annotations

import copy

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from commissioning.permissions import signed_in_user
from commissioning.procurement import services_criteria
from commissioning.procurement.forms import KIND_LABELS, LibraryCriterionForm, PriceMethodForm
from commissioning.procurement.lifecycle import Status, is_editable
from commissioning.procurement.models import Opportunity
from commissioning.procurement.views_common import crumbs_for, form_page, managed, save_form


def _draft(request: HttpRequest, reference: str) -> Opportunity:
    opportunity = managed(request, reference)
    if not is_editable(Status(opportunity.status)):
        raise Http404("Criteria and the price method change only while the opportunity is a draft")
    return opportunity


@login_required
def criterion_library(request: HttpRequest, reference: str) -> HttpResponse:
    """Every ready-made criterion with its guidance and scale; pick one, weight it, and give it an
    optional minimum score."""
    opportunity = _draft(request, reference)
    picked = services_criteria.picked_library_ids(opportunity)
    entries = services_criteria.LIBRARY_ENTRIES
    form = LibraryCriterionForm(
        request.POST or None, entries=[e for e in entries if e.id not in picked]
    )
    url = opportunity.get_absolute_url() + "#criteria"
    done = save_form(
        request,
        form,
        lambda: services_criteria.add_from_library(
            signed_in_user(request),
            opportunity,
            form.cleaned_data["entry"],
            form.cleaned_data["weight"],
            form.cleaned_data["minimum"],
        ),
        "Criterion added from the library.",
        url,
    )
    if done:
        return done
    context = {
        "opportunity": opportunity,
        "form": form,
        "entries": [(e, KIND_LABELS[e.kind.value], e.id in picked) for e in entries],
        "scale_summary": services_criteria.criterion_scale().summary(),
        "cancel_url": url,
        "crumbs": crumbs_for(opportunity, "Criteria library"),
    }
    return render(request, "procurement/criterion_library.html", context)


@login_required
def price_method(request: HttpRequest, reference: str) -> HttpResponse:
    """Declare how price is scored (EVA-4) while the opportunity is a draft."""
    opportunity = _draft(request, reference)
    form = PriceMethodForm(
        request.POST or None, instance=copy.copy(opportunity), versioned=opportunity
    )
    url = opportunity.get_absolute_url() + "#price-method"
    done = save_form(
        request,
        form,
        lambda: services_criteria.set_price_method(
            signed_in_user(request),
            opportunity,
            form.cleaned_data["price_method"],
            version=form.edited_version(),
        ),
        "Price method saved.",
        url,
    )
    return done or form_page(
        request,
        form,
        title="How price is scored",
        caption=str(opportunity),
        crumbs=crumbs_for(opportunity, "Price method"),
        submit_label="Save price method",
        cancel_url=url,
        intro="The method is published with the criteria before bids open, and price is scored "
        "by formula: evaluators do not score it.",
    )
