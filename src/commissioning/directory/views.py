"""Web pages of the provider directory (MKT-1): the list with its filters, profiles, editing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commissioning import permissions
from commissioning.audit.versions import StaleEdit
from commissioning.directory import queries, services
from commissioning.directory.filters import DirectoryFilterForm
from commissioning.directory.forms import OrganisationProfileForm
from commissioning.directory.models import Organisation
from commissioning.kernel.pagecache import public_page
from commissioning.kernel.pagination import paginate
from commissioning.permissions import signed_in_user

PAGE_SIZE = 25


@require_http_methods(["GET", "HEAD"])
@public_page("directory", "accounts")
def organisation_list(request: HttpRequest) -> HttpResponse:
    """The public directory: providers by default, filtered by the GET parameters."""
    form = DirectoryFilterForm(request.GET)
    form.is_valid()  # invalid filters are shown as errors; the valid ones still apply
    queryset = queries.list_rows(queries.search_organisations(form.filters()))
    pagination = paginate(request, queryset, per_page=PAGE_SIZE)
    context = {
        "form": form,
        "rows": queries.with_relations(
            pagination["page_obj"].object_list, form.lookups, cohorts=False
        ),
        "crumbs": [("Provider directory", None)],
        **pagination,
    }
    return render(request, "directory/list.html", context)


@require_http_methods(["GET", "HEAD"])
@public_page("directory", "accounts", "exercises")
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        organisation = queries.organisation_for_profile(slug)
    except Organisation.DoesNotExist:
        raise Http404("No organisation with that address") from None
    context = {
        "organisation": organisation,
        "can_edit": permissions.can_edit_organisation(request.user, organisation),
        "can_manage_members": permissions.can_manage_members(request.user, organisation)
        or permissions.can_verify_first_member(request.user, organisation),
        "exercises": queries.exercises_of(organisation),
        "crumbs": [("Provider directory", reverse("directory:list")), (organisation.name, None)],
    }
    return render(request, "directory/organisation.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_edit_organisation(request.user, organisation):
        raise PermissionDenied("Only approved members of this organisation can edit its profile.")
    status = 200
    if request.method == "POST":
        form = OrganisationProfileForm(request.POST, instance=organisation)
        if form.is_valid():
            try:
                changes = services.update_organisation(
                    signed_in_user(request),
                    organisation,
                    form.service_data(),
                    form.edited_version(),
                )
            except StaleEdit as stale:
                form.refuse_stale(stale)
                status = 409
            else:
                if changes:
                    messages.success(
                        request, f"The profile of {organisation.name} has been updated."
                    )
                else:
                    messages.info(request, "You did not change anything, so nothing was saved.")
                return redirect(organisation)
    else:
        form = OrganisationProfileForm(instance=organisation, versioned=organisation)
    profile_url = reverse("directory:organisation", args=[slug])
    context = {
        "form": form,
        "organisation": organisation,
        "profile_url": profile_url,
        "crumbs": [
            ("Provider directory", reverse("directory:list")),
            (organisation.name, profile_url),  # the name is not editable here
            ("Edit profile", None),
        ],
    }
    return render(request, "directory/edit.html", context, status=status)
