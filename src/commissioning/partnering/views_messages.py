"""Messaging pages (PRO-6): the inbox, starting a conversation, a thread with its reply form.
Sign-in required; 403 for anyone who is not an approved member of one of the two organisations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from commissioning.kernel.forms import apply_validation_error
from commissioning.kernel.pagination import paginate
from commissioning.partnering import access, messaging
from commissioning.partnering.context import lot_url
from commissioning.partnering.forms import ReplyForm, StartConversationForm
from commissioning.partnering.models import Conversation
from commissioning.partnering.rules import excerpt
from commissioning.partnering.views import get_lot, organisation_or_404
from commissioning.permissions import signed_in_user
from commissioning.procurement.models import Lot

INBOX_CRUMB = ("Messages", None)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if not access.can_message(request.user):
        raise PermissionDenied("Messages are for approved members of provider organisations.")
    context = paginate(request, messaging.conversations_for(request.user))
    page = list(context["page_obj"].object_list)
    unread = messaging.unread_by_conversation(request.user, [c.pk for c in page])
    own = access.approved_organisation_ids(request.user)
    context.update(
        {
            "rows": [
                {
                    "conversation": conversation,
                    "other": (
                        conversation.with_organisation
                        if conversation.started_by_organisation_id in own
                        else conversation.started_by_organisation
                    ),
                    "latest": excerpt(conversation.latest_body or ""),
                    "unread": unread.get(conversation.pk, 0),
                }
                for conversation in page
            ],
            "unread_total": messaging.unread_count(request.user),
            "crumbs": [INBOX_CRUMB],
        }
    )
    return render(request, "partnering/inbox.html", context)


@login_required
def start(
    request: HttpRequest, slug: str, reference: str | None = None, number: int | None = None
) -> HttpResponse:
    recipient = organisation_or_404(slug)
    lot: Lot | None = get_lot(request, reference, number) if reference and number else None
    if not access.can_start_conversation(request.user, recipient):
        raise PermissionDenied("You cannot message this organisation.")
    senders = [org for org in access.speaks_for(request.user) if org != recipient]
    initial = {"subject": f"{lot.opportunity.reference} {lot}"[:150]} if lot else {}
    form = StartConversationForm(request.POST or None, initial=initial, organisations=senders)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = messaging.start_conversation(
                signed_in_user(request),
                sender=form.chosen_organisation(),
                recipient=recipient,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                lot=lot,
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Message sent to {recipient.name}.")
            return HttpResponseRedirect(conversation.get_absolute_url())
    back = lot_url("lot", lot) if lot else recipient.get_absolute_url()
    context = {
        "form": form,
        "recipient": recipient,
        "lot": lot,
        "cancel_url": back,
        "crumbs": [("Messages", reverse("partnering:inbox")), ("New message", None)],
    }
    return render(request, "partnering/start.html", context)


@login_required
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_object_or_404(
        Conversation.objects.select_related(
            "started_by_organisation", "with_organisation", "lot__opportunity"
        ),
        pk=pk,
    )
    if not access.can_read_conversation(request.user, conversation):
        raise PermissionDenied("Only the two organisations' members can read this conversation.")
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            messaging.reply(
                signed_in_user(request),
                conversation,
                form.cleaned_data["body"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Reply sent.")
            return HttpResponseRedirect(conversation.get_absolute_url())
    thread = list(
        conversation.messages.select_related("sender_organisation", "author").order_by(
            "created_at", "pk"
        )
    )
    unread = messaging.unread_by_conversation(request.user, [conversation.pk]).get(
        conversation.pk, 0
    )
    if request.method == "GET":
        messaging.mark_read(signed_in_user(request), conversation)
    own = access.approved_organisation_ids(request.user)
    context = {
        "conversation": conversation,
        "thread": thread,
        "own_ids": own,
        "unread": unread,
        "form": form,
        "crumbs": [("Messages", reverse("partnering:inbox")), (conversation.subject, None)],
    }
    return render(request, "partnering/conversation.html", context)
