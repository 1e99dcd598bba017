"""A named sub-contractor's answer (PRO-7), and a consortium member's (PRO-6): no one is named in
a bid without agreeing. Its approved members see exactly what it is promised and confirm, or
decline with a reason; the prime's (the lead's) members are told either way."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.bids import access, keys, lifecycle, reading
from commissioning.bids.content import Terms
from commissioning.bids.models import Bid, ConsortiumMember, Subcontractor
from commissioning.bids.services import bid_url, members_of
from commissioning.notifications.services import notify
from commissioning.permissions import Visitor, is_signed_in, member_organisations

_ANSWER_REFUSALS = {
    lifecycle.DEADLINE_REFUSAL: "The bid deadline has passed: this request is closed.",
    lifecycle.SUBMITTED_REFUSAL: "The bid has been submitted: ask the prime to withdraw it first.",
}
"""The sub-contractor's words for why the bid can no longer change (see
:func:`lifecycle.edit_refusal`)."""


Named = Subcontractor | ConsortiumMember
"""An organisation named in a bid that must agree: a sub-contractor or a consortium member."""

_WORDS: dict[type[Named], tuple[str, str, str]] = {
    Subcontractor: ("bid.subcontractor", "sub-contract request", "bid.subcontract"),
    ConsortiumMember: ("bid.consortium", "invitation to bid together", "bid.consortium"),
}
"""Each kind's audit action prefix, the request's name in the notice, and the notice kind."""


def requests_for(user: Visitor) -> QuerySet[Subcontractor]:
    """Requests to the organisations ``user`` is an approved member of, newest first."""
    if not is_signed_in(user):
        return Subcontractor.objects.none()
    return (
        Subcontractor.objects.filter(organisation__in=member_organisations(user))
        .select_related("bid__organisation", "bid__lot__opportunity", "organisation")
        .order_by("-created_at", "-pk")
    )


def promised_terms(user: Visitor, sub: Subcontractor) -> Terms:
    """What the bid promises this sub-contractor, unsealed for its own members only."""
    return reading.terms_of(sub, keys.subcontractor_key(user, sub))


def invitations_for(user: Visitor) -> QuerySet[ConsortiumMember]:
    """Invitations to bid together sent to ``user``'s organisations, newest first (PRO-6)."""
    if not is_signed_in(user):
        return ConsortiumMember.objects.none()
    return (
        ConsortiumMember.objects.filter(organisation__in=member_organisations(user))
        .select_related(
            "consortium__bid__organisation", "consortium__bid__lot__opportunity", "organisation"
        )
        .order_by("-created_at", "-pk")
    )


def answer(
    actor: User,
    sub: Named,
    *,
    confirm: bool,
    reason: str = "",
    now: datetime | None = None,
) -> None:
    """Confirm or decline (with a reason) being named, while the bid can still change: the same
    for a sub-contractor and a consortium member."""
    action, request_name, kind = _WORDS[type(sub)]
    if not access.can_answer_subcontract(actor, sub):
        raise PermissionDenied("Only members of the named organisation can answer.")
    if not confirm and not reason.strip():
        raise ValidationError({"reason": "Enter why you are declining"})
    now = now or timezone.now()
    with transaction.atomic():
        locked = type(sub).objects.select_for_update().get(pk=sub.pk)
        bid = Bid.objects.select_related("lot__opportunity", "organisation").get(pk=locked.bid_id)
        refusal = lifecycle.edit_refusal(bid, now)
        if refusal is not None:
            raise ValidationError(_ANSWER_REFUSALS[refusal])
        before = locked.consent
        locked.consent = (
            Subcontractor.Consent.CONFIRMED if confirm else Subcontractor.Consent.DECLINED
        )
        locked.decline_reason = "" if confirm else reason.strip()
        locked.answered_at = now
        locked.answered_by = actor
        locked.save(update_fields=["consent", "decline_reason", "answered_at", "answered_by"])
        record(
            actor,
            f"{action}.confirm" if confirm else f"{action}.decline",
            locked,
            {"consent": {"from": before, "to": locked.consent}},
        )
        verb = "confirmed" if confirm else "declined"
        body = f"{locked.organisation} {verb} being named in your bid for {bid.lot}."
        if not confirm:
            body += f"\nTheir reason: {locked.decline_reason}"
        notify(
            members_of(bid.organisation_id),
            subject=f"{locked.organisation} {verb} your {request_name}",
            body=body,
            url=bid_url(bid),
            kind=f"{kind}.{verb}",
        )
