"""Sign in and out, register as a provider member, your account, and managing members."""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commissioning import permissions
from commissioning.accounts import services, throttling, two_factor
from commissioning.accounts.forms import (
    JoinRequestForm,
    MemberActionForm,
    OrganisationChoiceForm,
    OrganisationSearchForm,
    RegistrationForm,
    SignInForm,
    VerifyFirstMemberForm,
)
from commissioning.accounts.models import Membership, User
from commissioning.directory.models import Organisation
from commissioning.permissions import signed_in_user

SEARCH_RESULTS_SHOWN = 20
CHECK_EMAIL_SESSION_KEY = "accounts_check_email"


class SignInView(LoginView):
    """Django's login view (it only follows a ``next`` on this site) with the GOV.UK form.
    Failures count towards the lockout (django-axes, see accounts.throttling)."""

    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    extra_context = {"crumbs": [("Sign in", None)]}

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        # After the password: a second factor to give, or to set up, comes next.
        return two_factor.after_password(self.request, super().form_valid(form))


@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    """GET asks for confirmation (a link must not sign anyone out); POST signs out."""
    if request.method == "POST":
        logout(request)
        messages.success(request, "You have signed out.")
        return redirect("web:home")
    if not request.user.is_authenticated:
        return redirect("web:home")
    return render(request, "accounts/sign_out.html", {"crumbs": [("Sign out", None)]})


# ---------------------------------------------------------------------- registration
def _chosen_organisation(slug: str | None) -> Organisation | None:
    if not slug:
        return None
    return services.provider_organisations().filter(slug=slug).first()


def _find_organisation_page(request: HttpRequest, *, choice_required: bool) -> HttpResponse:
    """Step 1: search for the organisation (GET ``q``), then choose one of those found (GET
    ``organisation``). ``choice_required`` shows an error: the person went on without choosing."""
    query = request.GET.get("q", "")
    search_form = OrganisationSearchForm(request.GET if "q" in request.GET else None)
    found: list[Organisation] = []
    total = 0
    if search_form.is_bound and search_form.is_valid():
        matches = services.search_provider_organisations(search_form.cleaned_data["q"])
        total = matches.count()
        found = list(matches.order_by("name")[:SEARCH_RESULTS_SHOWN])
    choice_required = choice_required or "choosing" in request.GET
    choice_form = OrganisationChoiceForm(
        request.GET if choice_required and found else None,
        organisations=Organisation.objects.filter(pk__in=[org.pk for org in found]),
    )
    if choice_required and found:
        choice_form.is_valid()
    elif choice_required:
        # Nothing found to choose from: the error goes on the search box.
        search_form = OrganisationSearchForm({"q": query})
        search_form.is_valid()
        search_form.errors.pop("q", None)
        search_form.add_error("q", "Search for the organisation you work for, then choose it")
    context = {
        "search_form": search_form,
        "choice_form": choice_form,
        "query": query,
        "found": found,
        "total": total,
        "has_errors": bool(search_form.errors or choice_form.errors),
        "crumbs": [("Register", None)],
    }
    return render(request, "accounts/register_find.html", context)


@require_http_methods(["GET", "POST"])
@throttling.per_address(throttling.REGISTRATION_RATE)
def register(request: HttpRequest) -> HttpResponse:
    """Self-registration of provider members in two steps (find the organisation; then the
    account). Works without JavaScript; step 1 is a GET search, step 2 a POST form."""
    organisation = _chosen_organisation(request.GET.get("organisation"))
    if organisation is None:
        chose_badly = request.method == "POST" or "organisation" in request.GET
        return _find_organisation_page(request, choice_required=chose_badly)

    if request.user.is_authenticated:
        return _ask_to_join(request, organisation)
    form = RegistrationForm(
        request.POST if request.method == "POST" else None, organisation=organisation
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with contextlib.suppress(IntegrityError):
            # Taken in the meantime: the same answer as for an address or username in use.
            services.register_provider_member(
                username=data["username"],
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                organisation=data["organisation"],
                job_title=data["job_title"],
            )
        request.session[CHECK_EMAIL_SESSION_KEY] = data["email"]
        return redirect("accounts:check-email")
    context = {
        "form": form,
        "organisation": organisation,
        "change_url": f"{reverse('accounts:register')}?{urlencode({'q': organisation.name})}",
        "crumbs": [("Register", reverse("accounts:register")), ("Your details", None)],
    }
    return render(request, "accounts/register.html", context)


def _ask_to_join(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Step 2 for someone already signed in: one person, several memberships, each asked for
    and decided by that organisation (issue 11 item 25a); no second account."""
    form = JoinRequestForm(
        request.POST if request.method == "POST" else None, organisation=organisation
    )
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)
        try:
            services.request_membership(
                request.user, form.cleaned_data["organisation"], form.cleaned_data["job_title"]
            )
        except services.MembershipError as error:
            form.add_error("organisation", str(error))
        else:
            return redirect("accounts:registered")
    change_url = f"{reverse('accounts:register')}?{urlencode({'q': organisation.name})}"
    context = {
        "form": form,
        "organisation": organisation,
        "change_url": change_url,
        "crumbs": [
            ("Your account", reverse("accounts:profile")),
            ("Join an organisation", reverse("accounts:register")),
            ("Ask to join", None),
        ],
    }
    return render(request, "accounts/join.html", context)


@login_required
def registered(request: HttpRequest) -> HttpResponse:
    """After registering: the requests still waiting for approval."""
    pending = request.user.memberships.filter(  # type: ignore[union-attr]
        status=Membership.Status.PENDING
    ).select_related("organisation")
    context = {"pending": list(pending), "crumbs": [("Your account", reverse("accounts:profile"))]}
    return render(request, "accounts/registered.html", context)


# ---------------------------------------------------------------------- your account
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    memberships = []
    for membership in user.memberships.select_related("organisation").order_by(
        "organisation__name"
    ):
        organisation = membership.organisation
        approved = membership.status == Membership.Status.APPROVED
        memberships.append(
            {
                "membership": membership,
                "organisation": organisation,
                "can_edit": approved and permissions.can_edit_organisation(user, organisation),
                "can_manage": approved and permissions.can_manage_members(user, organisation),
            }
        )
    context: dict[str, Any] = {
        "account": user,
        "memberships": memberships,
        "bodies": (
            permissions.commissioning_bodies_for(user)
            if user.role == User.Role.COMMISSIONER
            else []
        ),
        "is_commissioner": user.role == User.Role.COMMISSIONER,
        "is_site_admin": user.is_site_admin,
        "pending_organisations": (
            list(services.organisations_with_pending_members()) if user.is_site_admin else []
        ),
        "can_view_audit": permissions.can_view_audit(user),
        "two_factor_on": two_factor.has_authenticator(user),
        "two_factor_required": two_factor.is_required(user),
        "crumbs": [("Your account", None)],
    }
    return render(request, "accounts/profile.html", context)


# ---------------------------------------------------------------------- managing members
def _apply_member_action(request: HttpRequest, form: MemberActionForm) -> None:
    membership: Membership = form.cleaned_data["membership"]
    action = form.cleaned_data["action"]
    name = membership.user.get_full_name() or membership.user.username
    try:
        if action in (MemberActionForm.APPROVE, MemberActionForm.REJECT):
            approve = action == MemberActionForm.APPROVE
            services.decide_membership(signed_in_user(request), membership, approve=approve)
            verdict = "approved" if approve else "rejected"
            messages.success(request, f"{name}'s request was {verdict}. We've emailed them.")
        else:
            make_admin = action == MemberActionForm.MAKE_ADMIN
            services.set_organisation_admin(
                signed_in_user(request), membership, is_org_admin=make_admin
            )
            change = "is now an" if make_admin else "is no longer an"
            messages.success(request, f"{name} {change} organisation administrator.")
    except services.MembershipError as error:
        messages.error(request, str(error))


def _verify_first_member(request: HttpRequest, form: VerifyFirstMemberForm) -> bool:
    """Apply the support team's verification; False (with the error on the form) if refused."""
    membership: Membership = form.cleaned_data["membership"]
    approve = form.cleaned_data["decision"] == VerifyFirstMemberForm.APPROVE
    try:
        services.verify_first_member(
            signed_in_user(request),
            membership,
            approve=approve,
            checked_against=form.cleaned_data["checked_against"],
            reason=form.cleaned_data["reason"],
        )
    except services.MembershipError as error:
        form.add_error(None, str(error))
        return False
    name = membership.user.get_full_name() or membership.user.username
    if approve:
        messages.success(
            request,
            f"{name} is now {membership.organisation.name}'s first administrator. "
            "We've emailed them; they decide every later request.",
        )
    else:
        messages.success(request, f"{name}'s request was rejected. We've emailed them.")
    return True


def _verify_form(
    request: HttpRequest,
    organisation: Organisation,
    pending: list[Membership],
    posted: VerifyFirstMemberForm | None,
) -> tuple[Membership | None, VerifyFirstMemberForm | None]:
    """The request being verified (``?verify=<id>``, or the one just posted with its answers
    and errors) and its form; one at a time, so every field keeps a single id."""
    if posted is not None:
        chosen = str(posted.data.get("membership", ""))
    else:
        chosen = request.GET.get("verify", "")
    membership = next((m for m in pending if str(m.pk) == chosen), None)
    if membership is None:
        return None, None
    if posted is not None:
        return membership, posted
    form = VerifyFirstMemberForm(initial={"membership": membership.pk}, organisation=organisation)
    return membership, form


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's members: approve or reject requests; manage administrator rights."""
    organisation = get_object_or_404(Organisation, slug=slug)
    verifying = permissions.can_verify_first_member(request.user, organisation)
    managing = permissions.can_manage_members(request.user, organisation)
    if not (verifying or managing):
        raise PermissionDenied("Only this organisation's administrators can manage its members.")
    verify_form = None
    if request.method == "POST" and verifying:
        verify_form = VerifyFirstMemberForm(request.POST, organisation=organisation)
        if "membership" in verify_form.errors:
            messages.error(request, "That request has already been decided or removed.")
            return redirect("accounts:members", slug=organisation.slug)
        if verify_form.is_valid() and _verify_first_member(request, verify_form):
            return redirect("accounts:members", slug=organisation.slug)
    elif request.method == "POST":
        form = MemberActionForm(request.POST, organisation=organisation)
        if form.is_valid():
            _apply_member_action(request, form)
        else:
            messages.error(request, "That request could not be found. Try again.")
        return redirect("accounts:members", slug=organisation.slug)

    all_members = list(
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "decided_by")
        .order_by("-requested_at")
    )
    pending = [m for m in all_members if m.status == Membership.Status.PENDING]
    verified, verify_form = (
        _verify_form(request, organisation, pending, verify_form) if verifying else (None, None)
    )
    context = {
        "organisation": organisation,
        "verifying": verifying,
        "managing": managing,
        "verified": verified,
        "verify_form": verify_form,
        "pending": pending,
        "approved": [m for m in all_members if m.status == Membership.Status.APPROVED],
        "rejected": [m for m in all_members if m.status == Membership.Status.REJECTED],
        "actions": {
            "APPROVE": MemberActionForm.APPROVE,
            "REJECT": MemberActionForm.REJECT,
            "MAKE_ADMIN": MemberActionForm.MAKE_ADMIN,
            "REMOVE_ADMIN": MemberActionForm.REMOVE_ADMIN,
        },
        "crumbs": [
            ("Your account", reverse("accounts:profile")),
            (f"{organisation.name}: members", None),
        ],
    }
    return render(request, "accounts/members.html", context)
