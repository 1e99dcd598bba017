"""Supply-chain evidence for evaluators (EVA-3, PRO-7, SUP-2): the analytics core's diversity,
concentration and "bid candy" measures for the bid being scored, computed from the supply chain
the bid names (its sealed terms, read with the evaluator's key) and the directory's profiles of
the named organisations. Evidence only: the evaluator still judges the score."""

from __future__ import annotations

from decimal import Decimal

from commissioning.bids.models import Subcontractor
from commissioning.bids.reading import OpenBid
from commissioning.directory.models import Organisation
from commissioning.procurement.services_reports import directory_geography, lot_spec
from commissioning_analytics.evaluation.supply_chain import (
    ProposedSubContractor,
    SubContractorProfile,
    SupplyChainError,
    SupplyChainEvidence,
    supply_chain_evidence,
)

SUPPLY_CHAIN_CRITERION = "supply-chain-diversity"
INVOLVEMENT_CRITERION = "user-involvement"
"""The library criterion on service-user involvement: beside it evaluators see how the bidder
says, on its profile, that it involves the people it serves (USR-1)."""


def is_involvement_criterion(library_id: str, name: str) -> bool:
    """A criterion about service-user involvement: picked from the library, or written by the
    commissioner with "involvement" in its name."""
    return library_id == INVOLVEMENT_CRITERION or "involvement" in name.lower()


"""The criteria-library entry this evidence is written for (it shows open on its score page)."""


def _profile(organisation: Organisation) -> SubContractorProfile:
    return SubContractorProfile(
        name=organisation.name,
        annual_income=organisation.annual_income or Decimal(0),
        areas=tuple(a.slug for a in organisation.areas.all()),
        specialisms=tuple(s.slug for s in organisation.specialisms.all()),
        cohorts=tuple(c.slug for c in organisation.cohorts.all()),
        bame_led=organisation.bame_led,
        women_led=organisation.women_led,
        lived_experience_led=organisation.lived_experience_led,
        user_led=organisation.user_led,
    )


def evidence_for(view: OpenBid) -> SupplyChainEvidence | str:
    """The evidence for an unsealed bid, or the reason it cannot be computed (in words)."""
    lot = view.bid.lot
    try:
        spec = lot_spec(lot)
        chain = [
            ProposedSubContractor(
                profile=_profile(sub.organisation),
                role=terms.role,
                referrals_per_year=terms.referrals_per_year,
                value_per_year=terms.value_per_year,
                consent_confirmed=sub.consent == Subcontractor.Consent.CONFIRMED,
            )
            for sub, terms in view.supply_chain
        ]
        return supply_chain_evidence(
            spec,
            chain,
            contract_annual_value=view.content.price,
            geography=directory_geography(),
        )
    except (SupplyChainError, ValueError) as error:
        return f"The supply chain evidence cannot be computed: {error}"
