"""A bidder's social value track record, shown to evaluators beside the social value criterion
(EVA-3, issue 15: commitments "fed to the next tender's evaluators").

Commitments and their quarterly reports are recorded by an app above evaluation in the layers
(docs/architecture.md), so evaluation cannot read them. That app registers a source here when it
starts (:meth:`commissioning.social_value.apps.SocialValueConfig.ready`), as referrals do with
:mod:`commissioning.contracts.recorded`; the score page asks :func:`track_record`. With no
source registered the bidder simply has no record to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from commissioning.bids.models import Bid


@dataclass(frozen=True)
class PastCommitment:
    """One social value commitment of a contract the bidder held as prime, to date: figures as
    the public table words them (money in pounds, counts plain)."""

    contract_reference: str
    contract_title: str
    measure: str
    promised: str
    pledged_to_date: str
    delivered_to_date: str
    shortfall_to_date: str
    """"None" where the pledge to date was met."""
    quarters_reported: int
    quarters_due: int


HistorySource = Callable[[Bid], list[PastCommitment]]
"""The commitments of the bidder's earlier contracts (not the bid's own opportunity's)."""

_sources: list[HistorySource] = []


def register(source: HistorySource) -> None:
    if source not in _sources:
        _sources.append(source)


def track_record(bid: Bid) -> list[PastCommitment]:
    """Every registered source's past commitments of ``bid``'s organisation."""
    return [commitment for source in _sources for commitment in source(bid)]
