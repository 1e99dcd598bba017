"""The bidder's own bid page read once (issue 21; PRO-7, PRO-8, LAW-5, PRO-6): the bid is read
with what it points to (:data:`RELATED`), and its supply chain, documents, receipts, criteria
and consortium once each, serving both what the page shows and the reasons the bid cannot be
submitted yet. A GET changes nothing, so the bid read for the page is the bid as stored now:
unlike the services that write, nothing here reads it again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from commissioning.bids import consortium, keys, lifecycle, reading, submission
from commissioning.bids.models import Bid, Consortium, ConsortiumMember, Receipt
from commissioning.bids.services import answerable_criteria
from commissioning.permissions import Visitor
from commissioning.procurement.models import Criterion
from commissioning.procurement.services import is_open_for_bids
from commissioning.supplier_information import services as supplier_information
from commissioning.supplier_information.models import SupplierInformationVersion

#: What the page shows of the rows a bid points to, read in the bid's own query.
RELATED = (
    "lot__opportunity__exercise",
    "lot__opportunity__bid_key",
    "organisation",
    "supplier_information",
    "consortium",
)


@dataclass
class BidPage:
    view: reading.OpenBid
    criteria: list[tuple[Criterion, str]]
    receipts: list[Receipt]
    supplier_information: SupplierInformationVersion | None
    consortium: Consortium | None
    members: list[ConsortiumMember]
    editable: bool
    open_for_bids: bool
    problems: list[str]


def bid_page(user: Visitor, bid: Bid, now: datetime | None = None) -> BidPage:
    """Everything the page shows of ``bid`` (read with :data:`RELATED`), unsealed for
    ``user``. The key decides who may see it, once: the bidding organisation's members, and
    nobody else — the commissioner and site administrators included — before anything is read
    (PermissionDenied, PRO-8)."""
    key = keys.bidder_key(user, bid)
    supply_chain = list(bid.supply_chain.select_related("organisation").order_by("pk"))
    documents = list(bid.documents.order_by("pk"))
    receipts = list(bid.receipts.order_by("-submitted_at", "-pk"))
    view = reading.open_read(bid, key, supply_chain, documents, receipts)
    criteria = list(answerable_criteria(bid))
    together = consortium.consortium_of(bid)  # read with the bid (RELATED)
    members = consortium.members(bid) if together is not None else []
    editable = lifecycle.is_editable(bid, now)
    problems = (
        submission.problems_of(bid, view.content, criteria, supply_chain, together, members, now)
        if editable
        else []
    )
    return BidPage(
        view=view,
        criteria=[(c, view.content.answers.get(str(c.pk), "")) for c in criteria],
        receipts=receipts,
        supplier_information=supplier_information.current_version(bid.organisation_id),
        consortium=together,
        members=members,
        editable=editable,
        open_for_bids=is_open_for_bids(bid.lot.opportunity, now),
        problems=problems,
    )
