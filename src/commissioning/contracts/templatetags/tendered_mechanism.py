"""``{% tendered_mechanism_section lot editable %}``: a lot's payment mechanism as tendered on
the opportunity page (PBR-1, PBR-2, issue 15): described in plain English as the contract's
mechanism page describes it, with the statement the builder previews for its default scenario,
so bidders price on the same figures; the builder and JSON import for its commissioners while
the opportunity is a draft."""

from __future__ import annotations

from typing import Any

from django import template

from commissioning.contracts.builder_forms import DEFAULT_SCENARIO
from commissioning.contracts.describe import describe_mechanism
from commissioning.contracts.mechanism_builder import preview
from commissioning.procurement.models import Lot
from commissioning_analytics.payments import parse_mechanism

register = template.Library()


@register.inclusion_tag("contracts/_lot_mechanism.html")
def tendered_mechanism_section(lot: Lot, editable: bool) -> dict[str, Any]:
    document = lot.tendered_mechanism
    return {
        "lot": lot,
        "editable": editable,
        "described": None if document is None else describe_mechanism(parse_mechanism(document)),
        "preview": None if document is None else preview(document, DEFAULT_SCENARIO),
        "scenario": DEFAULT_SCENARIO,
    }
