"""An organisation's API tokens page: its administrators make, list and revoke tokens
(REF-1, REF-2). Thin views over :mod:`.services`; the new secret is shown once, in the response
to the form that made it, and never again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from commissioning.directory.models import Organisation
from commissioning.kernel.forms import apply_validation_error
from commissioning.permissions import signed_in_user
from commissioning.service_accounts import access, services
from commissioning.service_accounts.forms import TokenForm
from commissioning.service_accounts.models import OrganisationToken


def _organisation_for_admin(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not access.can_manage_tokens(request.user, organisation):
        raise PermissionDenied("Only this organisation's administrators manage its API tokens.")
    return organisation


def _crumbs(organisation: Organisation) -> list[tuple[str, str | None]]:
    return [
        ("Provider directory", reverse("directory:list")),
        (organisation.name, organisation.get_absolute_url()),
        ("API tokens", None),
    ]


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_for_admin(request, slug)
    secret = None
    created = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = services.create_token(
                signed_in_user(request), organisation, form.cleaned_data["name"]
            )
        except ValidationError as problem:
            apply_validation_error(form, problem)
        else:
            form = TokenForm()
    context = {
        "organisation": organisation,
        "tokens": services.tokens_of(organisation),
        "form": form,
        "created": created,
        "secret": secret,
        "crumbs": _crumbs(organisation),
    }
    return render(request, "service_accounts/tokens.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_revoke(request: HttpRequest, slug: str, token_id: int) -> HttpResponse:
    organisation = _organisation_for_admin(request, slug)
    token = get_object_or_404(OrganisationToken, pk=token_id, organisation=organisation)
    problem = None
    if request.method == "POST":
        try:
            services.revoke_token(signed_in_user(request), token)
        except ValidationError as refused:
            problem = refused.messages[0]
        else:
            messages.success(request, f"The token “{token.name}” has been revoked.")
            return redirect("service_accounts:list", organisation.slug)
    context = {
        "organisation": organisation,
        "token": token,
        "problem": problem,
        "crumbs": [
            *_crumbs(organisation)[:-1],
            ("API tokens", reverse("service_accounts:list", args=[organisation.slug])),
            ("Revoke", None),
        ],
    }
    return render(request, "service_accounts/revoke.html", context)
