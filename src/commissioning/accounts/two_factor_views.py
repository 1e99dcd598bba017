"""Pages of two-factor sign-in: set up an authenticator, give a code after the password, see and
renew recovery codes, turn it off where it is optional. The rules are in ``two_factor``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commissioning.accounts import two_factor
from commissioning.accounts.models import User
from commissioning.accounts.two_factor_forms import SetUpForm, VerifyForm
from commissioning.kernel.text import counted

ACCOUNT_CRUMB = ("Your account", "accounts:profile")


def _crumbs(title: str) -> list[tuple[str, str | None]]:
    return [(ACCOUNT_CRUMB[0], reverse(ACCOUNT_CRUMB[1])), (title, None)]


@login_required
@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest) -> HttpResponse:
    """Scan the QR code (or type the secret), then confirm with the code the app shows."""
    user = request.user
    assert isinstance(user, User)
    next_url = two_factor.safe_next(request)
    if two_factor.has_authenticator(user):
        return redirect("accounts:two-factor-recovery-codes")
    device = two_factor.pending_authenticator(user)
    form = SetUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.confirm_authenticator(request, form.cleaned_data["code"])
        except two_factor.CodeRefused as refused:
            form.add_error("code", str(refused))
        else:
            return redirect(two_factor.with_next("accounts:two-factor-recovery-codes", next_url))
    context = {
        "form": form,
        "required": two_factor.is_required(user),
        "qr_code": two_factor.qr_code_svg(device),
        "secret": two_factor.secret_text(device),
        "next": next_url,
        "crumbs": _crumbs("Set up two-factor authentication"),
    }
    return render(request, "accounts/two_factor_set_up.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New codes are shown once, straight after they are made; POST makes new ones."""
    user = request.user
    assert isinstance(user, User)
    if not two_factor.has_authenticator(user):
        return redirect("accounts:two-factor-set-up")
    next_url = two_factor.safe_next(request, reverse("accounts:profile"))
    if request.method == "POST":
        two_factor.new_recovery_codes(request)
        return redirect(two_factor.with_next("accounts:two-factor-recovery-codes", next_url))
    context = {
        "codes": two_factor.take_new_recovery_codes(request),
        "left": two_factor.recovery_codes_left(user),
        "next": next_url,
        "crumbs": _crumbs("Recovery codes"),
    }
    return render(request, "accounts/two_factor_recovery_codes.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in."""
    next_url = two_factor.safe_next(request)
    if two_factor.pending_step(request.user) is not two_factor.Step.VERIFY:
        return redirect(next_url)
    form = VerifyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.verify(request, form.cleaned_data["code"])
        except two_factor.CodeRefused as refused:
            form.add_error("code", str(refused))
        else:
            left = two_factor.recovery_codes_left(request.user)  # type: ignore[arg-type]
            if left < two_factor.RECOVERY_CODE_COUNT // 2:
                messages.warning(
                    request,
                    f"You have {counted(left, 'recovery code')} left. "
                    "Make new ones from your account page.",
                )
            return redirect(next_url)
    context = {"form": form, "next": next_url, "crumbs": [("Sign in", None)]}
    return render(request, "accounts/two_factor_verify.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def turn_off(request: HttpRequest) -> HttpResponse:
    """Where it is optional: remove the authenticator and the recovery codes."""
    user = request.user
    assert isinstance(user, User)
    if two_factor.is_required(user) or not two_factor.has_authenticator(user):
        return redirect("accounts:profile")
    if request.method == "POST":
        two_factor.turn_off(request)
        messages.success(request, "Two-factor authentication is off.")
        return redirect("accounts:profile")
    context = {"crumbs": _crumbs("Turn off two-factor authentication")}
    return render(request, "accounts/two_factor_turn_off.html", context)
