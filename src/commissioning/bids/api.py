"""JSON API for bidders' own bids (PRO-7, PRO-8; ADR 0006), at /api/bids. Signed-in only (401).

* ``GET /api/bids`` and ``GET /api/bids/{id}`` give **metadata only** — lot, status, times,
  receipts, which organisations are named as sub-contractors and whether each agreed, document
  sizes — and only to approved members of the bidding organisation (403 for everyone else, the
  commissioner and site administrators included).
* ``GET /api/bids/{id}/content`` gives what the bid *says*. To the bidder's own members it is
  unsealed with :func:`commissioning.bids.keys.bidder_key` (via ``services.own_bid``); to the
  commissioning body's commissioners only through :func:`commissioning.bids.opening.opened_bid`,
  i.e. after the bid deadline by the server's clock and once they have opened the bids. Before
  that, and to anyone else, it is refused (403): no route shows sealed content early.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from commissioning.api.errors import INVALID, WRITE_ERRORS, ErrorOut, error
from commissioning.api.pagination import Page, PageQuery, page_of
from commissioning.bids import access, consent, consortium, opening, reading, services, submission
from commissioning.bids.content import COST_LINES
from commissioning.bids.forms import (
    ConsentForm,
    ConsortiumLeadForm,
    ConsortiumMemberForm,
    SubcontractorForm,
)
from commissioning.bids.models import Bid, ConsortiumMember
from commissioning.bids.services import fresh
from commissioning.permissions import signed_in_user
from commissioning.procurement.services import bid_deadline_passed

router = Router(tags=["Bids (sealed until the deadline)"])


class ReceiptOut(Schema):
    reference: str
    submitted_at: datetime
    digest: str = Field(description="SHA-256 over the sealed bid as submitted.")
    url: str


class NamedSubcontractorOut(Schema):
    organisation: str
    consent: str = Field(description="requested, confirmed or declined")


class BidOut(Schema):
    id: int
    opportunity: str
    opportunity_title: str
    lot: int
    lot_title: str
    organisation: str = Field(description="The bidding organisation's slug.")
    status: str = Field(description="draft, submitted or withdrawn")
    bid_deadline: datetime | None
    deadline_passed: bool
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    withdrawn_at: datetime | None
    latest_receipt: ReceiptOut | None
    supplier_information_version: int | None = Field(
        description="The number of the bidder's core supplier information version recorded at "
        "the latest submission (GET /api/supplier-information/organisations/{slug})."
    )
    url: str


class ConsortiumMemberOut(Schema):
    id: int
    organisation: str = Field(description="The member's slug.")
    role: str
    share: str = Field(description="Its share of the work, per cent.")
    consent: str = Field(description="requested, confirmed or declined")


class ConsortiumOut(Schema):
    arrangement: str = Field(description="consortium or spv (special-purpose vehicle)")
    lead: str = Field(description="The lead's slug: the bidding organisation.")
    lead_role: str
    lead_share: str = Field(description="The lead's share of the work, per cent.")
    members: list[ConsortiumMemberOut]
    shares_total: str = Field(description="Lead and members together; must be 100.00.")
    still_to_answer: list[str] = Field(description="Slugs of members yet to confirm.")


class BidDetailOut(BidOut):
    receipts: list[ReceiptOut]
    supply_chain: list[NamedSubcontractorOut]
    consortium: ConsortiumOut | None = Field(
        None, description="Organisations bidding together; null for a bid alone."
    )
    document_sizes: list[int] = Field(description="Sizes in bytes; names are sealed.")


class BidListOut(Page):
    results: list[BidOut]


class AnswerOut(Schema):
    criterion_id: int
    criterion: str
    answer: str


class TermsOut(Schema):
    organisation: str
    consent: str
    role: str
    services: str
    referrals_per_year: int
    value_per_year: str
    upfront_percent: str | None = Field(
        None, description="The share of its fee paid up front, in percent; null when not stated."
    )
    payment_terms_days: int | None = Field(
        None, description="The days the bidder takes to pay its invoices; null when not stated."
    )


class DocumentOut(Schema):
    name: str
    size: int


class BidContentOut(Schema):
    id: int
    read_as: str = Field(description="bidder (before or after the deadline) or commissioner")
    price: str | None
    costs: dict[str, str | None] = Field(description="The full-cost disclosure (EVA-4).")
    total_cost: str | None
    has_subsidy: bool | None
    subsidy_details: str
    answers: list[AnswerOut]
    supply_chain: list[TermsOut]
    documents: list[DocumentOut]
    digest_matches_receipt: bool


def _money(value: Any) -> str | None:
    return None if value is None else str(value)


def _receipt(receipt: Any) -> dict[str, Any]:
    return {
        "reference": receipt.reference,
        "submitted_at": receipt.submitted_at,
        "digest": receipt.digest,
        "url": reverse("bids:receipt", args=[receipt.reference]),
    }


def bid_out(bid: Bid) -> dict[str, Any]:
    """A bid's metadata: nothing it says (ADR 0006)."""
    opportunity = bid.lot.opportunity
    latest = bid.receipts.order_by("-submitted_at", "-pk").first()
    return {
        "id": bid.pk,
        "opportunity": opportunity.reference,
        "opportunity_title": opportunity.title,
        "lot": bid.lot.number,
        "lot_title": bid.lot.title,
        "organisation": bid.organisation.slug,
        "status": bid.status,
        "bid_deadline": opportunity.bid_deadline,
        "deadline_passed": bid_deadline_passed(opportunity),
        "created_at": bid.created_at,
        "updated_at": bid.updated_at,
        "submitted_at": bid.submitted_at,
        "withdrawn_at": bid.withdrawn_at,
        "latest_receipt": _receipt(latest) if latest else None,
        "supplier_information_version": (
            bid.supplier_information.number if bid.supplier_information else None
        ),
        "url": services.bid_url(bid),
    }


def _bid(bid_id: int) -> Bid:
    bid = (
        Bid.objects.select_related(
            "lot__opportunity__exercise", "organisation", "supplier_information"
        )
        .filter(pk=bid_id)
        .first()
    )
    if bid is None:
        raise Http404("No such bid")
    return bid


def _own(request: HttpRequest, bid_id: int) -> Bid:
    bid = _bid(bid_id)
    if not access.can_prepare_bid(request.user, bid):
        raise PermissionDenied("Only members of the bidding organisation can see this bid.")
    return bid


@router.get(
    "",
    auth=django_auth,
    response={200: BidListOut, 422: ErrorOut, **WRITE_ERRORS},
    summary="Your organisations' bids (metadata only)",
)
def list_bids(request: HttpRequest, pages: Query[PageQuery]) -> Any:
    """The bids of the provider organisations you are an approved member of, newest first."""
    bids = (
        Bid.objects.filter(organisation__in=access.bidding_organisations(request.user))
        .select_related("lot__opportunity", "organisation", "supplier_information")
        .order_by("-created_at", "-pk")
    )
    page = page_of(bids, pages)
    page["results"] = [bid_out(bid) for bid in page["results"]]
    return Status(200, page)


@router.get(
    "/{bid_id}",
    auth=django_auth,
    response={200: BidDetailOut, **WRITE_ERRORS},
    summary="One of your bids: status, receipts, named sub-contractors (metadata only)",
)
def get_bid(request: HttpRequest, bid_id: int) -> Any:
    return Status(200, get_bid_detail(_own(request, bid_id)))


def get_bid_detail(bid: Bid) -> dict[str, Any]:
    """A bid's metadata with receipts, supply chain, document sizes and who bids together."""
    return {
        **bid_out(bid),
        "receipts": [_receipt(r) for r in bid.receipts.order_by("-submitted_at", "-pk")],
        "supply_chain": [
            {"organisation": sub.organisation.slug, "consent": sub.consent}
            for sub in bid.supply_chain.select_related("organisation").order_by("pk")
        ],
        "document_sizes": list(bid.documents.order_by("pk").values_list("size", flat=True)),
        "consortium": consortium_out(bid),
    }


def consortium_out(bid: Bid) -> dict[str, Any] | None:
    """Who bids together with the lead, their shares and answers (PRO-6): metadata only."""
    together = consortium.consortium_of(bid)
    if together is None:
        return None
    return {
        "arrangement": together.arrangement,
        "lead": bid.organisation.slug,
        "lead_role": together.lead_role,
        "lead_share": str(together.lead_share),
        "members": [
            {
                "id": m.pk,
                "organisation": m.organisation.slug,
                "role": m.role,
                "share": str(m.share),
                "consent": m.consent,
            }
            for m in consortium.members(bid)
        ],
        "shares_total": str(consortium.total_share(together)),
        "still_to_answer": [org.slug for org in consortium.still_to_answer(bid)],
    }


class ConsortiumIn(Schema):
    arrangement: str = Field(description="consortium or spv")
    lead_role: str
    lead_share: str = Field(description='Per cent, up to two decimal places, e.g. "50".')


class ConsortiumMemberIn(Schema):
    organisation: str = Field(description="The member's slug (a provider in the directory).")
    role: str
    share: str = Field(description='Per cent, up to two decimal places, e.g. "30".')


class SubcontractorIn(Schema):
    organisation: str = Field(description="The sub-contractor's slug (a provider).")
    role: str
    services: str
    referrals_per_year: str = Field(description='Referrals promised a year, e.g. "120".')
    value_per_year: str = Field(description='Pounds promised a year, e.g. "45000.00".')
    upfront_percent: str = Field(
        description='The share of its fee paid up front, per cent, e.g. "20". With the lot\'s '
        "share paid on outcomes it is at most 100."
    )
    payment_terms_days: str = Field(
        description='The days the bidder takes to pay its invoices, 0 to 365, e.g. "30".'
    )


class AnswerIn(Schema):
    decision: str = Field(description="confirm or decline")
    reason: str = Field("", description="Required to decline; the lead sees it.")


def _form_errors(form: Any) -> Any:
    errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
    return error(400, INVALID, errors)


def _detail(bid: Bid) -> Any:
    return get_bid_detail(fresh(bid))


@router.post(
    "/{bid_id}/consortium",
    auth=django_auth,
    response={200: BidDetailOut, **WRITE_ERRORS},
    summary="Bid together: how, and the lead's role and share",
)
def set_consortium(request: HttpRequest, bid_id: int, payload: ConsortiumIn) -> Any:
    """For members of the bidding organisation (the lead) while the bid can change, as the
    "Bid together" page: refused with 400 naming each field, nothing written."""
    bid = _own(request, bid_id)
    form = ConsortiumLeadForm(payload.dict())
    if not form.is_valid():
        return _form_errors(form)
    data = form.cleaned_data
    consortium.set_lead(
        signed_in_user(request),
        bid,
        arrangement=data["arrangement"],
        lead_role=data["lead_role"],
        lead_share=data["lead_share"],
    )
    return Status(200, _detail(bid))


@router.post(
    "/{bid_id}/consortium/members",
    auth=django_auth,
    response={201: BidDetailOut, **WRITE_ERRORS},
    summary="Add a member bidding together with the lead",
)
def add_consortium_member(request: HttpRequest, bid_id: int, payload: ConsortiumMemberIn) -> Any:
    """As the "Add a member" page: the member must be a provider registered in the directory,
    its share must keep the total at or below 100%; its people are asked to confirm."""
    bid = _own(request, bid_id)
    form = ConsortiumMemberForm(payload.dict(), lead=bid.organisation)
    if not form.is_valid():
        return _form_errors(form)
    data = form.cleaned_data
    consortium.add_member(
        signed_in_user(request), bid, data["organisation"], role=data["role"], share=data["share"]
    )
    return Status(201, _detail(bid))


@router.post(
    "/{bid_id}/supply-chain",
    auth=django_auth,
    response={201: BidDetailOut, **WRITE_ERRORS},
    summary="Name a sub-contractor and what it is promised",
)
def add_subcontractor(request: HttpRequest, bid_id: int, payload: SubcontractorIn) -> Any:
    """As the "Name a sub-contractor" page (PRO-7): the terms — role, services, referrals and
    value a year, the share of its fee paid up front and the days taken to pay its invoices
    (PBR-7) — are sealed with the bid and its members are asked to confirm. Refused with 400
    naming each field, nothing written."""
    bid = _own(request, bid_id)
    form = SubcontractorForm(payload.dict(), prime=bid.organisation)
    if not form.is_valid():
        return _form_errors(form)
    services.add_subcontractor(
        signed_in_user(request), bid, form.cleaned_data["organisation"], form.terms()
    )
    return Status(201, _detail(bid))


@router.post(
    "/invitations/{member_id}/answer",
    auth=django_auth,
    response={200: ConsortiumMemberOut, **WRITE_ERRORS},
    summary="Confirm or decline an invitation to bid together",
)
def answer_invitation(request: HttpRequest, member_id: int, payload: AnswerIn) -> Any:
    """For approved members of the invited organisation, while the bid can change."""
    member = (
        ConsortiumMember.objects.select_related("organisation", "consortium__bid__organisation")
        .filter(pk=member_id)
        .first()
    )
    if member is None or not access.can_answer_subcontract(request.user, member):
        raise Http404("No such invitation")
    form = ConsentForm(payload.dict())
    if not form.is_valid():
        return _form_errors(form)
    consent.answer(
        signed_in_user(request),
        member,
        confirm=form.cleaned_data["decision"] == "confirm",
        reason=form.cleaned_data["reason"],
    )
    member.refresh_from_db()
    return Status(
        200,
        {
            "id": member.pk,
            "organisation": member.organisation.slug,
            "role": member.role,
            "share": str(member.share),
            "consent": member.consent,
        },
    )


@router.post(
    "/{bid_id}/submit",
    auth=django_auth,
    response={201: ReceiptOut, **WRITE_ERRORS},
    summary="Submit the bid",
)
def submit_bid(request: HttpRequest, bid_id: int) -> Any:
    """As the "Check and submit" page: refused with 400 listing every reason under
    ``errors.__all__`` (which members are still to answer, shares not adding up to 100%, ...)."""
    bid = _own(request, bid_id)
    receipt = submission.submit(signed_in_user(request), bid)
    return Status(201, _receipt(receipt))


def content_out(opened: reading.OpenBid, read_as: str) -> dict[str, Any]:
    content = opened.content
    criteria = {
        str(c.pk): c
        for c in opened.bid.lot.opportunity.criteria.exclude(kind="price").order_by("order", "pk")
    }
    return {
        "id": opened.bid.pk,
        "read_as": read_as,
        "price": _money(content.price),
        "costs": {key: _money(content.costs.get(key)) for key in COST_LINES},
        "total_cost": _money(content.total_cost),
        "has_subsidy": content.has_subsidy,
        "subsidy_details": content.subsidy_details,
        "answers": [
            {"criterion_id": int(key), "criterion": criterion.name, "answer": content.answers[key]}
            for key, criterion in criteria.items()
            if key in content.answers
        ],
        "supply_chain": [
            {
                "organisation": sub.organisation.slug,
                "consent": sub.consent,
                "role": terms.role,
                "services": terms.services,
                "referrals_per_year": terms.referrals_per_year,
                "value_per_year": str(terms.value_per_year),
                # How it is paid (PBR-7): null on requests made before these were asked.
                "upfront_percent": _money(terms.upfront_percent),
                "payment_terms_days": terms.payment_terms_days,
            }
            for sub, terms in opened.supply_chain
        ],
        "documents": [{"name": name, "size": doc.size} for doc, name in opened.documents],
        "digest_matches_receipt": opened.digest_matches_receipt,
    }


@router.get(
    "/{bid_id}/content",
    auth=django_auth,
    response={200: BidContentOut, **WRITE_ERRORS},
    summary="What a bid says: for its own members, or the commissioners once opened",
)
def get_bid_content(request: HttpRequest, bid_id: int) -> Any:
    """The bidder's own approved members read their bid at any time. The commissioning body's
    commissioners read a submitted bid only after the bid deadline and once they have opened the
    bids (403 "sealed" before). Everyone else — site administrators included — gets 403."""
    bid = _bid(bid_id)
    if access.can_prepare_bid(request.user, bid):
        return Status(200, content_out(services.own_bid(request.user, bid), "bidder"))
    if access.can_open_bids(request.user, bid.lot.opportunity):
        return Status(200, content_out(opening.opened_bid(request.user, bid), "commissioner"))
    raise PermissionDenied("Only the bidding organisation can read its bid before opening.")
