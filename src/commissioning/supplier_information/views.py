"""The organisation's core supplier information pages (LAW-5): read it, update it (a new
version), its dated history, its share codes; and the commissioner's share-code page. Thin:
parse, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from commissioning.directory.models import Organisation
from commissioning.kernel.forms import apply_validation_error
from commissioning.permissions import signed_in_user
from commissioning.supplier_information import access, services
from commissioning.supplier_information.forms import (
    CoreInformationForm,
    LookUpForm,
    ShareCodeForm,
)
from commissioning.supplier_information.models import ShareCode

SPARE_PERSON_ROWS = 2


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not access.can_read_own(request.user, organisation):
        raise PermissionDenied("Only this organisation's members can see its core information.")
    return organisation


def _crumbs(organisation: Organisation, label: str | None = None) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [
        ("Provider directory", reverse("directory:list")),
        (organisation.name, organisation.get_absolute_url()),
        (
            "Core supplier information",
            reverse("supplier_information:overview", args=[organisation.slug]) if label else None,
        ),
    ]
    if label:
        crumbs.append((label, None))
    return crumbs


def _bodies() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_commissioning_body=True).order_by("name")


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    can_record = access.can_record(request.user, organisation)
    form = ShareCodeForm(request.POST or None, bodies=_bodies())
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied("Only this organisation's administrators can share it.")
        if form.is_valid():
            try:
                share_code = services.create_share_code(
                    signed_in_user(request), organisation, form.cleaned_data["commissioning_body"]
                )
            except ValidationError as problem:
                apply_validation_error(form, problem)
            else:
                messages.success(
                    request,
                    f"Share code {share_code.code} made for {share_code.commissioning_body}. "
                    "Send it to them: only their commissioners can use it.",
                )
                return redirect("supplier_information:overview", organisation.slug)
    context = {
        "organisation": organisation,
        "version": services.current_version(organisation),
        "versions": services.versions_of(request.user, organisation),
        "share_codes": services.share_codes_of(request.user, organisation),
        "form": form,
        "can_record": can_record,
        "crumbs": _crumbs(organisation),
    }
    return render(request, "supplier_information/overview.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def update(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    if not access.can_record(request.user, organisation):
        raise PermissionDenied("Only this organisation's administrators can update it.")
    current = services.current_version(organisation)
    rows = (len(current.connected_persons) if current else 0) + SPARE_PERSON_ROWS
    form = CoreInformationForm(
        request.POST or None,
        initial=CoreInformationForm.initial_from(current, organisation),
        person_rows=max(rows, 3),
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.save_version(
                signed_in_user(request), organisation, form.information()
            )
        except ValidationError as problem:
            apply_validation_error(form, problem)
        else:
            messages.success(
                request,
                f"Saved as version {version.number}. Your bids from now on will use it.",
            )
            return redirect("supplier_information:overview", organisation.slug)
    context = {
        "organisation": organisation,
        "form": form,
        "current": current,
        "crumbs": _crumbs(organisation, "Update"),
    }
    return render(request, "supplier_information/update.html", context)


@login_required
def version_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    organisation = _organisation(request, slug)
    version = get_object_or_404(services.versions_of(request.user, organisation), number=number)
    context = {
        "organisation": organisation,
        "version": version,
        "crumbs": _crumbs(organisation, f"Version {version.number}"),
    }
    return render(request, "supplier_information/version.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def revoke(request: HttpRequest, slug: str, code_id: int) -> HttpResponse:
    organisation = _organisation(request, slug)
    if not access.can_record(request.user, organisation):
        raise PermissionDenied("Only this organisation's administrators can revoke a code.")
    share_code = get_object_or_404(ShareCode, pk=code_id, organisation=organisation)
    problem = None
    if request.method == "POST":
        try:
            services.revoke_share_code(signed_in_user(request), share_code)
        except ValidationError as refused:
            problem = refused.messages[0]
        else:
            messages.success(
                request, f"Share code {share_code.code} revoked: it now shows nothing."
            )
            return redirect("supplier_information:overview", organisation.slug)
    context = {
        "organisation": organisation,
        "share_code": share_code,
        "problem": problem,
        "crumbs": _crumbs(organisation, "Revoke a share code"),
    }
    return render(request, "supplier_information/revoke.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def look_up(request: HttpRequest) -> HttpResponse:
    if not access.may_look_up_codes(request.user):
        raise PermissionDenied("Only commissioners can look up a share code.")
    form = LookUpForm(request.POST or None)
    version = None
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_for_code(request.user, form.cleaned_data["code"])
        except ValidationError as problem:
            apply_validation_error(form, problem)
    context = {
        "form": form,
        "version": version,
        "crumbs": [("Home", reverse("web:home")), ("Look up a share code", None)],
    }
    return render(request, "supplier_information/look_up.html", context)
