"""Shared helpers of the commissioners' opportunity pages: permission, crumbs, form pages,
saving through a service with its errors shown on the form, and confirm-and-remove."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from commissioning.audit.versions import StaleEdit, page_status
from commissioning.kernel.forms import apply_validation_error
from commissioning.procurement import access
from commissioning.procurement.models import Opportunity
from commissioning.procurement.views import get_visible


def managed(request: HttpRequest, reference: str) -> Opportunity:
    opportunity = get_visible(request, reference)
    if not access.can_manage_opportunity(request.user, opportunity):
        raise PermissionDenied("Only the exercise's commissioners can change this opportunity.")
    return opportunity


def crumbs_for(opportunity: Opportunity, label: str) -> list[tuple[str, str | None]]:
    return [
        ("Opportunities", reverse("procurement:list")),
        (opportunity.reference, opportunity.get_absolute_url()),
        (label, None),
    ]


def form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    title: str,
    crumbs: list[tuple[str, str | None]],
    submit_label: str,
    cancel_url: str,
    intro: str = "",
    caption: str = "",
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "crumbs": crumbs,
        "submit_label": submit_label,
        "cancel_url": cancel_url,
        "intro": intro,
        "caption": caption,
    }
    return render(request, "procurement/form.html", context, status=page_status(form))


def save_form(
    request: HttpRequest, form: BaseForm, action: Callable[[], Any], success: str, redirect: str
) -> HttpResponse | None:
    """Run ``action`` when the form is valid; map service errors onto the form. A save from a
    stale version is refused on the form (issue 13)."""
    if not form.is_valid():
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


def confirm_delete(
    request: HttpRequest,
    opportunity: Opportunity,
    thing: str,
    delete: Callable[[], None],
    back: str,
) -> HttpResponse:
    if request.method == "POST":
        try:
            delete()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(back)
        messages.success(request, f"{thing} removed.")
        return HttpResponseRedirect(back)
    context = {
        "opportunity": opportunity,
        "thing": thing,
        "cancel_url": back,
        "crumbs": crumbs_for(opportunity, f"Remove {thing}"),
    }
    return render(request, "procurement/confirm_delete.html", context)
