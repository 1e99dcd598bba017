"""The whole award journey in the browser (issue 4; EVA-4, EVA-5, PRO-9): two evaluators declare
their interests and score alone (neither sees the other's scores before submitting), divergence
shows, the commissioner records agreed scores, reads the ranking and decides the award, each
bidder reads its own feedback (and is refused the other's), and after the standstill the
commissioner creates the contract with the winning bid's supply chain. axe-core after every
navigation.

Scores and prices, chosen so the totals can be checked by hand (price 30%, quality 50%, social
value 20%; price points = 30 × lowest price ÷ price):

=========================  =======  ======================  ======================  ======  =====
bidder                     price    quality A / B / agreed  social A / B / agreed   points  total
=========================  =======  ======================  ======================  ======  =====
Northshire Resettlement    250,000  75 / 25 / 75            50 / 50 / 50            47.50   77.50
Women Onward CIC           300,000  50 / 50 / 50            75 / 50 / 75            40.00   65.00
=========================  =======  ======================  ======================  ======  =====

Northshire's price points are 30.00 and Women Onward's 25.00. Only Northshire on quality is
more than one band apart (75 against 25: two bands).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from commissioning.accounts.models import User
from commissioning.bids import opening
from commissioning.bids.models import Bid
from commissioning.contracts.models import Contract
from commissioning.directory.models import Organisation
from commissioning.evaluation import services as evaluation
from commissioning.procurement import services as procurement
from commissioning.procurement.lifecycle import Status
from commissioning.procurement.models import Criterion, Opportunity
from tests.e2e.helpers import sign_in, sign_out
from tests.factories import OrganisationFactory, UserFactory, member_of
from tests.integration.awards_setup import SUBCONTRACT_TERMS, submit_bid
from tests.procurement_factories import commissioner_of, open_opportunity

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WHY = "The answer is evidenced against the published scale descriptors."
PRICES = ("250000", "300000")
NAMES = ("Northshire Resettlement Trust", "Women Onward CIC")
LABELS = {25: "25 – Poor", 50: "50 – Acceptable", 75: "75 – Good"}
# (quality, social value) per bidder, per evaluator
SCORES_A = ((75, 50), (50, 75))
SCORES_B = ((25, 50), (50, 50))
AGREED = ((75, 50), (50, 75))
REASONS = (
    "Northshire Resettlement Trust is the most advantageous bid: the highest quality points "
    "and the lowest price, with a women-led accommodation partner."
)


@dataclass
class Journey:
    opportunity: Opportunity
    commissioner: User
    evaluators: list[User]
    bidders: list[Organisation]
    bidder_users: list[User]
    bids: list[Bid]
    subcontractor: Organisation

    def criterion(self, kind: str) -> Criterion:
        return self.opportunity.criteria.get(kind=kind)


def _arrange() -> Journey:
    """Two charities' bids submitted (the first with a confirmed sub-contractor) and opened, the
    opportunity in evaluation, two evaluators assigned to quality and social value."""
    opportunity = open_opportunity(published_at=datetime.now(tz=UTC) - timedelta(days=200))
    commissioner = commissioner_of(opportunity)
    lot = opportunity.lots.order_by("number").first()
    assert lot is not None and opportunity.bid_deadline is not None
    bidders = [OrganisationFactory(name=name) for name in NAMES]
    users = [member_of(org) for org in bidders]
    sub_org = OrganisationFactory(name="Safe Homes for Women", women_led=True)
    sub_user = member_of(sub_org)
    with time_machine.travel(opportunity.bid_deadline - timedelta(days=1), tick=False):
        bids = [
            submit_bid(lot, org, user, price, (sub_org, sub_user) if i == 0 else None)
            for i, (org, user, price) in enumerate(zip(bidders, users, PRICES, strict=True))
        ]
    procurement.transition(commissioner, opportunity, Status.CLOSED)
    opening.open_bids(commissioner, opportunity)
    procurement.transition(commissioner, opportunity, Status.EVALUATION)
    evaluators = [
        UserFactory(role=User.Role.EVALUATOR, email=f"panel-{x}@example.org") for x in "ab"
    ]
    journey = Journey(opportunity, commissioner, evaluators, bidders, users, bids, sub_org)
    for kind in ("quality", "social_value"):
        for evaluator in evaluators:
            evaluation.assign_evaluator(commissioner, journey.criterion(kind), evaluator)
    return journey


def _score_alone(
    page: Page,
    base: str,
    j: Journey,
    evaluator: User,
    scores: Any,
    other: User,
    other_submitted: bool,
    axe: Any,
) -> None:
    """Declare no conflict, score every bid on both criteria, and submit. Before submitting the
    page shows nothing of the other evaluator's scores; after, it shows them once submitted."""
    sign_in(page, base, evaluator.username, axe)
    axe(page)
    page.goto(f"{base}/evaluation/{j.opportunity.reference}/")
    axe(page)
    page.get_by_role("link", name="Declare interests").click()
    axe(page)
    for org in j.bidders:
        page.locator(f'input[name="org-{org.pk}"][value="no"]').check()
    page.get_by_role("button", name="Save declarations").click()
    axe(page)
    for index, criterion in enumerate(("Quality", "Social value")):
        page.get_by_role("link", name=criterion, exact=True).click()
        axe(page)
        for org, values in zip(j.bidders, scores, strict=True):
            page.get_by_role("link", name=f"Score {org.name}").click()
            axe(page)
            page.get_by_label(LABELS[values[index]]).check()
            page.get_by_label("Justification").fill(WHY)
            page.get_by_role("button", name="Save draft score").click()
            axe(page)
        main = page.get_by_role("main")
        # Scoring alone: nothing of the other evaluator is on the page before submitting.
        expect(main).not_to_contain_text(other.email)
        expect(main).not_to_contain_text("Other evaluators' scores")
        page.get_by_role("button", name="Submit scores").click()
        axe(page)
        expect(page.get_by_text("Your scores are locked.")).to_be_visible()
        expect(main.get_by_role("heading", name="Other evaluators' scores")).to_be_visible()
        if other_submitted:
            expect(main).to_contain_text(f"{other.email} – {j.bidders[0].name}")
        else:
            expect(main).to_contain_text("No other scores yet.")
        page.goto(f"{base}/evaluation/{j.opportunity.reference}/")
        axe(page)
    sign_out(page, base, axe)
    axe(page)


def _moderate(page: Page, j: Journey, axe: Any) -> None:
    expect(page.get_by_text("1 of 4 bid and criterion pairs")).to_be_visible()
    expect(page.get_by_text("2 bands apart")).to_have_count(1)
    for org, agreed in zip(j.bidders, AGREED, strict=True):
        for criterion, value in zip(("Quality", "Social value"), agreed, strict=True):
            page.get_by_role("link", name=f"Moderate {org.name} on {criterion}").click()
            axe(page)
            page.get_by_label(LABELS[value]).check()
            page.get_by_label("Rationale for the agreed score").fill(
                f"Agreed {value} at the moderation meeting against the scale descriptors."
            )
            page.get_by_role("button", name="Record agreed score").click()
            axe(page)
            expect(page.get_by_text(f"Agreed score recorded for {org.name}")).to_be_visible()


def _ranking_rows(page: Page) -> list[list[str]]:
    table = page.get_by_role("table", name="Totals and ranking")
    rows = table.locator("tbody tr")
    return [
        [cell.strip() for cell in rows.nth(i).locator("th, td").all_inner_texts()][:5]
        for i in range(rows.count())
    ]


def _read_feedback(page: Page, base: str, j: Journey, index: int, axe: Any) -> None:
    own, other = j.bids[index], j.bids[1 - index]
    sign_in(page, base, j.bidder_users[index].username, axe)
    axe(page)
    page.goto(f"{base}/feedback/bids/{own.pk}/")
    axe(page)
    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Feedback on the bid from {j.bidders[index].name}"
    )
    expect(main).to_contain_text(("77.50", "65.00")[index] + " points out of 100")
    expect(main).to_contain_text(f"{NAMES[0]}, 77.50 points out of 100")
    expect(main).to_contain_text(REASONS)
    response = page.goto(f"{base}/feedback/bids/{other.pk}/")
    axe(page)
    assert response is not None and response.status == 403
    sign_out(page, base, axe)
    axe(page)


def test_award_journey_from_independent_scoring_to_the_contract(
    page: Page, live_server: Any, axe: Any
) -> None:
    j = _arrange()
    base = live_server.url
    ref = j.opportunity.reference
    a, b = j.evaluators

    # Evaluator B scores first, so A's pages would show B's scores if scoring were not alone.
    _score_alone(page, base, j, b, SCORES_B, a, False, axe)
    _score_alone(page, base, j, a, SCORES_A, b, True, axe)

    sign_in(page, base, j.commissioner.username, axe)
    axe(page)
    page.goto(f"{base}/evaluation/{ref}/")
    axe(page)
    page.get_by_role("link", name="See divergence and moderate").click()
    axe(page)
    _moderate(page, j, axe)

    page.goto(f"{base}/evaluation/{ref}/")
    axe(page)
    expect(page.get_by_text("Moderation complete")).to_be_visible()
    page.get_by_role("link", name="See the results and decide the award").click()
    axe(page)
    lot = j.bids[0].lot  # factories number lots by sequence, not from 1
    page.get_by_role("link", name=f"Lot {lot.number}: {lot.title}", exact=True).click()
    axe(page)
    assert _ranking_rows(page) == [
        ["1", NAMES[0], "47.50", "30.00", "77.50"],
        ["2", NAMES[1], "40.00", "25.00", "65.00"],
    ]
    page.get_by_label("Reasons for the decision").fill(REASONS)
    page.get_by_role("button", name="Record the award decision").click()
    axe(page)
    expect(page.get_by_text("Award decided")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(f"Awarded to {NAMES[0]}")
    expect(page.get_by_text("You can create the contract once the standstill")).to_be_visible()
    sign_out(page, base, axe)
    axe(page)

    for index in range(2):
        _read_feedback(page, base, j, index, axe)

    # 8 working days from the decision day have passed well within 20 calendar days.
    after = datetime.now(tz=UTC) + timedelta(days=20)
    with time_machine.travel(after, tick=True):
        sign_in(page, base, j.commissioner.username, axe)
        axe(page)
        page.goto(f"{base}/awards/{ref}/lots/{lot.number}/")
        axe(page)
        start = (after + timedelta(days=14)).date()
        page.get_by_label("Day").fill(str(start.day))
        page.get_by_label("Month").fill(str(start.month))
        page.get_by_label("Year").fill(str(start.year))
        # the lot was tendered with 10% of the fee on outcomes: the contract keeps it (item 5)
        page.get_by_label("Outcome target").fill("60")
        page.get_by_role("button", name="Create the contract").click()
        axe(page)

    contract = Contract.objects.get()
    assert page.url.endswith(f"/contracts/{contract.reference}/")
    expect(page.get_by_text(f"Contract {contract.reference} created")).to_be_visible()
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Parties and the supply chain as bid")).to_be_visible()
    expect(main.get_by_role("heading", name=j.subcontractor.name)).to_be_visible()
    for text in (
        SUBCONTRACT_TERMS.role,
        SUBCONTRACT_TERMS.services,
        str(SUBCONTRACT_TERMS.referrals_per_year),
        "60,000",
    ):
        expect(main).to_contain_text(text)
    assert contract.start_date == start
