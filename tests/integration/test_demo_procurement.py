"""The demo market's opportunities at every status (issue 3; PRO-1 … PRO-9, EVA-1, EVA-5):
each complete with lots and criteria, published questions and answers with one overdue,
interest in three roles, sealed bids (ciphertext only), and idempotent replacement."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from commissioning.bids.models import Bid, BidKey
from commissioning.clarifications.models import Question
from commissioning.clarifications.timing import is_overdue
from commissioning.demo.contracts import load_demo_contracts
from commissioning.demo.procurement import (
    PREFIX,
    delete_demo_procurement,
    load_demo_procurement,
)
from commissioning.demo.services import create_demo_users, load_market
from commissioning.demo.users import DemoUsersError, demo_organisations
from commissioning.evaluation.models import EvaluatorAssignment
from commissioning.procurement.models import Interest, Opportunity
from commissioning.procurement.services import is_open_for_bids, publish_problems
from commissioning_analytics.market.synthetic import generate_market

pytestmark = pytest.mark.django_db

STATUSES = {"draft", "open", "closed", "evaluation", "cancelled"}
STORY = [f"OPP-DEMO-{n}" for n in range(11, 16)]  # 16 … 18: test_demo_awards (issue 4)


@pytest.fixture
def market() -> None:
    load_market(generate_market(2026, 0.05), replace=False)
    load_demo_contracts(seed=2026)
    create_demo_users()


@pytest.fixture
def counts(market: None) -> Iterator[dict[str, int]]:
    yield load_demo_procurement(seed=2026)


def _mine() -> dict[str, Opportunity]:
    found = Opportunity.objects.filter(reference__in=STORY)
    return {o.status: o for o in found}


def test_one_opportunity_at_each_status_on_the_demo_body(counts: dict[str, int]) -> None:
    mine = _mine()
    assert set(mine) == STATUSES and counts["opportunities"] == 8
    pcc = demo_organisations()["pcc"]
    for opportunity in mine.values():
        assert opportunity.is_synthetic and opportunity.title.endswith("(synthetic)")
        assert opportunity.exercise.commissioning_body == pcc
        assert opportunity.lots.exists() and opportunity.spec_sections.exists()
        assert all(lot.areas.exists() for lot in opportunity.lots.all())
        kinds = {c.kind: c.weight for c in opportunity.criteria.all()}
        assert sum(kinds.values()) == 100 and kinds["social_value"] >= 10
    # the demo contracts' awarded opportunities are untouched
    assert Opportunity.objects.filter(reference__startswith="OPP-DEMO-0", status="awarded").count()


def test_the_draft_can_be_published_today_and_the_others_were(counts: dict[str, int]) -> None:
    mine = _mine()
    assert publish_problems(mine["draft"]) == []
    assert mine["draft"].published_at is None
    for status in STATUSES - {"draft"}:
        assert mine[status].published_at is not None
    cancelled = mine["cancelled"]
    assert cancelled.cancellation_code == "budget_withdrawn" and cancelled.cancellation_reason


def test_open_opportunity_has_qa_interest_and_a_draft_bid(counts: dict[str, int]) -> None:
    opportunity = _mine()["open"]
    now = timezone.now()
    assert is_open_for_bids(opportunity)
    assert opportunity.bid_deadline is not None
    assert timedelta(weeks=5) < opportunity.bid_deadline - now < timedelta(weeks=7)
    questions = list(opportunity.questions.order_by("number"))
    answered = [q for q in questions if q.status == Question.Status.ANSWERED]
    waiting = [q for q in questions if q.status == Question.Status.AWAITING]
    assert len(answered) == 2 and all(q.is_published and q.answer for q in answered)
    assert any(q.text_edited for q in answered)  # one published in anonymised wording
    assert len(waiting) == 1 and is_overdue(waiting[0].due_on, now)
    assert not opportunity.date_changes.exists()  # answers were on time: deadline stands
    interests = Interest.objects.filter(lot__opportunity=opportunity)
    assert {i.role for i in interests} == {"prime", "subcontractor", "consortium_member"}
    assert interests.get(role="consortium_member").is_private
    demo = demo_organisations()
    bid = Bid.objects.get(lot__opportunity=opportunity)
    assert bid.status == Bid.Status.DRAFT and bid.organisation == demo["charity"]


def test_closed_and_evaluation_have_two_sealed_submitted_bids(counts: dict[str, int]) -> None:
    mine = _mine()
    bids = Bid.objects.filter(lot__opportunity__reference__in=STORY)
    assert bids.filter(status="submitted").count() == 4 and bids.count() == 5
    for status in ("closed", "evaluation"):
        opportunity = mine[status]
        assert opportunity.bid_deadline is not None
        assert opportunity.bid_deadline < timezone.now()
        submitted = Bid.objects.filter(lot__opportunity=opportunity, status="submitted")
        assert submitted.count() == 2
        for bid in submitted:
            sealed = bytes(bid.sealed_content)
            assert sealed[:1] == b"\x01" and len(sealed) > 60
            assert b"price" not in sealed and b"Caseworkers" not in sealed
            receipt = bid.receipts.get()
            assert bid.submitted_at is not None and bid.submitted_at < opportunity.bid_deadline
            assert len(receipt.digest) == 64
    assert BidKey.objects.get(opportunity=mine["closed"]).opened_at is None
    assert BidKey.objects.get(opportunity=mine["evaluation"]).opened_at is not None
    prime_bid = Bid.objects.get(lot__opportunity=mine["closed"], organisation__is_prime=True)
    assert prime_bid.supply_chain.get().consent == "confirmed"
    assignments = EvaluatorAssignment.objects.filter(criterion__opportunity=mine["evaluation"])
    assert assignments.count() == 2
    assert {a.evaluator.username for a in assignments} == {"evaluator"}


def test_loading_again_replaces_them(counts: dict[str, int]) -> None:
    before = {o.reference: o.status for o in _mine().values()}
    again = load_demo_procurement(seed=2026)
    assert again == counts
    assert {o.reference: o.status for o in _mine().values()} == before
    assert Opportunity.objects.filter(reference__startswith=PREFIX).count() == 8
    delete_demo_procurement()
    assert not Opportunity.objects.filter(reference__startswith=PREFIX).exists()
    assert not Bid.objects.exists()
    # with the demo bids gone, the synthetic contracts (and their opportunities) can be replaced
    load_demo_contracts(seed=2026)


def test_needs_the_demo_users() -> None:
    load_market(generate_market(2026, 0.05), replace=False)
    with pytest.raises(DemoUsersError):
        load_demo_procurement()


def test_every_demo_lot_is_tendered_with_a_built_mechanism_bidders_can_read(
    counts: dict[str, int],
) -> None:
    """Issue 15 (PBR-1): the demo's lots carry a mechanism from the same builder, over the lot's
    36 months, and bidders read it with its statement on the open opportunity's page."""
    from django.test import Client

    from commissioning_analytics.payments import parse_mechanism

    lots = [lot for o in _mine().values() for lot in o.lots.all()]
    assert lots
    for lot in lots:
        mechanism = parse_mechanism(lot.tendered_mechanism)
        assert mechanism.term_periods * 3 == lot.duration_months == 36
        assert lot.tendered_mechanism["service_fee"]["annual_value"] == "450000.00"
        assert lot.tendered_mechanism["service_fee"]["at_risk"]["share"] == "0.1"
    page = Client().get(_mine()["open"].get_absolute_url()).content.decode()
    assert "Payment mechanism as tendered" in page
    assert "The funders pay" in page
