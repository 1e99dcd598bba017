"""The anonymous concerns pages (SUP-5): reporting and returning with a receipt under
``/concerns/`` (no session, no account: see :mod:`.anonymity`), and the independent reviewers'
pages under ``/review/concerns/``.

The reporter's pages never redirect after a POST: the receipt, and each page opened with it, is
rendered in the answer to the POST, so that nothing about the concern is carried in a URL, a
cookie or a session.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from commissioning.accounts.models import User
from commissioning.accounts.throttling import throttled
from commissioning.concerns import (
    access,
    anonymity,
    challenge,
    crypto,
    keyring,
    lifecycle,
    services,
)
from commissioning.concerns.forms import (
    MessageForm,
    NoteForm,
    PassphraseForm,
    ReceiptForm,
    ReporterReplyForm,
    ReportForm,
    StatusForm,
)
from commissioning.concerns.models import Concern, ReviewerKey
from commissioning.kernel.forms import apply_validation_error
from commissioning.permissions import signed_in_user

RETURN_RATE = "20/h"
"""Receipts tried from one address in an hour: a reporter's visits, not a guessing script."""


def _limited(request: HttpRequest, group: str, rate: str) -> bool:
    return is_ratelimited(
        request,
        group=group,
        key=anonymity.rate_limit_key,
        rate=rate,
        method="POST",
        increment=True,
    )


def _crumbs(*more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("Raise a concern", reverse("concerns:start")), *more]


# ------------------------------------------------------------------------------ reporter


@require_http_methods(["GET", "HEAD"])
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "concerns/start.html", {"crumbs": [("Raise a concern", None)]})


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """Report a concern; the answer to the POST shows the receipt, once."""
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        solved = form.solved
        rate = challenge.SOLVED_RATE if solved else challenge.NO_SCRIPT_RATE
        group = "concerns.report" if solved else "concerns.report.no_script"
        if _limited(request, group, rate):
            return throttled(request)
        if form.is_valid():
            kind, reference, label = form.cleaned_data["resolved"]
            try:
                reported = services.report(
                    subject_kind=kind,
                    subject_reference=reference,
                    subject_label=label,
                    described_subject=form.cleaned_data["described_subject"],
                    what_happened=form.cleaned_data["what_happened"],
                    contact=form.cleaned_data["contact"],
                    attachments=form.cleaned_data["evidence"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                shown = {
                    "receipt": crypto.grouped(reported.receipt),
                    "file_notes": reported.file_notes,
                    "crumbs": _crumbs(("Your receipt", None)),
                }
                return render(request, "concerns/receipt.html", shown)
    context: dict[str, Any] = {
        "form": form,
        "difficulty": challenge.difficulty(),
        "crumbs": _crumbs(("Report a concern", None)),
    }
    return render(request, "concerns/report.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest) -> HttpResponse:
    """Come back with the receipt: read replies, answer, add files, see the status. Every
    action posts the receipt again (there is no session to remember it)."""
    form = ReceiptForm(request.POST or None)
    if request.method == "GET" or not form.is_valid():
        return _receipt_page(request, form)
    if _limited(request, "concerns.return", RETURN_RATE):
        return throttled(request)
    opened = services.open_with_receipt(form.cleaned_data["receipt"])
    if opened is None:
        form.add_error("receipt", "No concern has that receipt. Check the 16 digits")
        return _receipt_page(request, form)
    concern, data_key = opened
    action = request.POST.get("action", "")
    reply = (
        ReporterReplyForm(request.POST, request.FILES) if action == "reply" else ReporterReplyForm()
    )
    notes: list[str] = []
    sent = False
    if action == "reply" and reply.is_valid():
        try:
            notes = services.reporter_reply(
                concern, data_key, reply.cleaned_data["message"], reply.cleaned_data["evidence"]
            )
        except ValidationError as error:
            apply_validation_error(reply, error)
        else:
            sent, reply = True, ReporterReplyForm()
    if action == "file":
        try:
            name, content = services.file_content(concern, data_key, int(request.POST["file"]))
        except (ValueError, KeyError, concern.files.model.DoesNotExist) as error:
            raise Http404("No such file") from error
        response = HttpResponse(content, content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="{_safe(name)}"'
        return response
    concern.refresh_from_db()
    context = {
        "concern": concern,
        "opened": services.read(concern, data_key, for_reporter=True),
        "receipt": crypto.grouped(form.cleaned_data["receipt"]),
        "reply": reply,
        "sent": sent,
        "file_notes": notes,
        "crumbs": _crumbs(("Your concern", None)),
    }
    return render(request, "concerns/concern.html", context)


def _receipt_page(request: HttpRequest, form: ReceiptForm) -> HttpResponse:
    context = {"form": form, "crumbs": _crumbs(("Return with your receipt", None))}
    return render(request, "concerns/return.html", context, status=400 if form.errors else 200)


def _safe(name: str) -> str:
    return "".join(ch for ch in name if ch.isalnum() or ch in "._- ") or "file"


@require_http_methods(["GET", "HEAD"])
def outcomes(request: HttpRequest) -> HttpResponse:
    rows, withheld = services.published_summary()
    context = {
        "rows": rows,
        "withheld": withheld,
        "minimum": services.SUMMARY_MINIMUM,
        "crumbs": _crumbs(("What happened to concerns", None)),
    }
    return render(request, "concerns/outcomes.html", context)


# ------------------------------------------------------------------------------ reviewers


def _review_crumbs(*more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("Concerns", reverse("concerns_review:inbox")), *more]


def _reviewer(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not access.is_reviewer(user):
        raise Http404(access.NOT_FOUND)
    return user


@login_required
@require_http_methods(["GET", "HEAD"])
def inbox(request: HttpRequest) -> HttpResponse:
    user = _reviewer(request)
    context = {
        "concerns": [(c, services.clocks(c)) for c in access.inbox(user)],
        "has_key": ReviewerKey.objects.filter(user=user).exists(),
        "unlocked": keyring.unlocked(request) is not None,
        "crumbs": [("Concerns", None)],
    }
    return render(request, "concerns/inbox.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def key(request: HttpRequest) -> HttpResponse:
    """Set up a key (first time) or unlock it for this session."""
    user = _reviewer(request)
    own = ReviewerKey.objects.filter(user=user).first()
    form = PassphraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        passphrase = form.cleaned_data["passphrase"]
        try:
            own = own or services.create_reviewer_key(user, passphrase)
            private = services.unlock(own, passphrase)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            response = redirect("concerns_review:inbox")
            keyring.remember(request, response, private)
            return response
    others = []
    if own is not None:
        others = [
            (k, k.grants.count())
            for k in access.reviewers_with_keys().exclude(user=user).select_related("user")
        ]
    context = {
        "form": form,
        "own": own,
        "unlocked": keyring.unlocked(request) is not None,
        "others": others,
        "crumbs": _review_crumbs(("Your key", None)),
    }
    return render(request, "concerns/key.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def lock(request: HttpRequest) -> HttpResponse:
    _reviewer(request)
    response = redirect("concerns_review:inbox")
    keyring.forget(request, response)
    return response


@login_required
@require_POST
def grant(request: HttpRequest, key_id: int) -> HttpResponse:
    user = _reviewer(request)
    private = keyring.unlocked(request)
    if private is None:
        return redirect("concerns_review:key")
    other = ReviewerKey.objects.filter(pk=key_id).select_related("user").first()
    if other is None:
        raise Http404("No such key")
    services.grant(user, private, other)
    return redirect("concerns_review:key")


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reviewer(request)
    concern = access.concern_for_review(user, pk)
    private = keyring.unlocked(request)
    if private is None:
        return redirect("concerns_review:key")
    try:
        data_key = services.reviewer_data_key(user, private, concern)
    except crypto.CannotOpen:
        context = {"concern": concern, "crumbs": _review_crumbs((str(concern), None))}
        return render(request, "concerns/not_granted.html", context, status=403)
    allowed = lifecycle.allowed_next(concern.status)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    message_form = (
        MessageForm(request.POST, request.FILES) if action == "message" else MessageForm()
    )
    note_form = NoteForm(request.POST if action == "note" else None)
    status_form = StatusForm(request.POST if action == "status" else None, allowed=allowed)
    if action == "file":
        name, content = services.file_content(concern, data_key, int(request.POST.get("file", 0)))
        response = HttpResponse(content, content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="{_safe(name)}"'
        return response
    file_notes = _review_action(
        user, data_key, concern, action, message_form, note_form, status_form
    )
    if file_notes == []:
        return redirect("concerns_review:detail", pk=concern.pk)
    if file_notes:
        # Sent with files: the answer says what could not be stripped from them (their names
        # are encrypted at rest, so they are not carried to another page in the session).
        message_form = MessageForm()
    concern.refresh_from_db()
    context = {
        "concern": concern,
        "clocks": services.clocks(concern),
        "opened": services.read(concern, data_key, for_reporter=False),
        "referrals": concern.referrals.select_related("referred_by"),
        "message_form": message_form,
        "note_form": note_form,
        "status_form": status_form if allowed else None,
        "file_notes": file_notes or [],
        "crumbs": _review_crumbs((str(concern), None)),
    }
    failed = any(f.errors for f in (message_form, note_form, status_form))
    return render(request, "concerns/review.html", context, status=400 if failed else 200)


def _review_action(
    user: User,
    data_key: bytes,
    concern: Concern,
    action: str,
    message_form: MessageForm,
    note_form: NoteForm,
    status_form: StatusForm,
) -> list[str] | None:
    """Do what was posted: what was said about the files sent ([] when none), or None if it
    was refused or nothing was posted."""
    try:
        if action == "message" and message_form.is_valid():
            return services.message_reporter(
                user,
                data_key,
                concern,
                message_form.cleaned_data["question"],
                attachments=message_form.cleaned_data["attachment"],
            ).file_notes
        if action == "note" and note_form.is_valid():
            services.message_reporter(
                user, data_key, concern, note_form.cleaned_data["note"], internal=True
            )
            return []
        if action == "status" and status_form.is_valid():
            data = status_form.cleaned_data
            services.change_status(
                user,
                data_key,
                concern,
                lifecycle.Status(data["status"]),
                message=data["message"],
                outcome=data["outcome"],
                referral={
                    "recipient_kind": data["recipient_kind"],
                    "recipient_name": data["recipient_name"],
                    "items_sent": data["items_sent"],
                },
            )
            return []
    except ValidationError as error:
        target: Any = {"message": message_form, "note": note_form}.get(action, status_form)
        apply_validation_error(target, error)
    return None
