"""Unsealing a whole bid once a caller holds its data key (see :mod:`.keys` for who may): the
content, the supply chain with the terms promised, and the documents' names."""

from __future__ import annotations

from dataclasses import dataclass, field

from commissioning.bids import sealing
from commissioning.bids.content import BidContent, Terms
from commissioning.bids.models import Bid, BidDocument, Receipt, Subcontractor


@dataclass
class OpenBid:
    bid: Bid
    content: BidContent
    supply_chain: list[tuple[Subcontractor, Terms]] = field(default_factory=list)
    documents: list[tuple[BidDocument, str]] = field(default_factory=list)
    receipt: Receipt | None = None
    digest: str = ""

    @property
    def digest_matches_receipt(self) -> bool:
        return self.receipt is not None and self.receipt.digest == self.digest


def content_of(bid: Bid, key: bytes) -> BidContent:
    raw = bytes(bid.sealed_content)
    if not raw:
        return BidContent()
    return BidContent.from_bytes(sealing.unseal(key, raw, bid.content_context))


def terms_of(subcontractor: Subcontractor, key: bytes) -> Terms:
    raw = sealing.unseal(key, bytes(subcontractor.sealed_terms), subcontractor.terms_context)
    return Terms.from_bytes(raw)


def name_of(document: BidDocument, key: bytes) -> str:
    return sealing.unseal(key, bytes(document.sealed_name), document.name_context).decode("utf-8")


def data_of(document: BidDocument, key: bytes) -> bytes:
    return sealing.unseal(key, bytes(document.sealed_data), document.data_context)


def sealed_digest(bid: Bid) -> str:
    """SHA-256 over everything sealed in the bid, in a fixed order: its content, each named
    sub-contractor and its sealed terms, each document's sealed name and bytes — as stored."""
    stored = Bid.objects.filter(pk=bid.pk).values_list("sealed_content", flat=True).get()
    parts: list[bytes] = [bytes(stored)]
    for sub in bid.supply_chain.order_by("pk"):
        parts += [str(sub.organisation_id).encode(), bytes(sub.sealed_terms)]
    for document in bid.documents.order_by("pk"):
        parts += [bytes(document.sealed_name), bytes(document.sealed_data)]
    return sealing.digest(parts)


def open_bid(bid: Bid, key: bytes) -> OpenBid:
    supply = list(bid.supply_chain.select_related("organisation").order_by("pk"))
    documents = list(bid.documents.order_by("pk"))
    return OpenBid(
        bid=bid,
        content=content_of(bid, key),
        supply_chain=[(sub, terms_of(sub, key)) for sub in supply],
        documents=[(doc, name_of(doc, key)) for doc in documents],
        receipt=bid.receipts.order_by("-submitted_at", "-pk").first(),
        digest=sealed_digest(bid),
    )
