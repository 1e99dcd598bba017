"""Commissioners' pages for a draft's parts: lots (PRO-1, PRO-2), specification sections
(PRO-5) and evaluation criteria (EVA-1). Thin: parse, call a service, render."""

from __future__ import annotations

import copy

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from commissioning.permissions import signed_in_user
from commissioning.procurement import services_criteria, services_editing
from commissioning.procurement.forms import (
    CriterionForm,
    LotForm,
    SpecSectionForm,
)
from commissioning.procurement.models import Criterion, Lot, Opportunity, SpecSection
from commissioning.procurement.views_common import (
    confirm_delete,
    crumbs_for,
    form_page,
    managed,
    save_form,
)


def _lot(opportunity: Opportunity, number: int | None) -> Lot | None:
    if number is None:
        return None
    return get_object_or_404(Lot, opportunity=opportunity, number=number)


@login_required
def lot_edit(request: HttpRequest, reference: str, number: int | None = None) -> HttpResponse:
    opportunity = managed(request, reference)
    lot = _lot(opportunity, number)
    initial = {} if lot else {"number": (opportunity.lots.count() + 1)}
    form = LotForm(
        request.POST or None,
        instance=copy.copy(lot) if lot else Lot(opportunity=opportunity),
        initial=initial,
        versioned=lot,
    )
    url = opportunity.get_absolute_url() + "#lots"
    done = save_form(
        request,
        form,
        lambda: services_editing.save_lot(
            signed_in_user(request), opportunity, form.cleaned_data, lot
        ),
        "Lot saved.",
        url,
    )
    title = f"Edit lot {lot.number}" if lot else "Add a lot"
    return done or form_page(
        request,
        form,
        title=title,
        caption=str(opportunity),
        crumbs=crumbs_for(opportunity, title),
        submit_label="Save lot",
        cancel_url=url,
    )


@login_required
def lot_delete(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    opportunity = managed(request, reference)
    lot = get_object_or_404(Lot, opportunity=opportunity, number=number)
    return confirm_delete(
        request,
        opportunity,
        str(lot),
        lambda: services_editing.delete_lot(signed_in_user(request), lot),
        opportunity.get_absolute_url() + "#lots",
    )


@login_required
def section_edit(request: HttpRequest, reference: str, key: str | None = None) -> HttpResponse:
    opportunity = managed(request, reference)
    section = get_object_or_404(SpecSection, opportunity=opportunity, key=key) if key else None
    form = SpecSectionForm(
        request.POST or None,
        instance=copy.copy(section) if section else SpecSection(opportunity=opportunity),
        versioned=section,
    )
    url = opportunity.get_absolute_url() + "#specification"
    done = save_form(
        request,
        form,
        lambda: services_editing.save_section(
            signed_in_user(request), opportunity, form.cleaned_data, section
        ),
        "Specification section saved.",
        url,
    )
    title = f"Edit “{section.title}”" if section else "Add a specification section"
    return done or form_page(
        request,
        form,
        title=title,
        caption=str(opportunity),
        crumbs=crumbs_for(opportunity, "Specification"),
        submit_label="Save section",
        cancel_url=url,
        intro="Tiered specification: the must-haves every bid must meet, and the ideal.",
    )


@login_required
def section_delete(request: HttpRequest, reference: str, key: str) -> HttpResponse:
    opportunity = managed(request, reference)
    section = get_object_or_404(SpecSection, opportunity=opportunity, key=key)
    return confirm_delete(
        request,
        opportunity,
        f"the section “{section.title}”",
        lambda: services_editing.delete_section(signed_in_user(request), section),
        opportunity.get_absolute_url() + "#specification",
    )


@login_required
def criterion_edit(request: HttpRequest, reference: str, pk: int | None = None) -> HttpResponse:
    opportunity = managed(request, reference)
    criterion = get_object_or_404(Criterion, opportunity=opportunity, pk=pk) if pk else None
    form = CriterionForm(
        request.POST or None,
        instance=copy.copy(criterion) if criterion else Criterion(opportunity=opportunity),
        versioned=criterion,
    )
    url = opportunity.get_absolute_url() + "#criteria"
    done = save_form(
        request,
        form,
        lambda: services_criteria.save_criterion(
            signed_in_user(request), opportunity, form.cleaned_data, criterion
        ),
        "Criterion saved.",
        url,
    )
    title = f"Edit “{criterion.name}”" if criterion else "Add an evaluation criterion"
    return done or form_page(
        request,
        form,
        title=title,
        caption=str(opportunity),
        crumbs=crumbs_for(opportunity, "Criteria"),
        submit_label="Save criterion",
        cancel_url=url,
        intro="Criteria, weights and minimum scores are published with the opportunity. "
        "Weights add up to 100%, and social value must carry at least 10%.",
    )


@login_required
def criterion_delete(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    opportunity = managed(request, reference)
    criterion = get_object_or_404(Criterion, opportunity=opportunity, pk=pk)
    return confirm_delete(
        request,
        opportunity,
        f"the criterion “{criterion.name}”",
        lambda: services_criteria.delete_criterion(signed_in_user(request), criterion),
        opportunity.get_absolute_url() + "#criteria",
    )
