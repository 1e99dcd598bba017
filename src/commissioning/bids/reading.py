"""Unsealing a whole bid once a caller holds its data key (see :mod:`.keys` for who may): the
content, the supply chain with the terms promised, and the documents' names."""

from __future__ import annotations

from collections.abc import Iterable
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


def _stored_content(bid: Bid) -> bytes:
    return bytes(Bid.objects.filter(pk=bid.pk).values_list("sealed_content", flat=True).get())


def sealed_digest(bid: Bid) -> str:
    """SHA-256 over everything sealed in the bid, in a fixed order: its content, each named
    sub-contractor and its sealed terms, each document's sealed name and bytes — as stored."""
    supply_chain, documents = bid.supply_chain.order_by("pk"), bid.documents.order_by("pk")
    return digest_of(_stored_content(bid), supply_chain, documents)


def digest_of(
    sealed_content: bytes | memoryview,
    supply_chain: Iterable[Subcontractor],
    documents: Iterable[BidDocument],
) -> str:
    """:func:`sealed_digest` of rows already read, the supply chain and documents by id."""
    parts: list[bytes] = [bytes(sealed_content)]
    for sub in supply_chain:
        parts += [str(sub.organisation_id).encode(), bytes(sub.sealed_terms)]
    for document in documents:
        parts += [bytes(document.sealed_name), bytes(document.sealed_data)]
    return sealing.digest(parts)


def open_bid(bid: Bid, key: bytes) -> OpenBid:
    """The whole bid read and unsealed, its digest over the content as stored now."""
    supply = list(bid.supply_chain.select_related("organisation").order_by("pk"))
    documents = list(bid.documents.order_by("pk"))
    receipts = list(bid.receipts.order_by("-submitted_at", "-pk")[:1])
    return open_read(bid, key, supply, documents, receipts, _stored_content(bid))


def open_read(
    bid: Bid,
    key: bytes,
    supply_chain: list[Subcontractor],
    documents: list[BidDocument],
    receipts: list[Receipt],
    stored_content: bytes | memoryview | None = None,
) -> OpenBid:
    """The bid unsealed from rows the caller has read in this request (issue 21): the supply
    chain and documents by id, the receipts latest first; the content as ``bid`` holds it
    unless ``stored_content`` is given."""
    sealed = bid.sealed_content if stored_content is None else stored_content
    return OpenBid(
        bid=bid,
        content=content_of(bid, key),
        supply_chain=[(sub, terms_of(sub, key)) for sub in supply_chain],
        documents=[(doc, name_of(doc, key)) for doc in documents],
        receipt=receipts[0] if receipts else None,
        digest=digest_of(sealed, supply_chain, documents),
    )
