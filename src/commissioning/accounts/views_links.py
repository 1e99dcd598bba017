"""Pages reached from emailed links, and the forms that send them: confirming the email address
of a new account, and changing or resetting a password (Django's auth views with the GOV.UK
forms). None of them says whether an account uses an address."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods

from commissioning.accounts import services, throttling
from commissioning.accounts.forms import (
    ChangePasswordForm,
    NewPasswordForm,
    ResendConfirmationForm,
    ResetPasswordForm,
)
from commissioning.accounts.models import User
from commissioning.accounts.tokens import user_for_link
from commissioning.accounts.views import CHECK_EMAIL_SESSION_KEY
from commissioning.audit.services import Action, record

ACCOUNT_CRUMB = ("Your account", reverse_lazy("accounts:profile"))
SIGN_IN_CRUMB = ("Sign in", reverse_lazy("accounts:sign-in"))


# ---------------------------------------------------------------------- confirming the address
@require_http_methods(["GET", "HEAD"])
def check_email(request: HttpRequest) -> HttpResponse:
    """After registering or asking for a new link: the same words whether or not anything was
    sent, so that nobody learns which addresses have accounts."""
    context = {
        "email": request.session.get(CHECK_EMAIL_SESSION_KEY, ""),
        "crumbs": [("Check your email", None)],
    }
    return render(request, "accounts/check_email.html", context)


@require_http_methods(["GET", "POST"])
def confirm_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST confirms and asks to sign in."""
    user = user_for_link(uidb64, token)
    crumbs = [("Confirm your email address", None)]
    if user is None:
        context = {"crumbs": crumbs}
        return render(request, "accounts/confirm_email_invalid.html", context, status=400)
    if request.method == "POST":
        services.confirm_email(user)
        messages.success(request, "Your email address is confirmed. Sign in to continue.")
        return redirect("accounts:sign-in")
    return render(request, "accounts/confirm_email.html", {"account": user, "crumbs": crumbs})


@require_http_methods(["GET", "POST"])
@throttling.per_address(throttling.EMAIL_LINK_RATE)
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    form = ResendConfirmationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.resend_email_confirmation(form.cleaned_data["email"])
        request.session[CHECK_EMAIL_SESSION_KEY] = form.cleaned_data["email"]
        return redirect("accounts:check-email")
    context = {"form": form, "crumbs": [SIGN_IN_CRUMB, ("Get a new confirmation link", None)]}
    return render(request, "accounts/resend_confirmation.html", context)


# ---------------------------------------------------------------------- passwords
@method_decorator(login_required, name="dispatch")
class ChangePasswordView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")
    extra_context = {"crumbs": [ACCOUNT_CRUMB, ("Change your password", None)]}

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        user = self.request.user
        assert isinstance(user, User)
        record(user, Action.PASSWORD_CHANGE, user, {})
        messages.success(self.request, "Your password has been changed.")
        return response


@method_decorator(throttling.per_address(throttling.EMAIL_LINK_RATE), name="dispatch")
class ResetPasswordView(auth_views.PasswordResetView):
    form_class = ResetPasswordForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:check-email")
    extra_context = {"crumbs": [SIGN_IN_CRUMB, ("Reset your password", None)]}

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        self.extra_email_context = {
            "site_url": settings.SITE_URL.rstrip("/"),
            "service_name": settings.SERVICE_NAME,
        }
        self.request.session[CHECK_EMAIL_SESSION_KEY] = form.cleaned_data["email"]
        return super().form_valid(form)


class NewPasswordView(auth_views.PasswordResetConfirmView):
    """The emailed link (single use: the token covers the password and the last sign-in)."""

    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:sign-in")
    extra_context = {"crumbs": [SIGN_IN_CRUMB, ("Choose a new password", None)]}

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        user = self.user
        assert isinstance(user, User)
        record(user, Action.PASSWORD_RESET, user, {})
        # Following a link sent to the address proves it is theirs.
        services.confirm_email(user)
        messages.success(self.request, "Your password has been changed. Sign in with it.")
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["reset_url"] = reverse("accounts:password-reset")
        return context
