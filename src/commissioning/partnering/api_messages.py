"""JSON API for messages between organisations (PRO-6), at /api/messages: the caller's
conversations with unread counts, one conversation (which marks it read), starting a
conversation and replying. Messages need a signed-in session (401); the rules are those of
:mod:`commissioning.partnering.access`, applied by the same services as the pages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from commissioning import idempotency
from commissioning.api.errors import WRITE_ERRORS, ErrorOut, error
from commissioning.api.pagination import Page, PageQuery, last_page, page_of
from commissioning.directory.models import Organisation
from commissioning.partnering import access, messaging
from commissioning.partnering.api import (
    LotRef,
    MissingOrganisation,
    OrganisationRef,
    lot_for,
    org_ref,
    own_organisation,
)
from commissioning.partnering.models import Conversation
from commissioning.partnering.rules import excerpt
from commissioning.permissions import Visitor, signed_in_user

messages_router = Router(tags=["Messages between organisations"])


class ConversationOut(Schema):
    id: int
    subject: str
    with_organisation: OrganisationRef = Field(description="The other organisation.")
    lot: str | None = Field(description="The opportunity reference and lot, if about one.")
    last_message_at: datetime
    latest: str = Field(description="The start of the latest message.")
    unread: int


class ConversationListOut(Page):
    unread_total: int = Field(description="Unread messages in all your conversations.")
    results: list[ConversationOut]


class MessageOut(Schema):
    sender: OrganisationRef
    body: str
    sent_at: datetime
    mine: bool = Field(description="Sent by one of your organisations.")


class ThreadOut(ConversationOut, Page):
    results: list[MessageOut] = Field(description="Its messages, oldest first, a page at a time.")


class StartIn(Schema):
    to: str = Field(description="Slug of the organisation you write to.")
    subject: str
    body: str
    organisation: str | None = Field(
        None, description="Slug of the organisation you write for (if you belong to several)."
    )
    lot: LotRef | None = None


class ReplyIn(Schema):
    body: str


def _conversation_out(user: Visitor, conversation: Conversation, unread: int) -> dict[str, Any]:
    own = access.approved_organisation_ids(user)
    other = (
        conversation.with_organisation
        if conversation.started_by_organisation_id in own
        else conversation.started_by_organisation
    )
    lot = conversation.lot
    latest = getattr(conversation, "latest_body", None)
    if latest is None:
        last = conversation.messages.order_by("-created_at", "-pk").first()
        latest = last.body if last else ""
    return {
        "id": conversation.pk,
        "subject": conversation.subject,
        "with_organisation": org_ref(other),
        "lot": f"{lot.opportunity.reference} {lot}" if lot else None,
        "last_message_at": conversation.last_message_at,
        "latest": excerpt(latest),
        "unread": unread,
    }


def _messaging_user(request: HttpRequest) -> None:
    if not access.can_message(request.user):
        raise PermissionDenied("Messages are for approved members of provider organisations.")


@messages_router.get(
    "/conversations",
    auth=django_auth,
    response={200: ConversationListOut, 422: ErrorOut, **WRITE_ERRORS},
    summary="Your organisations' conversations, latest first, with unread counts",
)
def list_conversations(request: HttpRequest, pages: Query[PageQuery]) -> Any:
    _messaging_user(request)
    page = page_of(messaging.conversations_for(request.user), pages)
    unread = messaging.unread_by_conversation(request.user, [c.pk for c in page["results"]])
    page["results"] = [
        _conversation_out(request.user, c, unread.get(c.pk, 0)) for c in page["results"]
    ]
    return Status(200, {"unread_total": messaging.unread_count(request.user), **page})


def _thread(
    user: Visitor, conversation: Conversation, unread: int, pages: PageQuery
) -> dict[str, Any]:
    """The conversation with one page of its messages, oldest first."""
    own = access.approved_organisation_ids(user)
    thread = conversation.messages.select_related("sender_organisation").order_by(
        "created_at", "pk"
    )
    page = page_of(thread, pages)
    page["results"] = [
        {
            "sender": org_ref(message.sender_organisation),
            "body": message.body,
            "sent_at": message.created_at,
            "mine": message.sender_organisation_id in own,
        }
        for message in page["results"]
    ]
    return {**_conversation_out(user, conversation, unread), **page}


def _thread_ending(user: Visitor, conversation: Conversation) -> dict[str, Any]:
    """After a write: the page of the thread that holds its newest message."""
    return _thread(user, conversation, 0, last_page(conversation.messages.count()))


def _readable(request: HttpRequest, conversation_id: int) -> Conversation:
    conversation = (
        Conversation.objects.select_related(
            "started_by_organisation", "with_organisation", "lot__opportunity"
        )
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise Http404("No such conversation")
    if not access.can_read_conversation(request.user, conversation):
        raise PermissionDenied("Only the two organisations' members can read this conversation.")
    return conversation


@messages_router.get(
    "/conversations/{conversation_id}",
    auth=django_auth,
    response={200: ThreadOut, 422: ErrorOut, **WRITE_ERRORS},
    summary="One conversation with its messages (marks it read)",
)
def get_conversation(request: HttpRequest, conversation_id: int, pages: Query[PageQuery]) -> Any:
    conversation = _readable(request, conversation_id)
    unread = messaging.unread_by_conversation(request.user, [conversation.pk]).get(
        conversation.pk, 0
    )
    messaging.mark_read(signed_in_user(request), conversation)
    return Status(200, _thread(request.user, conversation, unread, pages))


@messages_router.post(
    "/conversations",
    auth=django_auth,
    response={201: ThreadOut, **WRITE_ERRORS},
    summary="Start a conversation with another organisation",
)
def start_conversation(request: HttpRequest, payload: StartIn) -> Any:
    """For approved members of a provider organisation, to another provider organisation,
    optionally about a lot. Its members are notified. With an `Idempotency-Key` header a repeat
    answers with the conversation already started."""
    recipient = Organisation.objects.filter(slug=payload.to).first()
    if recipient is None:
        return error(400, "No such organisation.", {"to": ["No such organisation"]})
    if not access.can_start_conversation(request.user, recipient):
        raise PermissionDenied("You cannot message this organisation.")
    senders = [o for o in access.speaks_for(request.user) if o.pk != recipient.pk]
    try:
        sender = own_organisation(payload.organisation, senders)
    except MissingOrganisation as problem:
        return error(400, str(problem), {"organisation": [str(problem)]})
    lot = None
    if payload.lot is not None:
        lot = lot_for(request, payload.lot.opportunity, payload.lot.number)
    conversation = messaging.start_conversation(
        signed_in_user(request),
        sender=sender,
        recipient=recipient,
        subject=payload.subject,
        body=payload.body,
        lot=lot,
        submission_key=idempotency.header_key(request),
    )
    return Status(201, _thread_ending(request.user, _readable(request, conversation.pk)))


@messages_router.post(
    "/conversations/{conversation_id}/messages",
    auth=django_auth,
    response={201: ThreadOut, **WRITE_ERRORS},
    summary="Reply in a conversation",
)
def reply(request: HttpRequest, conversation_id: int, payload: ReplyIn) -> Any:
    """Answers with the page of the thread that holds the reply. With an `Idempotency-Key`
    header a repeat sends nothing new."""
    conversation = _readable(request, conversation_id)
    messaging.reply(
        signed_in_user(request),
        conversation,
        payload.body,
        submission_key=idempotency.header_key(request),
    )
    return Status(201, _thread_ending(request.user, _readable(request, conversation_id)))
