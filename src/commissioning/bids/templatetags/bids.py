"""``{% bids_lot_section lot %}``: the bids include for the opportunity page, with its context
worked out here (status only; never bid content, PRO-8)."""

from __future__ import annotations

from typing import Any

from django import template

from commissioning.bids.consortium import bidders_named, consortium_of, members
from commissioning.bids.context import bids_for_lot
from commissioning.bids.models import Bid
from commissioning.procurement.models import Lot

register = template.Library()


@register.inclusion_tag("bids/lot_section.html", takes_context=True)
def bids_lot_section(context: Any, lot: Lot) -> dict[str, Any]:
    return {"request": context["request"], **bids_for_lot(context["request"].user, lot)}


@register.inclusion_tag("bids/_consortium.html")
def bid_together(bid: Bid, editable: bool = False) -> dict[str, Any]:
    """``{% bid_together bid %}``: the lead and every member of a bid together, their roles,
    shares and answers (PRO-6) — metadata in the clear, so evaluators and the award see it."""
    return {
        "bid": bid,
        "consortium": consortium_of(bid),
        "members": members(bid),
        "editable": editable,
    }


@register.filter
def bidders(bid: Bid) -> str:
    """``{{ bid|bidders }}``: the bidding organisation, or the lead and every member (PRO-6)."""
    return bidders_named(bid)
