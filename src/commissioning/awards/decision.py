"""The award decision per lot (PRO-9): the winner is the core's top-ranked qualifying bid (the
commissioner records reasons, never picks another bid), or no award when no bid qualifies. The
inputs are frozen into the decision (ADR 0008), every bidder is told with a link to its feedback,
and the standstill (``AWARD_STANDSTILL_WORKING_DAYS`` working days, England & Wales) starts.
When every lot is decided, the opportunity becomes awarded or unsuccessful."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.awards.access import can_manage_award
from commissioning.awards.models import LotAward
from commissioning.awards.reporting import lot_results
from commissioning.bids.models import Bid
from commissioning.bids.services import members_of
from commissioning.evaluation.selection import selection_failures
from commissioning.notifications.services import notify
from commissioning.procurement import services as procurement
from commissioning.procurement.lifecycle import Status, TransitionError
from commissioning.procurement.models import Lot, Opportunity
from commissioning_analytics.timelines.working_days import (
    LONDON,
    add_working_days,
    is_working_day,
    london_date,
)

MIN_REASONS = 30


def standstill_end(decided_at: datetime, working_days: int | None = None) -> datetime:
    """When the standstill ends: midnight (Europe/London) at the end of the ``working_days``-th
    England & Wales working day of a period *beginning with* the day of the decision, when the
    award notice is published (Procurement Act 2023 s.51; default
    ``settings.AWARD_STANDSTILL_WORKING_DAYS``). A decision on a working day counts that day."""
    days = settings.AWARD_STANDSTILL_WORKING_DAYS if working_days is None else working_days
    day = london_date(decided_at)
    last = add_working_days(day, days - 1) if is_working_day(day) else add_working_days(day, days)
    return datetime.combine(last + timedelta(days=1), time(0), tzinfo=LONDON)


def standstill_last_day(award: LotAward) -> date | None:
    """The last day of the award's standstill (it ends at midnight at the end of it)."""
    return award.standstill_last_day


def _check_reasons(reasons: str) -> str:
    text = (reasons or "").strip()
    if len(text) < MIN_REASONS:
        raise ValidationError(
            {"reasons": f"Give the reasons for the decision in at least {MIN_REASONS} characters"}
        )
    return text


def refuse_disqualified(bid: Bid) -> None:
    """Refuse to award ``bid`` if it has a recorded selection fail (EVA-6), whatever the ranking
    it reached: the decision re-reads selection inside its transaction."""
    reasons = selection_failures(bid.lot, [bid]).get(bid.pk)
    if reasons:
        raise ValidationError(
            f"{bid.organisation.name}'s bid failed selection and cannot be awarded: "
            + "; ".join(reasons)
            + "."
        )


def feedback_url(bid: Bid) -> str:
    return reverse("feedback:bid", args=[bid.pk])


def _notify_bidders(award: LotAward, bids: list[Bid]) -> None:
    lot = award.lot
    opportunity = lot.opportunity
    where = f"{lot} of {opportunity.reference} “{opportunity.title}”"
    last_day = standstill_last_day(award)
    standstill = (
        f" The standstill period ends at midnight at the end of {last_day:%-d %B %Y}; "
        "the contract is not signed before then."
        if last_day
        else ""
    )
    for bid in bids:
        if award.winning_bid_id == bid.pk:
            subject = f"Successful: your bid for {lot}, {opportunity.reference}"
            body = f"Your bid for {where} is the most advantageous and has been selected."
        elif award.outcome == LotAward.Outcome.AWARDED:
            subject = f"Unsuccessful: your bid for {lot}, {opportunity.reference}"
            body = f"Your bid for {where} was not selected."
        else:
            subject = f"No award: {lot}, {opportunity.reference}"
            body = f"No bid for {where} met the published minimum standards, so no award is made."
        notify(
            members_of(bid.organisation_id),
            subject=subject,
            body=body + standstill + " Your feedback shows your scores and reasons against the "
            "winning bid's.",
            url=feedback_url(bid),
            kind="award.decided",
        )


def _close_opportunity(actor: User, opportunity: Opportunity, now: datetime) -> None:
    """Every lot decided: awarded if any lot was awarded, else unsuccessful."""
    lots = opportunity.lots.all()
    decided = LotAward.objects.filter(lot__opportunity=opportunity)
    if decided.count() < lots.count():
        return
    target = (
        Status.AWARDED
        if decided.filter(outcome=LotAward.Outcome.AWARDED).exists()
        else Status.UNSUCCESSFUL
    )
    try:
        procurement.transition(actor, opportunity, target, now=now)
    except TransitionError as error:
        raise ValidationError(error.message) from error


def decide_award(actor: User, lot: Lot, reasons: str, now: datetime | None = None) -> LotAward:
    """Decide the award of ``lot`` (PRO-9): refused to anyone but the body's commissioners
    (``PermissionDenied``), and with a ``ValidationError`` (nothing written) when the reasons
    are too short, the opportunity is not in evaluation, the lot is already decided, or its
    results are not ready (bids not opened, a moderated score or price missing)."""
    lot = Lot.objects.select_related("opportunity__exercise").get(pk=lot.pk)
    opportunity = lot.opportunity
    if not can_manage_award(actor, opportunity):
        raise PermissionDenied("Only the commissioning body's commissioners decide awards.")
    text = _check_reasons(reasons)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        # record_selection locks the lot too: selection cannot change under the results read
        # below, nor after the award (EVA-6).
        Lot.objects.select_for_update().get(pk=lot.pk)
        if LotAward.objects.filter(lot=lot).exists():
            raise ValidationError(
                f"The award for lot {lot.number} has already been decided; it is not changed."
            )
        if locked.status != Status.EVALUATION:
            raise ValidationError("Awards are decided while the opportunity is in evaluation.")
        results = lot_results(actor, lot)
        if results.has_bids and not results.ready:
            raise ValidationError(["The results are not ready:", *results.not_ready])
        winner = results.winner
        winning_bid = Bid.objects.get(pk=int(winner.bid_id)) if winner else None
        if winning_bid is not None:
            refuse_disqualified(winning_bid)
        award = LotAward.objects.create(
            lot=lot,
            outcome=LotAward.Outcome.AWARDED if winning_bid else LotAward.Outcome.NO_AWARD,
            winning_bid=winning_bid,
            reasons=text,
            results=results.inputs.to_json() if results.inputs else {},
            decided_by=actor,
            decided_at=now,
            standstill_ends_at=standstill_end(now) if winning_bid else None,
        )
        record(
            actor,
            "award.decide",
            award,
            {
                "lot": str(lot),
                "outcome": award.outcome,
                "winning_bid": winning_bid.pk if winning_bid else None,
                "winner": str(winning_bid.organisation) if winning_bid else None,
                "total": str(winner.total) if winner else None,
                "reasons": text,
                "standstill_ends_at": award.standstill_ends_at.isoformat()
                if award.standstill_ends_at
                else None,
            },
        )
        bids = list(
            Bid.objects.filter(lot=lot, status=Bid.Status.SUBMITTED).order_by("organisation__name")
        )
        _notify_bidders(award, bids)
        _close_opportunity(actor, locked, now)
    return award
