"""Commissioners' pages for the staff expected to transfer under TUPE (PRO-10): add a row,
remove a row, while the opportunity is a draft. Thin: parse, call the service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from commissioning.permissions import signed_in_user
from commissioning.procurement import services_tupe
from commissioning.procurement.forms import TransferringStaffForm
from commissioning.procurement.models import TransferringStaff
from commissioning.procurement.views_common import (
    confirm_delete,
    crumbs_for,
    form_page,
    managed,
    save_form,
)


@login_required
def staff_add(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = managed(request, reference)
    form = TransferringStaffForm(
        request.POST or None, instance=TransferringStaff(opportunity=opportunity)
    )
    url = opportunity.get_absolute_url() + "#tupe"
    done = save_form(
        request,
        form,
        lambda: services_tupe.add_staff(signed_in_user(request), opportunity, form.cleaned_data),
        "Staff added.",
        url,
    )
    return done or form_page(
        request,
        form,
        title="Add staff expected to transfer",
        caption=str(opportunity),
        crumbs=crumbs_for(opportunity, "Staff expected to transfer"),
        submit_label="Add staff",
        cancel_url=url,
        intro="One row for each group of staff on the same terms. Give a role, never a name: "
        "bidders see these rows and an estimate of what the transfer costs.",
    )


@login_required
def staff_remove(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    opportunity = managed(request, reference)
    row = get_object_or_404(TransferringStaff, opportunity=opportunity, pk=pk)
    return confirm_delete(
        request,
        opportunity,
        f"the row “{row.role}”",
        lambda: services_tupe.remove_staff(signed_in_user(request), row),
        opportunity.get_absolute_url() + "#tupe",
    )
