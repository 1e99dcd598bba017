"""Preparing a bid (PRO-7, EVA-1, EVA-4): start one per lot, price it with the full-cost
disclosure, answer the criteria, attach documents, name sub-contractors. Everything the bid says
is sealed as it is saved (PRO-8). Submitting and withdrawing live in :mod:`.submission`; the
sub-contractors' answers in :mod:`.consent`; opening in :mod:`.opening`.

Each action is one transaction with its audit record. Audit records carry metadata only — never
prices, answers or terms — because the audit trail is not sealed.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.audit.versions import check_version
from commissioning.bids import access, keys, lifecycle, reading, sealing
from commissioning.bids.content import COST_LINES, BidContent, Terms, payment_problems
from commissioning.bids.documents import validate_document
from commissioning.bids.models import Bid, BidDocument, Subcontractor
from commissioning.directory.models import Organisation
from commissioning.notifications.services import notify
from commissioning.permissions import Visitor, approved_members
from commissioning.procurement.models import Lot
from commissioning.procurement.services import is_open_for_bids

# The audit actions of the sealed sections saved separately: each save keeps the other
# section, so only a save of the same section since the edit began makes it stale. Their audit
# changes name the section, never its sealed content, and so does the refusal.
PRICING = "bid.pricing"
ANSWERS = "bid.answers"


def members_of(organisation_id: int) -> list[User]:
    """Active, approved members of an organisation (who hear about its bids)."""
    return list(approved_members([organisation_id]))


def bid_url(bid: Bid) -> str:
    return reverse("bids:bid", args=[bid.pk])


def _locked(bid: Bid) -> Bid:
    return Bid.objects.select_for_update().select_related("lot__opportunity").get(pk=bid.pk)


def check_editable(actor: User, bid: Bid, now: datetime | None = None) -> None:
    """Only the bidder's members change a bid; not once submitted (withdraw first); never once
    the deadline has passed by the server's clock (PRO-8)."""
    if not access.can_prepare_bid(actor, bid):
        raise PermissionDenied("Only members of the bidding organisation can change this bid.")
    refusal = lifecycle.edit_refusal(bid, now)
    if refusal is not None:
        raise ValidationError(refusal)


def commissions_exercise(organisation: Organisation, exercise: Any) -> bool:
    """Whether ``organisation`` commissions ``exercise``: its commissioning body or one of its
    joint-commissioning partners (PRO-11). Such an organisation neither bids nor sits in a
    bid's supply chain: it would be paid under a contract it decides."""
    return organisation.pk in commissioning_organisations(exercise)


def commissioning_organisations(exercise: Any) -> set[int]:
    """The ids of the organisations that commission ``exercise`` (see
    :func:`commissions_exercise`), in one query: for checking a whole supply chain at once."""
    return {exercise.commissioning_body_id, *exercise.partners.values_list("pk", flat=True)}


def commissioner_in_chain_message(organisation: Organisation) -> str:
    return (
        f"{organisation} commissions this exercise jointly, so it cannot be a sub-contractor "
        "in a bid for it"
    )


def start_bid(
    actor: User, lot: Lot, organisation: Organisation, now: datetime | None = None
) -> Bid:
    """Start (or return) ``organisation``'s bid for ``lot``. An organisation cannot bid in an
    exercise it commissions (PRO-11)."""
    if not access.can_bid_for(actor, organisation):
        raise PermissionDenied("You can only bid for an organisation you are a member of.")
    opportunity = lot.opportunity
    if not is_open_for_bids(opportunity, now):
        raise ValidationError("This opportunity is not open for bids.")
    if commissions_exercise(organisation, opportunity.exercise):
        raise ValidationError("An organisation cannot bid in an exercise it commissions.")
    with transaction.atomic():
        existing = Bid.objects.filter(lot=lot, organisation=organisation).first()
        if existing is not None:
            return existing
        keys.ensure_key(opportunity)
        bid = Bid.objects.create(lot=lot, organisation=organisation, created_by=actor)
        record(actor, "bid.start", bid, {"lot": str(lot), "organisation": str(organisation)})
    return bid


def fresh(bid: Bid) -> Bid:
    """The bid as stored now (services change a locked copy, so callers' instances go stale)."""
    return Bid.objects.select_related("lot__opportunity", "organisation").get(pk=bid.pk)


def own_content(user: Visitor, bid: Bid) -> BidContent:
    bid = fresh(bid)
    return reading.content_of(bid, keys.bidder_key(user, bid))


def own_bid(user: Visitor, bid: Bid) -> reading.OpenBid:
    """The whole bid unsealed for its own organisation's members."""
    bid = fresh(bid)
    return reading.open_bid(bid, keys.bidder_key(user, bid))


def _store(bid: Bid, key: bytes, content: BidContent) -> None:
    bid.sealed_content = sealing.seal(key, content.to_bytes(), bid.content_context)
    bid.save(update_fields=["sealed_content", "updated_at"])


def save_pricing(
    actor: User,
    bid: Bid,
    *,
    price: Decimal,
    costs: dict[str, Decimal],
    has_subsidy: bool,
    subsidy_details: str = "",
    now: datetime | None = None,
    version: str | None = None,
) -> None:
    """The price and its full-cost disclosure (EVA-4): every cost line, and a declaration of any
    public subsidy or costs the bidder does not bear, with details when there are any.
    ``version`` is the bid's version the edit started from: a price saved since by a colleague
    raises ``StaleEdit`` and nothing is written (issue 13 item 4)."""
    if set(costs) != set(COST_LINES):
        raise ValidationError("Enter every line of the cost disclosure.")
    if has_subsidy and not subsidy_details.strip():
        raise ValidationError(
            {"subsidy_details": "Describe the subsidy or the costs you do not bear"}
        )
    with transaction.atomic():
        locked = _locked(bid)
        check_editable(actor, locked, now)
        check_version(locked, version, [PRICING])
        key = keys.bidder_key(actor, locked)
        content = reading.content_of(locked, key)
        content.price = price
        content.costs = dict(costs)
        content.has_subsidy = has_subsidy
        content.subsidy_details = subsidy_details.strip() if has_subsidy else ""
        _store(locked, key, content)
        record(actor, PRICING, locked, {"section": "price and full-cost disclosure"})


def save_answers(
    actor: User,
    bid: Bid,
    answers: dict[str, str],
    now: datetime | None = None,
    version: str | None = None,
) -> None:
    """Answers to the opportunity's published non-price criteria (EVA-1), keyed by criterion id.
    ``version`` as for :func:`save_pricing`: answers saved since raise ``StaleEdit``."""
    valid = {str(pk) for pk in answerable_criteria(bid).values_list("pk", flat=True)}
    with transaction.atomic():
        locked = _locked(bid)
        check_editable(actor, locked, now)
        check_version(locked, version, [ANSWERS])
        key = keys.bidder_key(actor, locked)
        content = reading.content_of(locked, key)
        content.answers = {k: v.strip() for k, v in answers.items() if k in valid and v.strip()}
        _store(locked, key, content)
        record(
            actor,
            ANSWERS,
            locked,
            {"section": "answers to the evaluation criteria", "answered": len(content.answers)},
        )


def answerable_criteria(bid: Bid) -> Any:
    """The criteria a bid answers in words: all but price (answered by the price)."""
    return bid.lot.opportunity.criteria.exclude(kind="price").order_by("order", "pk")


def add_document(
    actor: User, bid: Bid, *, name: str, size: int, data: bytes, now: datetime | None = None
) -> BidDocument:
    """Check (type by name and content, size) and seal a document; nothing is saved if the
    check fails."""
    clean = validate_document(name, size, data)
    with transaction.atomic():
        locked = _locked(bid)
        check_editable(actor, locked, now)
        key = keys.bidder_key(actor, locked)
        document = BidDocument(bid=locked, size=len(data), uploaded_by=actor)
        document.sealed_name = sealing.seal(key, clean.encode("utf-8"), document.name_context)
        document.sealed_data = sealing.seal(key, data, document.data_context)
        document.save()
        record(actor, "bid.document.add", locked, {"document": str(document.key)})
    return document


def remove_document(actor: User, document: BidDocument, now: datetime | None = None) -> None:
    with transaction.atomic():
        locked = _locked(document.bid)
        check_editable(actor, locked, now)
        record(actor, "bid.document.remove", locked, {"document": str(document.key)})
        document.delete()


def own_document(user: Visitor, document: BidDocument) -> tuple[str, bytes]:
    key = keys.bidder_key(user, document.bid)
    return reading.name_of(document, key), reading.data_of(document, key)


def add_subcontractor(
    actor: User,
    bid: Bid,
    organisation: Organisation,
    terms: Terms,
    now: datetime | None = None,
) -> Subcontractor:
    """Name a sub-contractor with what it is promised (PRO-7); its members are asked to confirm."""
    if organisation.pk == bid.organisation_id:
        raise ValidationError({"organisation": "Your own organisation cannot be a sub-contractor"})
    if organisation.is_commissioning_body:
        raise ValidationError({"organisation": "Choose a provider organisation"})
    problems = payment_problems(terms, bid.lot.outcome_payment_percent)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        locked = _locked(bid)
        check_editable(actor, locked, now)
        if commissions_exercise(organisation, locked.lot.opportunity.exercise):
            raise ValidationError({"organisation": commissioner_in_chain_message(organisation)})
        if locked.supply_chain.filter(organisation=organisation).exists():
            raise ValidationError(
                {"organisation": f"{organisation} is already in this bid's supply chain"}
            )
        key = keys.bidder_key(actor, locked)
        sub = Subcontractor(bid=locked, organisation=organisation)
        sub.sealed_terms = sealing.seal(key, terms.to_bytes(), sub.terms_context)
        sub.save()
        record(actor, "bid.subcontractor.add", locked, {"subcontractor": str(organisation)})
        opportunity = locked.lot.opportunity
        notify(
            members_of(organisation.pk),
            subject=f"{locked.organisation} named you as a sub-contractor",
            body=(
                f"{locked.organisation} wants to name {organisation} as a sub-contractor in its "
                f"bid for {locked.lot} of {opportunity.reference} “{opportunity.title}”. "
                "See what you are promised, then confirm or decline."
            ),
            url=reverse("bids:request", args=[sub.pk]),
            kind="bid.subcontract.request",
        )
    return sub


def remove_subcontractor(actor: User, sub: Subcontractor, now: datetime | None = None) -> None:
    with transaction.atomic():
        locked = _locked(sub.bid)
        check_editable(actor, locked, now)
        record(actor, "bid.subcontractor.remove", locked, {"subcontractor": str(sub.organisation)})
        sub.delete()
