"""Feedback to every bidder (PRO-9, EVA-5): the page shows each bidder its scores, points, ranks
and moderated reasons per criterion against the winner's, from the decided results; only the
bidder's approved members and the body's commissioners may read it.

The decided lot (built by hand, no award service): price 30% (relative to the lowest), quality
50% with a declared minimum of 25, social value 20%. By hand:

================  =========================  ==  ==  =======  ======  =====  ==============
bidder            adjusted price             Q   SV  quality  price   total  result
================  =========================  ==  ==  =======  ======  =====  ==============
Alpha (charity)   250,000                    75  50  47.50    30.00   77.50  1st, winner
Beta (charity)    300,000                    50  75  40.00    25.00   65.00  3rd
Gamma (public)    260,000 + 20,000 = 280,000 75  25  42.50    26.79   69.29  2nd
Delta (charity)   200,000 (not priced)        0 100  20.00    –       –      disqualified
================  =========================  ==  ==  =======  ======  =====  ==============

(quality = 50 × Q/100 + 20 × SV/100; price = 30 × 250,000 ÷ adjusted price, among the three
qualifying bids only). Quality ranks: Alpha and Gamma joint 1st of 4, Beta 3rd, Delta 4th;
social value: Delta 1st, Beta 2nd, Alpha 3rd, Gamma 4th.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import Membership, User
from commissioning.audit.permanence import replacing_synthetic_demo
from commissioning.awards.feedback import FeedbackNotReady, feedback_for
from commissioning.awards.models import LotAward
from commissioning.awards.results import EvaluationInputs, core_criteria
from commissioning.bids.models import Bid
from commissioning.directory.models import Organisation
from commissioning.procurement.models import Lot, Opportunity
from commissioning_analytics.scoring.price import BidPrice, PriceMethod
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, member_of
from tests.procurement_factories import commissioner_of, open_opportunity

pytestmark = pytest.mark.django_db

NAMES = ("Alpha Resettlement Trust", "Beta Housing CIC", "Gamma Probation Unit", "Delta Aid")
SCORES = ((75, 50), (50, 75), (75, 25), (0, 100))
PRICES = ("250000", "300000", "260000", "200000")
AWARD_REASONS = "Alpha's bid ranked first on the published criteria; the panel agreed the totals."
BETA_QUALITY = "A clear “move-on” plan – but caseloads were not evidenced…"
DECIDED = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


@dataclass
class Decided:
    opportunity: Opportunity
    lot: Lot
    bids: list[Bid]
    organisations: list[Organisation]
    members: list[User]
    commissioner: User
    award: LotAward


def _rationale(i: int, kind: str) -> str:
    if (i, kind) == (1, "quality"):
        return BETA_QUALITY
    return f"{NAMES[i]} on {kind}: agreed at moderation."


def decided_lot(*, synthetic: bool = False) -> Decided:
    """Lot 1 of an opportunity, decided for Alpha with the numbers in the module doc."""
    opportunity = open_opportunity()
    if synthetic:
        opportunity.is_synthetic = True
        opportunity.save(update_fields=["is_synthetic"])
    opportunity.criteria.filter(kind="quality").update(minimum=25)
    lot = opportunity.lots.order_by("number").first()
    assert lot is not None
    organisations = [
        OrganisationFactory(name=NAMES[0]),
        OrganisationFactory(name=NAMES[1]),
        OrganisationFactory(
            name=NAMES[2],
            org_type=Organisation.OrgType.PUBLIC_SECTOR,
            public_body_kind=Organisation.PublicBodyKind.PRISON_PROBATION,
        ),
        OrganisationFactory(name=NAMES[3]),
    ]
    bids = [
        Bid.objects.create(
            lot=lot, organisation=org, status=Bid.Status.SUBMITTED, submitted_at=DECIDED
        )
        for org in organisations
    ]
    criteria = core_criteria(opportunity)
    quality = str(opportunity.criteria.get(kind="quality").pk)
    social = str(opportunity.criteria.get(kind="social_value").pk)
    inputs = EvaluationInputs(
        criteria=criteria,
        scores={
            str(bid.pk): {quality: float(q), social: float(s)}
            for bid, (q, s) in zip(bids, SCORES, strict=True)
        },
        prices=tuple(
            BidPrice(
                str(bid.pk),
                Decimal(price),
                is_public_sector=i == 2,
                hidden_subsidy=Decimal("20000") if i == 2 else Decimal(0),
            )
            for i, (bid, price) in enumerate(zip(bids, PRICES, strict=True))
        ),
        method=PriceMethod.RELATIVE_TO_LOWEST,
        estimate=None,
        rationales={
            str(bid.pk): {quality: _rationale(i, "quality"), social: _rationale(i, "social value")}
            for i, bid in enumerate(bids)
        },
        bidders={str(bid.pk): bid.organisation.name for bid in bids},
    )
    commissioner = commissioner_of(opportunity)
    award = LotAward.objects.create(
        lot=lot,
        outcome=LotAward.Outcome.AWARDED,
        winning_bid=bids[0],
        reasons=AWARD_REASONS,
        results=inputs.to_json(),
        decided_by=commissioner,
        decided_at=DECIDED,
    )
    return Decided(
        opportunity,
        lot,
        bids,
        organisations,
        [member_of(org) for org in organisations],
        commissioner,
        award,
    )


@pytest.fixture
def decided() -> Decided:
    return decided_lot()


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _page(user: User | None, bid: Bid) -> str:
    response = _client(user).get(reverse("feedback:bid", args=[bid.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_losing_bidder_sees_its_numbers_against_the_winners(decided: Decided) -> None:
    beta = decided.bids[1]
    fb = feedback_for(decided.members[1], beta)
    assert fb.outcome_title == "Your bid was not successful"
    assert fb.outcome_lines[0] == (
        "Your bid ranked 3rd of 3 qualifying bids with 65.00 points out of 100. The winning bid, "
        "from Alpha Resettlement Trust, scored 77.50 points."
    )
    assert fb.pdf_filename == (
        f"feedback-{decided.opportunity.reference}-lot-{decided.lot.number}.pdf"
    )
    price, quality, social = fb.rows
    assert (price.name, price.weight, price.own_points, price.winner_points) == (
        "Price",
        "30%",
        "25.00",
        "30.00",
    )
    assert price.own_score == "Adjusted price £300,000.00"
    assert price.rank == "3rd of 3"
    assert price.own_reason == ""  # no recorded reason: the price line says it
    assert (quality.own_score, quality.own_points, quality.rank) == (
        "50 (Acceptable)",
        "25.00",
        "3rd of 4",
    )
    assert (quality.winner_score, quality.winner_points) == ("75 (Good)", "37.50")
    assert quality.own_reason == BETA_QUALITY
    assert quality.winner_reason == "Alpha Resettlement Trust on quality: agreed at moderation."
    assert (social.own_points, social.rank, social.winner_points) == ("15.00", "2nd of 4", "10.00")

    page = _page(decided.members[1], beta)
    for text in (
        "Your bid was not successful",
        "65.00 points out of 100",
        "Alpha Resettlement Trust, 77.50 points out of 100",
        AWARD_REASONS.replace("'", "&#x27;"),
        "Adjusted price £300,000.00",
        "37.50",
        "Winning bid",
        "Not disclosed",
        reverse("feedback:bid-pdf", args=[beta.pk]),
    ):
        assert text in page, text
    # Only the bidder's own price is shown: not the winner's, not the others'.
    assert "250,000" not in page
    assert "280,000" not in page
    assert 'govuk-tag--orange">Synthetic</strong>' not in page  # the site banner may show


def test_winner_sees_no_winning_bid_columns(decided: Decided) -> None:
    fb = feedback_for(decided.members[0], decided.bids[0])
    assert fb.outcome_title == "Your bid was successful"
    assert fb.outcome_lines[0] == (
        "Your bid ranked 1st of 3 qualifying bids with 77.50 points out of 100, and was awarded "
        "the contract."
    )
    assert not fb.show_winner
    quality = fb.rows[1]
    assert (quality.own_points, quality.rank, quality.winner_score) == (
        "37.50",
        "Joint 1st of 4",
        "",
    )
    page = _page(decided.members[0], decided.bids[0])
    assert "Winning bid" not in page
    assert "Adjusted price £250,000.00" in page
    assert "Joint 1st of 4" in page


def test_public_sector_bidder_sees_its_level_playing_field_adjustment(decided: Decided) -> None:
    """EVA-4: the hidden subsidy is added to the declared price before scoring."""
    fb = feedback_for(decided.members[2], decided.bids[2])
    assert fb.feedback.total == Decimal("69.29")
    assert fb.rows[0].own_score == (
        "Adjusted price £280,000.00 (declared £260,000.00 plus hidden subsidy £20,000.00, "
        "added for a level playing field)"
    )
    assert fb.rows[0].own_points == "26.79"
    assert fb.outcome_lines[0].startswith("Your bid ranked 2nd of 3 qualifying bids with 69.29")


def test_disqualified_bidder_is_told_why(decided: Decided) -> None:
    fb = feedback_for(decided.members[3], decided.bids[3])
    assert fb.outcome_title == "Your bid was disqualified"
    assert "below the minimum of 25 (Poor)" in fb.outcome_lines[0]
    assert fb.outcome_lines[1] == "4 bids were evaluated; 3 qualified."
    assert fb.rows[0].own_score == "Not priced"
    assert fb.rows[2].rank == "1st of 4"  # best on social value, but disqualified on quality
    page = _page(decided.members[3], decided.bids[3])
    assert "No total (disqualified)" in page
    assert "200,000" not in page


def test_no_award_lot_says_no_bid_qualified(decided: Decided) -> None:
    lot2 = decided.opportunity.lots.exclude(pk=decided.lot.pk).get()
    bid = Bid.objects.create(lot=lot2, organisation=decided.organisations[0], status="submitted")
    results = dict(decided.award.results)
    bid_id = str(bid.pk)
    first = str(decided.bids[3].pk)  # Delta's disqualifying scores, for this bid
    results["scores"] = {bid_id: results["scores"][first]}
    results["rationales"] = {bid_id: results["rationales"][first]}
    results["prices"] = [{**results["prices"][3], "bid_id": bid_id}]
    results["bidders"] = {bid_id: NAMES[0]}
    LotAward.objects.create(
        lot=lot2,
        outcome=LotAward.Outcome.NO_AWARD,
        reasons="No bid met the declared minimum on quality.",
        results=results,
        decided_at=DECIDED,
    )
    fb = feedback_for(decided.members[0], bid)
    assert fb.winner_name is None and not fb.show_winner
    assert fb.outcome_lines[-1] == "No bid qualified, so the lot was not awarded."
    assert "Not awarded: no bid qualified" in _page(decided.members[0], bid)


def test_permissions(decided: Decided) -> None:
    """Bidders see only their own feedback; the body's commissioners see every bidder's."""
    beta = decided.bids[1]
    url = reverse("feedback:bid", args=[beta.pk])
    pdf = reverse("feedback:bid-pdf", args=[beta.pk])
    pending = UserFactory()
    MembershipFactory(
        user=pending, organisation=decided.organisations[1], status=Membership.Status.PENDING
    )
    refused: list[User] = [
        decided.members[0],  # the winner
        decided.members[2],  # another bidder
        pending,  # not yet approved by Beta
        UserFactory(role=User.Role.EVALUATOR),  # an evaluator not on the body
        commissioner_of(open_opportunity()),  # another body's commissioner
        UserFactory(role=User.Role.ADMIN),  # sealed prices stay sealed
    ]
    for user in refused:
        client = _client(user)
        assert client.get(url).status_code == 403, user
        assert client.get(pdf).status_code == 403, user
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:sign-in"))
    assert Client().get(pdf).status_code == 302
    assert "Beta Housing CIC" in _page(decided.commissioner, beta)
    assert "Beta Housing CIC" in _page(decided.members[1], beta)
    assert (
        _client(decided.members[1]).get(reverse("feedback:bid", args=[999999])).status_code == 404
    )


def test_not_decided_yet() -> None:
    # Award decisions are never deleted (issue 11 item 3); only the demo loader may remove a
    # synthetic one, which is the one way to get a decided lot back to "not decided yet".
    decided = decided_lot(synthetic=True)
    with replacing_synthetic_demo():
        decided.award.delete()
    beta = decided.bids[1]
    with pytest.raises(FeedbackNotReady, match="not been decided yet"):
        feedback_for(decided.members[1], beta)
    for name in ("feedback:bid", "feedback:bid-pdf"):
        response = _client(decided.members[1]).get(reverse(name, args=[beta.pk]))
        assert response.status_code == 404
        assert "has not been decided yet" in response.content.decode()
    # Permission is checked first: an outsider learns nothing about the decision.
    assert (
        _client(decided.members[0]).get(reverse("feedback:bid", args=[beta.pk])).status_code == 403
    )


def test_synthetic_opportunity_is_tagged() -> None:
    decided = decided_lot(synthetic=True)
    page = _page(decided.members[1], decided.bids[1])
    assert '<strong class="govuk-tag govuk-tag--orange">Synthetic</strong>' in page


def test_my_feedback_lists_only_my_organisations_decided_bids(decided: Decided) -> None:
    page = _page_at(decided.members[1], reverse("feedback:mine"))
    assert reverse("feedback:bid", args=[decided.bids[1].pk]) in page
    assert reverse("feedback:bid", args=[decided.bids[0].pk]) not in page
    assert "Not successful" in page
    assert "There is no feedback yet" in _page_at(UserFactory(), reverse("feedback:mine"))
    assert Client().get(reverse("feedback:mine")).status_code == 302


def _page_at(user: User, url: str) -> str:
    response = _client(user).get(url)
    assert response.status_code == 200
    return response.content.decode()
