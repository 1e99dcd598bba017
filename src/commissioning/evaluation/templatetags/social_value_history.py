"""``{% social_value_history bid as history %}``: the bidder's social value track record for the
score page's include, so the page's view need not know of it (EVA-3)."""

from __future__ import annotations

from django import template

from commissioning.bids.models import Bid
from commissioning.evaluation.social_value_history import PastCommitment, track_record

register = template.Library()


@register.simple_tag
def social_value_history(bid: Bid) -> list[PastCommitment]:
    return track_record(bid)
