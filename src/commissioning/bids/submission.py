"""Submitting and withdrawing a bid (PRO-7, PRO-8): the guards and side effects of the bid's
state machine, whose table and status writes live in :mod:`.lifecycle`.

    draft ──submit──▶ submitted ──withdraw──▶ withdrawn ──submit──▶ submitted …

Every transition happens only before the bid deadline by the server's clock. Submission is
refused, with every reason listed, until the price and full-cost disclosure are complete, every
non-price criterion is answered, every named sub-contractor has confirmed and, for a bid
together, every consortium member has confirmed and the shares add up to 100%. Each submission
gets a receipt; the latest counts.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.bids import access, consortium, keys, lifecycle, reading
from commissioning.bids.content import BidContent
from commissioning.bids.models import Bid, Consortium, ConsortiumMember, Receipt, Subcontractor
from commissioning.bids.services import (
    answerable_criteria,
    bid_url,
    commissioner_in_chain_message,
    commissioning_organisations,
    fresh,
    members_of,
)
from commissioning.notifications.services import notify
from commissioning.procurement.models import Criterion
from commissioning.procurement.services import is_open_for_bids
from commissioning.supplier_information import services as supplier_information

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class SubmissionRefused(ValidationError):
    """Submission refused; ``messages`` lists every reason."""


def new_reference() -> str:
    """A receipt reference such as ``BID-7KQ2-M9XA-3PLD`` (unguessable, easy to read out)."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"BID-{chars[:4]}-{chars[4:8]}-{chars[8:]}"


LATE = "The bid deadline has passed: late bids are refused."


def submission_problems(user: User, bid: Bid, now: datetime | None = None) -> list[str]:
    """Every reason ``bid`` cannot be submitted now (empty when it can)."""
    bid = fresh(bid)
    if not is_open_for_bids(bid.lot.opportunity, now):
        return [LATE]
    together = consortium.consortium_of(bid)
    return problems_of(
        bid,
        reading.content_of(bid, keys.bidder_key(user, bid)),
        list(answerable_criteria(bid)),
        list(bid.supply_chain.select_related("organisation").order_by("pk")),
        together,
        consortium.members(bid) if together is not None else [],
        now,
    )


def problems_of(
    bid: Bid,
    content: BidContent,
    criteria: list[Criterion],
    supply_chain: list[Subcontractor],
    together: Consortium | None,
    members: list[ConsortiumMember],
    now: datetime | None = None,
) -> list[str]:
    """:func:`submission_problems` of a bid and its rows as the caller has just read them (the
    bid's page reads each once, issue 21): its unsealed content, the criteria answered in
    words, the supply chain by id, the consortium and its members."""
    if not is_open_for_bids(bid.lot.opportunity, now):
        return [LATE]
    problems: list[str] = []
    if bid.status == Bid.Status.SUBMITTED:
        problems.append("This bid has already been submitted.")
    if content.price is None:
        problems.append("Enter your price.")
    if content.total_cost is None:
        problems.append("Complete the full-cost disclosure.")
    if content.has_subsidy is None:
        problems.append("Declare whether any public subsidy or costs you do not bear apply.")
    for criterion in criteria:
        if not content.answers.get(str(criterion.pk)):
            problems.append(f"Answer the criterion “{criterion.name}”.")
    commissioners = (
        commissioning_organisations(bid.lot.opportunity.exercise) if supply_chain else set()
    )
    for sub in supply_chain:
        if sub.organisation_id in commissioners:
            # Named before it joined the exercise as a partner (PRO-11).
            problems.append(commissioner_in_chain_message(sub.organisation) + ": remove it.")
        elif sub.consent == Subcontractor.Consent.REQUESTED:
            problems.append(f"{sub.organisation} has not yet confirmed it agrees to be named.")
        elif sub.consent == Subcontractor.Consent.DECLINED:
            problems.append(
                f"{sub.organisation} declined to be named: remove it from the supply chain."
            )
    if together is not None:  # bidding together (PRO-6)
        problems.extend(consortium.problems_of(together, members))
    return problems


def submit(actor: User, bid: Bid, now: datetime | None = None) -> Receipt:
    """Submit the bid (PRO-7, PRO-8): refused after the deadline by the server's clock, or while
    anything in :func:`submission_problems` is outstanding. Emails and shows a receipt."""
    if not access.can_prepare_bid(actor, bid):
        raise PermissionDenied("Only members of the bidding organisation can submit this bid.")
    now = now or timezone.now()
    with transaction.atomic():
        locked = Bid.objects.select_for_update().select_related("lot__opportunity").get(pk=bid.pk)
        problems = submission_problems(actor, locked, now)
        if problems:
            raise SubmissionRefused(problems)
        transition = lifecycle.move(locked, Bid.Status.SUBMITTED, now, caller=bid)
        # Every bid reuses the organisation's core supplier information (LAW-5): the version
        # current now is the one the commissioner will read.
        version = supplier_information.record_on_submission(locked, locked.organisation_id)
        locked.save(update_fields=["supplier_information"])
        receipt = Receipt.objects.create(
            bid=locked,
            reference=new_reference(),
            submitted_at=now,
            submitted_by=actor,
            digest=reading.sealed_digest(locked),
        )
        record(
            actor,
            transition.action,
            locked,
            {
                "receipt": receipt.reference,
                "digest": receipt.digest,
                "supplier_information_version": version.number if version else None,
            },
        )
        opportunity = locked.lot.opportunity
        notify(
            members_of(locked.organisation_id),
            subject=f"Bid receipt {receipt.reference}",
            body=(
                f"{locked.organisation}'s bid for {locked.lot} of {opportunity.reference} "
                f"“{opportunity.title}” was received at "
                f"{timezone.localtime(now):%H:%M:%S on %d %B %Y} (UK time).\n"
                f"Receipt: {receipt.reference}\n"
                f"SHA-256 digest of the sealed bid: {receipt.digest}\n"
                "The bid stays sealed until the bid deadline."
            ),
            url=reverse("bids:receipt", args=[receipt.reference]),
            kind="bid.receipt",
        )
    return receipt


def withdraw(actor: User, bid: Bid, now: datetime | None = None) -> None:
    """Withdraw a submitted bid before the deadline; it can be changed and submitted again."""
    if not access.can_prepare_bid(actor, bid):
        raise PermissionDenied("Only members of the bidding organisation can withdraw this bid.")
    now = now or timezone.now()
    with transaction.atomic():
        locked = Bid.objects.select_for_update().select_related("lot__opportunity").get(pk=bid.pk)
        if not is_open_for_bids(locked.lot.opportunity, now):
            raise ValidationError("The bid deadline has passed: the bid can no longer be changed.")
        if locked.status != Bid.Status.SUBMITTED:
            raise ValidationError("Only a submitted bid can be withdrawn.")
        transition = lifecycle.move(locked, Bid.Status.WITHDRAWN, now, caller=bid)
        audit = {"status": {"from": "submitted", "to": "withdrawn"}}
        record(actor, transition.action, locked, audit)
        notify(
            members_of(locked.organisation_id),
            subject=f"Bid withdrawn: {locked.lot}",
            body=(
                f"{locked.organisation}'s bid for {locked.lot} was withdrawn. It no longer counts "
                "unless it is submitted again before the deadline."
            ),
            url=bid_url(locked),
            kind="bid.withdrawn",
        )
