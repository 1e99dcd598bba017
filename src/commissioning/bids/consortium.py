"""Bidding together (PRO-6): a consortium or special-purpose vehicle whose lead — the bid's own
organisation — prepares and submits the sealed bid, with members beneath it, each with a role
and a share of the work. Shares are percentages held as Decimal and must add up to exactly 100
before the bid can go in. Every member answers as a named sub-contractor does, through
:func:`commissioning.bids.consent.answer`; the bid cannot be submitted until each has confirmed
(:func:`problems`, run by :func:`commissioning.bids.submission.submission_problems`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.bids.models import Bid, Consortium, ConsortiumMember, Subcontractor
from commissioning.bids.services import (
    _locked,
    check_editable,
    commissions_exercise,
    members_of,
)
from commissioning.directory.models import Organisation
from commissioning.notifications.services import notify

WHOLE = Decimal("100.00")
"""The lead's and members' shares of the work add up to exactly this (per cent)."""


def consortium_of(bid: Bid) -> Consortium | None:
    """The bid's consortium, if it bids together; not asked again when the bid was read with it
    (``select_related("consortium")``, as its page does: issue 21)."""
    if Bid.consortium.is_cached(bid):
        try:
            return bid.consortium
        except Consortium.DoesNotExist:
            return None
    return Consortium.objects.filter(bid=bid).first()


def members(bid: Bid) -> list[ConsortiumMember]:
    """The members beneath the lead, in the order they were added."""
    return list(
        ConsortiumMember.objects.filter(consortium__bid=bid)
        .select_related("organisation", "consortium")
        .order_by("created_at", "pk")
    )


def total_share(consortium: Consortium, chain: list[ConsortiumMember] | None = None) -> Decimal:
    """The lead's share plus every member's (per cent); of ``chain`` (:func:`members`) when the
    caller has read it already."""
    shares = (
        consortium.members.values_list("share", flat=True)
        if chain is None
        else [member.share for member in chain]
    )
    return consortium.lead_share + sum(shares, Decimal(0))


def still_to_answer(bid: Bid) -> list[Organisation]:
    """The members that have not yet confirmed (waiting or declined)."""
    return [m.organisation for m in members(bid) if m.consent != Subcontractor.Consent.CONFIRMED]


def set_lead(
    actor: User,
    bid: Bid,
    *,
    arrangement: str,
    lead_role: str,
    lead_share: Decimal,
    now: datetime | None = None,
) -> Consortium:
    """Make the bid a bid together (or change how), with the lead's role and share."""
    if arrangement not in Consortium.Arrangement.values:
        raise ValidationError({"arrangement": "Select a consortium or a special-purpose vehicle"})
    if not lead_role.strip():
        raise ValidationError({"lead_role": "Enter the lead's role"})
    _check_share(lead_share, "lead_share")
    with transaction.atomic():
        locked = _locked(bid)
        check_editable(actor, locked, now)
        consortium, created = Consortium.objects.get_or_create(
            bid=locked,
            defaults={
                "arrangement": arrangement,
                "lead_role": lead_role.strip(),
                "lead_share": lead_share,
            },
        )
        if not created:
            others = total_share(consortium) - consortium.lead_share
            if others + lead_share > WHOLE:
                raise ValidationError({"lead_share": _over_message(others + lead_share)})
            consortium.arrangement = arrangement
            consortium.lead_role = lead_role.strip()
            consortium.lead_share = lead_share
            consortium.save(update_fields=["arrangement", "lead_role", "lead_share"])
        record(
            actor,
            "bid.consortium.set",
            locked,
            {"arrangement": arrangement, "lead_share": str(lead_share)},
        )
    return consortium


def add_member(
    actor: User,
    bid: Bid,
    organisation: Organisation,
    *,
    role: str,
    share: Decimal,
    now: datetime | None = None,
) -> ConsortiumMember:
    """Add a member with its role and share; its members are asked to confirm."""
    if organisation.pk == bid.organisation_id:
        raise ValidationError({"organisation": "Your own organisation is the lead"})
    if organisation.is_commissioning_body:
        raise ValidationError({"organisation": "Choose a provider organisation"})
    if not role.strip():
        raise ValidationError({"role": "Enter the member's role"})
    _check_share(share, "share")
    with transaction.atomic():
        locked = _locked(bid)
        check_editable(actor, locked, now)
        consortium = Consortium.objects.select_for_update().filter(bid=locked).first()
        if consortium is None:
            raise ValidationError("Say how you are bidding together and the lead's share first")
        if commissions_exercise(organisation, locked.lot.opportunity.exercise):
            raise ValidationError(
                {"organisation": f"{organisation} commissions this exercise, so it cannot bid"}
            )
        if consortium.members.filter(organisation=organisation).exists():
            raise ValidationError({"organisation": f"{organisation} is already a member"})
        total = total_share(consortium) + share
        if total > WHOLE:
            raise ValidationError({"share": _over_message(total)})
        member = ConsortiumMember.objects.create(
            consortium=consortium, organisation=organisation, role=role.strip(), share=share
        )
        record(
            actor,
            "bid.consortium.add",
            locked,
            {"member": str(organisation), "share": str(share)},
        )
        opportunity = locked.lot.opportunity
        notify(
            members_of(organisation.pk),
            subject=f"{locked.organisation} asks you to bid together",
            body=(
                f"{locked.organisation} wants to name {organisation} as a member of its "
                f"{consortium.get_arrangement_display().lower()} bidding for {locked.lot} of "
                f"{opportunity.reference} “{opportunity.title}”, as {member.role} with "
                f"{share}% of the work. Confirm or decline."
            ),
            url=reverse("bids:consortium-request", args=[member.pk]),
            kind="bid.consortium.request",
        )
    return member


def remove_member(actor: User, member: ConsortiumMember, now: datetime | None = None) -> None:
    with transaction.atomic():
        locked = _locked(member.consortium.bid)
        check_editable(actor, locked, now)
        record(actor, "bid.consortium.remove", locked, {"member": str(member.organisation)})
        member.delete()


def problems(bid: Bid) -> list[str]:
    """Why a bid together cannot be submitted yet (empty for a bid alone, or when it can)."""
    together = consortium_of(bid)
    if together is None:
        return []
    return problems_of(together, members(bid))


def problems_of(together: Consortium, chain: list[ConsortiumMember]) -> list[str]:
    """:func:`problems` of a consortium and its members (:func:`members`) already read."""
    found: list[str] = []
    if not chain:
        found.append("Add the members you are bidding together with.")
    total = total_share(together, chain)
    if total != WHOLE:
        found.append(
            f"The shares of the work add up to {total}%: the lead's and members' shares "
            "must add up to 100%."
        )
    for member in chain:
        if member.consent == Subcontractor.Consent.REQUESTED:
            found.append(f"{member.organisation} has not yet confirmed it agrees to bid together.")
        elif member.consent == Subcontractor.Consent.DECLINED:
            found.append(f"{member.organisation} declined to bid together: remove it.")
    return found


def _check_share(share: Decimal, field: str) -> None:
    if share <= 0 or share > WHOLE:
        raise ValidationError({field: "Enter a share of more than 0% and up to 100%"})
    if share != share.quantize(Decimal("0.01")):
        raise ValidationError({field: "Enter a share with at most two decimal places"})


def _over_message(total: Decimal) -> str:
    return f"The shares would add up to {total}%: together they must add up to 100%"


def bidders_named(bid: Bid) -> str:
    """Who bid, in words: the organisation alone, or the lead and every confirmed member
    ("A (lead), B and C")."""
    together = [
        m.organisation.name for m in members(bid) if m.consent == Subcontractor.Consent.CONFIRMED
    ]
    if not together:
        return bid.organisation.name
    names = [f"{bid.organisation.name} (lead)", *together]
    return ", ".join(names[:-1]) + " and " + names[-1]
