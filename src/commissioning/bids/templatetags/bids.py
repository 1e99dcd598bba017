"""``{% bids_lot_section lot %}``: the bids include for the opportunity page, with its context
worked out here (status only; never bid content, PRO-8)."""

from __future__ import annotations

from typing import Any

from django import template

from commissioning.bids.context import bids_for_lot
from commissioning.procurement.models import Lot

register = template.Library()


@register.inclusion_tag("bids/lot_section.html", takes_context=True)
def bids_lot_section(context: Any, lot: Lot) -> dict[str, Any]:
    return {"request": context["request"], **bids_for_lot(context["request"].user, lot)}
