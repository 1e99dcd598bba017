"""The demo market's evaluated and awarded opportunities (issue 4; EVA-4, EVA-5, PRO-7, PRO-9):
OPP-DEMO-16 fully moderated and awaiting award, 17 awarded and in standstill, 18 awarded with
the contract made from the winning bid's supply chain; all synthetic, replaced idempotently."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.awards import services as awards
from commissioning.awards.models import LotAward, PriceAdjustment
from commissioning.bids import opening
from commissioning.bids.models import Bid, Subcontractor
from commissioning.contracts.describe import describe_mechanism
from commissioning.contracts.models import Contract
from commissioning.contracts.services import parsed
from commissioning.demo.contracts import load_demo_contracts
from commissioning.demo.procurement import PREFIX, delete_demo_procurement, load_demo_procurement
from commissioning.demo.procurement_awards import COUNCIL_USER
from commissioning.demo.services import create_demo_users, load_market
from commissioning.demo.users import demo_organisations
from commissioning.evaluation import services as evaluation
from commissioning.evaluation.models import (
    ConflictDeclaration,
    EvaluatorAssignment,
    EvaluatorScore,
    ModeratedScore,
)
from commissioning.procurement.models import Opportunity
from commissioning_analytics.market.synthetic import generate_market

pytestmark = pytest.mark.django_db

MARKET = (2026, 0.05)


@pytest.fixture
def counts() -> Iterator[dict[str, int]]:
    load_market(generate_market(*MARKET), replace=False)
    load_demo_contracts(seed=2026)
    create_demo_users()
    yield load_demo_procurement(seed=2026)


def _opportunity(number: int) -> Opportunity:
    return Opportunity.objects.get(reference=f"OPP-DEMO-{number}")


def _story() -> dict[str, str]:
    found = Opportunity.objects.filter(reference__startswith=PREFIX)
    return dict(found.values_list("reference", "status"))


def _award_rows() -> dict[str, int]:
    return {
        "awards": LotAward.objects.count(),
        "adjustments": PriceAdjustment.objects.count(),
        "declarations": ConflictDeclaration.objects.count(),
        "scores": EvaluatorScore.objects.count(),
        "moderated": ModeratedScore.objects.count(),
        "contracts": Contract.objects.filter(award__isnull=False).count(),
    }


def test_evaluated_opportunity_is_fully_moderated_and_awaits_award(
    counts: dict[str, int],
) -> None:
    opportunity = _opportunity(16)
    assert opportunity.status == "evaluation"
    lot = opportunity.lots.get()
    submitted = list(Bid.objects.filter(lot=lot, status=Bid.Status.SUBMITTED))
    assert len(submitted) == 3
    # a local authority's in-house service bids; its hidden subsidy is added (EVA-4)
    public = [b for b in submitted if b.organisation.org_type == "public_sector"]
    assert len(public) == 1 and public[0].organisation.public_body_kind == "local_authority"
    assert PriceAdjustment.objects.get(bid=public[0]).hidden_subsidy > 0
    demo = demo_organisations()
    assert {b.organisation for b in submitted if b not in public} == {
        demo["prime"],
        demo["charity2"],
    }
    # a panel of two (EVA-5): no conflicts, every score justified and submitted
    assignments = EvaluatorAssignment.objects.filter(criterion__opportunity=opportunity)
    assert {a.evaluator.username for a in assignments} == {"evaluator", "commissioner-national"}
    assert assignments.count() == 4 and all(a.is_submitted for a in assignments)
    declarations = ConflictDeclaration.objects.filter(opportunity=opportunity)
    assert declarations.count() == 6 and not declarations.filter(has_conflict=True).exists()
    scores = EvaluatorScore.objects.filter(assignment__criterion__opportunity=opportunity)
    assert scores.count() == 12 and all(len(s.justification) >= 20 for s in scores)
    # exactly one (bid, criterion) more than a band apart; every one moderated with a rationale
    report = evaluation.divergence_report(opportunity)
    assert report is not None and len(report.flags) == 1
    assert evaluation.moderation_complete(opportunity)
    moderated = ModeratedScore.objects.filter(criterion__opportunity=opportunity)
    assert moderated.count() == 6 and all(len(m.rationale) >= 20 for m in moderated)
    assert all(m.moderated_at < timezone.now() for m in moderated)
    assert not LotAward.objects.filter(lot=lot).exists()
    assert counts["evaluated_opportunities"] == 1
    # the commissioner's results page ranks the three bids, the prime first (PRO-9)
    results = awards.lot_results(User.objects.get(username="commissioner"), lot)
    assert results.ready and not results.frozen and results.evaluation is not None
    assert len(results.evaluation.ranked) == 3
    assert results.winner is not None and results.winner_name == demo["prime"].name


def test_award_in_standstill(counts: dict[str, int]) -> None:
    award = LotAward.objects.get(lot__opportunity__reference="OPP-DEMO-17")
    assert award.lot.opportunity.status == "awarded"
    assert award.outcome == "awarded" and award.results and len(award.reasons) >= 30
    assert award.standstill_ends_at is not None
    assert award.decided_at < timezone.now() < award.standstill_ends_at
    assert award.contract is None
    assert award.winning_bid is not None
    assert award.winning_bid.organisation == demo_organisations()["prime"]
    assert counts["awarded_opportunities"] == 2


def test_contract_parties_are_the_winning_bids_supply_chain(counts: dict[str, int]) -> None:
    award = LotAward.objects.select_related("contract", "winning_bid").get(
        lot__opportunity__reference="OPP-DEMO-18"
    )
    assert award.lot.opportunity.status == "awarded"
    assert award.standstill_ends_at is not None and award.standstill_ends_at < timezone.now()
    contract, bid = award.contract, award.winning_bid
    assert contract is not None and bid is not None and counts["award_contracts"] == 1
    assert contract.is_synthetic and contract.lot == award.lot
    assert contract.prime == bid.organisation
    assert contract.start_date >= award.standstill_ends_at.date()
    commissioner = User.objects.get(username="commissioner")
    opened = opening.opened_bid(commissioner, bid)
    promised = {
        (sub.organisation_id, terms.services, terms.referrals_per_year, terms.value_per_year)
        for sub, terms in opened.supply_chain
        if sub.consent == Subcontractor.Consent.CONFIRMED
    }
    parties = {
        (p.organisation_id, p.services, p.promised_referrals_per_year, p.promised_value_per_year)
        for p in contract.parties.filter(role="subcontractor")
    }
    assert parties == promised and len(parties) == 1
    # the demo provider's charity is in the chain, so the demo provider sees the contract
    ((charity_id, *_),) = parties
    assert charity_id == demo_organisations()["charity"].pk
    assert contract.parties.get(role="commissioner").organisation == (contract.commissioning_body)
    # the lot was tendered on "a fixed fee with 10% paid on outcomes achieved": so is the
    # contract (issue 11 item 5, PBR-1)
    assert award.lot.payment_model_summary == "A fixed fee with 10% paid on outcomes achieved."
    assert contract.mechanism["service_fee"]["at_risk"] == {
        "share": "0.1",
        "mode": "withheld",
        "measure": "settled-accommodation-within-12-weeks-of-release",
        "target": "60",
    }
    sections = describe_mechanism(parsed(contract).mechanism)
    fee = next(s for s in sections if s["title"] == "Service fee")
    assert "None of the service fee is at risk." not in fee["items"]
    assert fee["items"][1].startswith("10% of each instalment is withheld")


def test_every_record_is_synthetic_and_the_statuses_cover_the_flow(
    counts: dict[str, int],
) -> None:
    story = _story()
    assert set(story.values()) == {
        "draft", "open", "closed", "evaluation", "awarded", "cancelled",
    }  # fmt: skip
    assert counts["opportunities"] == len(story) == 8
    opportunities = Opportunity.objects.filter(reference__startswith=PREFIX)
    assert all(o.is_synthetic and o.title.endswith("(synthetic)") for o in opportunities)
    bids = Bid.objects.filter(lot__opportunity__in=opportunities).select_related("organisation")
    assert all(b.organisation.is_synthetic for b in bids)
    contracts = Contract.objects.filter(lot__opportunity__in=opportunities)
    assert contracts.count() == 1
    assert all(c.is_synthetic for c in contracts)
    assert all(p.organisation is None or p.organisation.is_synthetic for c in contracts
               for p in c.parties.all())  # fmt: skip
    council = User.objects.get(username=COUNCIL_USER)
    assert council.email.endswith("@demo.example") and not council.has_usable_password()
    assert all(m.organisation.is_synthetic for m in council.memberships.all())


def test_loading_again_is_idempotent(counts: dict[str, int]) -> None:
    before, rows = _story(), _award_rows()
    again = load_demo_procurement(seed=2026)  # its time is checked in test_demo_procurement
    assert again == counts
    assert _story() == before and _award_rows() == rows
    delete_demo_procurement()
    assert not Opportunity.objects.filter(reference__startswith=PREFIX).exists()
    assert not any(_award_rows().values())


def test_replacing_the_market_deletes_awards_and_their_contracts(counts: dict[str, int]) -> None:
    """delete_synthetic removes contracts and awards before the bids and lots they protect."""
    assert all(_award_rows().values())
    report = load_market(generate_market(*MARKET), replace=True)
    assert report.loaded
    assert not any(_award_rows().values())
    assert not Opportunity.objects.filter(is_synthetic=True, lots__award__isnull=False).exists()
    assert report.deleted.get("awards.LotAward") == 2
    assert report.deleted.get("awards.PriceAdjustment") == 3
