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

from commissioning.api.errors import WRITE_ERRORS, ErrorOut
from commissioning.api.pagination import Page, PageQuery, page_of
from commissioning.bids import access, opening, reading, services
from commissioning.bids.content import COST_LINES
from commissioning.bids.models import Bid
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


class BidDetailOut(BidOut):
    receipts: list[ReceiptOut]
    supply_chain: list[NamedSubcontractorOut]
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
    bid = _own(request, bid_id)
    return Status(
        200,
        {
            **bid_out(bid),
            "receipts": [_receipt(r) for r in bid.receipts.order_by("-submitted_at", "-pk")],
            "supply_chain": [
                {"organisation": sub.organisation.slug, "consent": sub.consent}
                for sub in bid.supply_chain.select_related("organisation").order_by("pk")
            ],
            "document_sizes": list(bid.documents.order_by("pk").values_list("size", flat=True)),
        },
    )


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
