"""Awards as OCDS: the UK6 contract award release of a decided lot, and the award each UK7
contract details release repeats (LAW-1, LAW-2, LAW-4, PRO-9). The one place an OCDS award is
made: from the decision (:func:`award_data`), or, for a contract made without a decision on the
platform, from the contract (:func:`contract_award_data`).

Everything published comes from the decision as it was made (ADR 0008): the award criteria and
weights and the number of bids assessed are read from the frozen results snapshot
(:class:`~commissioning.awards.results.EvaluationInputs`), the award value is the winning bid's
annual price there over the lot's term (without a price in the snapshot: the contract's value
once created, else the lot's estimated value). Bid statistics (LAW-2): ``bids`` counts the lot's
submitted bids, ``finalStageBids`` those the decision ranked or disqualified (all submitted bids
when no snapshot was kept), and the SME and VCSE counts those final-stage bids whose bidder is
an SME (turnover up to £44m, not public sector) or a VCSE (charity or social enterprise), as
the parties' ``details`` say.

Only lots *awarded* are published (a lot with no qualifying bid has no contract award notice);
nothing undecided, and nothing of a draft, ever appears. The UK6 release is dated at the
decision, which starts the standstill; the UK7 release at the contract's creation. Both share
the opportunity's ocid, so its record compiles tender, award and contract.

The UK7 release itself, with its KPIs, is :mod:`commissioning.opendata.sources.contract`'s.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from commissioning.awards.models import LotAward
from commissioning.awards.results import EvaluationInputs
from commissioning.bids.models import Bid, Consortium, ConsortiumMember, Subcontractor
from commissioning.contracts.models import Contract, ContractParty
from commissioning.opendata.ocds.award import build_award
from commissioning.opendata.ocds.common import JsonDict, ocid_for, release_id
from commissioning.opendata.ocds.data import (
    Award,
    BidStatistics,
    Criterion,
    Notice,
    Party,
    Period,
    Subcontract,
)
from commissioning.opendata.sources.common import (
    contract_period,
    is_divided,
    lot_id,
    lot_value,
    ocid_prefix,
    organisation_party,
    payment_notices,
    whole_value,
    years,
)
from commissioning_analytics.scoring.criteria import CriterionKind
from commissioning_analytics.scoring.errors import ScoringError


def with_ocds_relations(queryset: QuerySet[LotAward]) -> QuerySet[LotAward]:
    """Everything the releases read, in a fixed number of queries."""
    parties = ContractParty.objects.select_related("organisation")
    chain = Subcontractor.objects.filter(consent=Subcontractor.Consent.CONFIRMED).select_related(
        "organisation"
    )
    return queryset.select_related(
        "lot__opportunity__exercise__commissioning_body",
        "winning_bid__organisation",
        "winning_bid__consortium",
        "contract__commissioning_body",
        "contract__prime",
        "contract__lot__opportunity",
    ).prefetch_related(
        "lot__opportunity__lots",
        Prefetch("lot__bids", queryset=Bid.objects.select_related("organisation")),
        Prefetch("winning_bid__supply_chain", queryset=chain),
        Prefetch(
            "winning_bid__consortium__members",
            queryset=ConsortiumMember.objects.select_related("organisation"),
        ),
        Prefetch("contract__parties", queryset=parties),
        payment_notices("contract__payment_notices"),
        "contract__kpis",
        "contract__changes",
        "contract__performance_failures",
        "contract__assessments__ratings__kpi",
    )


def published_awards() -> QuerySet[LotAward]:
    """Awarded lots of published opportunities (a decision is public when it is made)."""
    return with_ocds_relations(
        LotAward.objects.filter(
            outcome=LotAward.Outcome.AWARDED,
            winning_bid__isnull=False,
            lot__opportunity__published_at__isnull=False,
        ).exclude(lot__opportunity__status="draft")
    ).order_by("lot__opportunity__reference", "lot__number")


def award_id(award: LotAward) -> str:
    return f"{award.lot.opportunity.reference}-L{award.lot.number}-award"


def _inputs(award: LotAward) -> EvaluationInputs | None:
    """The frozen results, or ``None`` when none were kept (or in an unknown version)."""
    if not award.results:
        return None
    try:
        return EvaluationInputs.from_json(award.results)
    except (ScoringError, KeyError):
        return None


def _criteria(inputs: EvaluationInputs | None) -> tuple[Criterion, ...]:
    """The weighted criteria applied (pass/fail conditions carry no weight and are left out)."""
    if inputs is None:
        return ()
    return tuple(
        Criterion(
            name=c.name,
            type="price" if c.kind is CriterionKind.PRICE else "quality",
            weight_percent=c.weight,
        )
        for c in inputs.criteria.criteria
        if c.kind is not CriterionKind.PASS_FAIL
    )


def _statistics(award: LotAward, inputs: EvaluationInputs | None, lot: str) -> BidStatistics:
    bids = [b for b in award.lot.bids.all() if b.status == Bid.Status.SUBMITTED]
    final_ids = set(inputs.bidders) if inputs is not None else {str(b.pk) for b in bids}
    final = [b.organisation for b in bids if str(b.pk) in final_ids]
    parties = [organisation_party(org, "tenderer", supplier=True) for org in final]
    return BidStatistics(
        bids=len(bids),
        final_stage_bids=len(final),
        sme_final_stage_bids=sum(1 for p in parties if p.scale == "sme"),
        vcse_final_stage_bids=sum(1 for p in parties if p.vcse),
        related_lot=lot or None,
    )


def _annual_price(award: LotAward, inputs: EvaluationInputs | None) -> Decimal | None:
    if inputs is None:
        return None
    winner = str(award.winning_bid_id)
    return next((p.price for p in inputs.prices if p.bid_id == winner), None)


def contract_subcontracts(contract: Contract, description: str) -> tuple[Subcontract, ...]:
    """The contract's sub-contractors with their promised value over its term; ``description``
    for those whose services were not recorded."""
    span = years(contract)
    return tuple(
        Subcontract(
            id=party.party_id,
            subcontractor=organisation_party(party.organisation, "subcontractor", supplier=True),
            description=party.services or description,
            value=(party.promised_value_per_year * span).quantize(Decimal("0.01"))
            if party.promised_value_per_year is not None
            else None,
        )
        for party in contract.parties.all()
        if party.role == ContractParty.Role.SUBCONTRACTOR and party.organisation is not None
    )


def _subcontracts(award: LotAward) -> tuple[Subcontract, ...]:
    """The supply chain: the contract's sub-contractors with their promised value once the
    contract exists, else the winning bid's confirmed sub-contractors (terms stay sealed)."""
    contract = award.contract
    if contract is not None:
        return contract_subcontracts(contract, "Sub-contractor named in the winning bid")
    bid = award.winning_bid
    assert bid is not None
    return tuple(
        Subcontract(
            id=f"subcontractor-{sub.organisation_id}",
            subcontractor=organisation_party(sub.organisation, "subcontractor", supplier=True),
            description="Sub-contractor named in the winning bid",
        )
        for sub in bid.supply_chain.all()
    )


def _lead_details(arrangement: str, role: str, share: Decimal) -> str:
    return f"Lead of the {arrangement} that bid together: {role} ({share}% of the work)"


def _member_details(arrangement: str, lead: str, role: str, share: Decimal) -> str:
    return f"Member of the {arrangement} led by {lead}: {role} ({share}% of the work)"


def bid_suppliers(bid: Bid) -> tuple[Party, ...]:
    """The winning bid's suppliers: its organisation, and for a bid together (PRO-6) the lead
    first and every confirmed member after it, each a tenderer and supplier whose
    ``roleDetails`` says which it is, its role and its share of the work."""
    try:
        consortium = bid.consortium  # loaded with its members by with_ocds_relations
    except Consortium.DoesNotExist:
        consortium = None
    if consortium is None:
        return (organisation_party(bid.organisation, "supplier", supplier=True),)
    arrangement = consortium.get_arrangement_display().lower()
    lead = organisation_party(bid.organisation, "tenderer", supplier=True)
    suppliers = [
        replace(
            lead,
            role_details=_lead_details(arrangement, consortium.lead_role, consortium.lead_share),
        )
    ]
    confirmed = [
        m for m in consortium.members.all() if m.consent == Subcontractor.Consent.CONFIRMED
    ]
    for member in sorted(confirmed, key=lambda m: (m.created_at, m.pk)):
        party = organisation_party(member.organisation, "tenderer", supplier=True)
        details = _member_details(arrangement, bid.organisation.name, member.role, member.share)
        suppliers.append(replace(party, role_details=details))
    return tuple(suppliers)


def contract_suppliers(contract: Contract) -> tuple[Party, ...]:
    """The contract's prime and, where a consortium bid together (PRO-6), its members."""
    prime = organisation_party(contract.prime, "supplier", supplier=True)
    parties = list(contract.parties.all())
    members = [p for p in parties if p.role == ContractParty.Role.CONSORTIUM_MEMBER]
    if not members:
        return (prime,)
    lead = next((p for p in parties if p.role == ContractParty.Role.PRIME), None)
    if lead is not None and lead.share_of_work is not None:
        details = _lead_details("consortium", lead.role_as_bid, lead.share_of_work)
        prime = replace(prime, role_details=details)
    suppliers = [prime]
    for member in members:
        if member.organisation is None or member.share_of_work is None:
            continue
        party = organisation_party(member.organisation, "supplier", supplier=True)
        details = _member_details(
            "consortium", contract.prime.name, member.role_as_bid, member.share_of_work
        )
        suppliers.append(replace(party, role_details=details))
    return tuple(suppliers)


def award_data(award: LotAward, site: str) -> Award:
    """The decided award as the builders' :class:`~commissioning.opendata.ocds.data.Award`."""
    lot = award.lot
    opportunity = lot.opportunity
    bid = award.winning_bid
    if award.outcome != LotAward.Outcome.AWARDED or bid is None:
        raise ValueError(f"{lot} was not awarded, so it has no award notice")
    lots = list(opportunity.lots.all())
    related = lot_id(lot) if is_divided(opportunity, lots) else ""
    inputs = _inputs(award)
    price = _annual_price(award, inputs)
    if price is not None:
        value = (price * Decimal(lot.duration_months) / Decimal(12)).quantize(Decimal("0.01"))
    elif award.contract is not None:
        value = whole_value(award.contract)
    else:
        value = lot_value(lot)
    page = site.rstrip("/") + opportunity.get_absolute_url()
    return Award(
        reference=opportunity.reference,
        id=award_id(award),
        title=f"Lot {lot.number}: {lot.title}",
        buyer=organisation_party(opportunity.exercise.commissioning_body, "buyer"),
        suppliers=bid_suppliers(bid),
        value=value,
        decision_date=award.decided_at,
        standstill=Period(award.decided_at, award.standstill_ends_at)
        if award.standstill_ends_at
        else None,
        notice=Notice(
            published=award.decided_at,
            url=f"{page}#award-lot-{lot.number}",
            description=award.reasons,
        ),
        related_lots=(related,) if related else (),
        statistics=(_statistics(award, inputs, related),),
        subcontracts=_subcontracts(award),
        contract_period=contract_period(award.contract) if award.contract else None,
        criteria=_criteria(inputs),
    )


def award_release(award: LotAward, site: str) -> JsonDict:
    """The UK6 contract award release of a decided, awarded lot."""
    release = build_award(award_data(award, site), prefix=ocid_prefix())
    # Two lots may be decided in the same second: name the lot in the release id.
    ocid = ocid_for(award.lot.opportunity.reference, ocid_prefix())
    release["id"] = release_id(ocid, f"UK6-L{award.lot.number}", award.decided_at.astimezone(UTC))
    return release


def contract_award_data(contract: Contract, site: str) -> Award:
    """The award of a contract made without an award decision on the platform: what was not
    recorded (the decision date, the standstill) is left out."""
    opportunity = contract.lot.opportunity
    lots = list(opportunity.lots.all())
    page = site.rstrip("/") + contract.get_absolute_url()
    return Award(
        reference=opportunity.reference,
        id=f"{contract.reference}-award",
        title=f"Lot {contract.lot.number}: {contract.lot.title}",
        buyer=organisation_party(contract.commissioning_body, "buyer"),
        suppliers=contract_suppliers(contract),
        value=whole_value(contract),
        decision_date=None,
        standstill=None,
        notice=Notice(published=contract.created_at, url=page),
        related_lots=(lot_id(contract.lot),) if is_divided(opportunity, lots) else (),
        subcontracts=contract_subcontracts(contract, "Sub-contractor named in the bid"),
        contract_period=contract_period(contract),
    )
