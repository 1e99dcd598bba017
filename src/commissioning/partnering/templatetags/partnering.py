"""``{% partnering_lot_section lot %}`` and ``{% partnering_organisation_section organisation %}``:
the partnering includes, for pages other apps own, with their context worked out here."""

from __future__ import annotations

from typing import Any

from django import template

from commissioning.directory.models import Organisation
from commissioning.partnering.context import partnering_for_lot, partnering_for_organisation
from commissioning.procurement.models import Lot

register = template.Library()


@register.inclusion_tag("partnering/lot_section.html", takes_context=True)
def partnering_lot_section(context: Any, lot: Lot) -> dict[str, Any]:
    return {"partnering": partnering_for_lot(context["request"].user, lot)}


@register.inclusion_tag("partnering/organisation_section.html", takes_context=True)
def partnering_organisation_section(context: Any, organisation: Organisation) -> dict[str, Any]:
    return {"partnering": partnering_for_organisation(context["request"].user, organisation)}
