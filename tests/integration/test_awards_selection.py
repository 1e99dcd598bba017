"""Selection results reach the award (EVA-6, PRO-9): a bid recorded as failing a selection
question is excluded from the ranking with the commissioner's reason, on the results page, the
award decision, and in the bidder's feedback page and PDF; the award goes to the best bid that
passed, and selection cannot change once the award is decided.

Numbers (``awards_setup``: price 30%, quality 50%, social value 20%, relative to the lowest):
with Northshire (77.50, first) failing selection, the lowest qualifying price is the probation
unit's £280,000, so Women Onward scores 40.00 + 30 × 280,000 ÷ 300,000 = 68.00 and the
probation unit 42.50 + 30.00 = 72.50, first.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from commissioning.awards import decision, services
from commissioning.awards.feedback import feedback_for
from commissioning.awards.feedback_pdf import pdf_blocks
from commissioning.awards.models import LotAward
from commissioning.awards.reporting import lot_results
from commissioning.evaluation.selection import record_selection, selection_for_lot
from tests.integration.awards_setup import (
    QUALITY,
    SOCIAL_VALUE,
    AwardSetup,
    award_setup,
    moderate_all,
)
from tests.integration.test_awards_services import DECIDED, REASONS

pytestmark = pytest.mark.django_db
WHY = "No employer's liability cover and no commitment to hold it by the start."


@pytest.fixture
def s() -> AwardSetup:
    setup = award_setup()
    requirement = selection_for_lot(setup.lot)
    assert requirement is not None
    for question_id in requirement.question_ids:
        record_selection(setup.commissioner, setup.bids[0], question_id, passed=False, note=WHY)
        for bid in setup.bids[1:]:
            record_selection(setup.commissioner, bid, question_id, passed=True)
    return setup


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_failed_selection_is_excluded_from_the_ranking_with_the_reason(s: AwardSetup) -> None:
    results = lot_results(s.commissioner, s.lot)
    assert results.evaluation is not None
    ranked = [(o.bid_id, o.total) for o in results.evaluation.ranked]
    assert ranked == [
        (str(s.public_bid.pk), Decimal("72.50")),
        (str(s.bids[1].pk), Decimal("68.00")),
    ]
    failed = results.evaluation.outcome(str(s.bids[0].pk))
    assert failed.rank is None and failed.total is None
    assert f"failed the selection question “Basic information”: {WHY}" in (
        failed.disqualified_reasons
    )
    assert results.price_sensitivity is not None
    assert str(s.bids[0].pk) not in results.price_sensitivity.winners
    page = _client(s.commissioner).get(
        reverse("awards:lot", args=[s.opportunity.reference, s.lot.number])
    )
    text = page.content.decode()
    assert "Northshire Probation Delivery Unit</strong> with 72.50 points" in text
    assert "Excluded from the award" in text
    assert "Failed the selection question “Basic information”" in text


def test_the_award_goes_to_the_best_bid_that_passed_selection(s: AwardSetup) -> None:
    with time_machine.travel(DECIDED, tick=False):
        award = services.decide_award(s.commissioner, s.lot, REASONS)
    assert award.outcome == LotAward.Outcome.AWARDED
    assert award.winning_bid == s.public_bid
    assert award.results["excluded"][str(s.bids[0].pk)]
    # Selection is part of the decision: it cannot change afterwards.
    with pytest.raises(ValidationError, match="has been decided: its selection results"):
        record_selection(s.commissioner, s.bids[0], "basic-information", passed=True)


def test_the_award_decision_refuses_a_bid_that_failed_selection(s: AwardSetup) -> None:
    """Belt and braces: if the failing bid still came first, the decision is refused."""
    with pytest.raises(ValidationError, match="failed selection"):
        decision.refuse_disqualified(s.bids[0])
    decision.refuse_disqualified(s.bids[1])


def test_the_bidder_is_told_it_failed_selection_and_why(s: AwardSetup) -> None:
    with time_machine.travel(DECIDED, tick=False):
        services.decide_award(s.commissioner, s.lot, REASONS)
    member = s.bidder_users[0]
    fb = feedback_for(member, s.bids[0])
    assert fb.outcome_title == "Your bid was disqualified"
    assert fb.outcome_lines[0] == (
        "Your bid did not pass selection, so it was not ranked: failed the selection question "
        f"“Basic information”: {WHY}; "
        + "; ".join(
            f"failed the selection question “{name}”: {WHY}" for name in _question_names(s)[1:]
        )
        + "."
    )
    assert fb.outcome_lines[1] == "3 bids were evaluated; 2 qualified."
    page = _client(member).get(reverse("feedback:bid", args=[s.bids[0].pk])).content.decode()
    assert "Your bid did not pass selection, so it was not ranked" in page
    assert WHY.replace("'", "&#x27;") in page
    assert "No total (disqualified)" in page
    pdf_texts = [b.text for b in pdf_blocks(fb)]
    assert fb.outcome_lines[0] in pdf_texts


def _question_names(s: AwardSetup) -> list[str]:
    requirement = selection_for_lot(s.lot)
    assert requirement is not None
    return [r.question.name for r in requirement.questions]


def test_a_bid_that_failed_selection_needs_no_moderated_scores_before_the_award() -> None:
    """EVA-6: Northshire fails selection before anyone moderates its scores. The results and
    the award do not wait for them: the probation unit wins with 72.50, Northshire is listed
    unscored with the reason, and its feedback says it did not pass selection."""
    setup = award_setup(moderate=False)
    failed = setup.bids[0]
    requirement = selection_for_lot(setup.lot)
    assert requirement is not None
    for question_id in requirement.question_ids:
        record_selection(setup.commissioner, failed, question_id, passed=False, note=WHY)
    moderate_all(setup, QUALITY[1:], SOCIAL_VALUE[1:], setup.bids[1:])
    results = lot_results(setup.commissioner, setup.lot)
    assert results.ready, results.not_ready
    assert results.evaluation is not None
    outcome = results.evaluation.outcome(str(failed.pk))
    assert outcome.quality_points is None and outcome.scores == () and outcome.rank is None
    page = _client(setup.commissioner).get(
        reverse("awards:lot", args=[setup.opportunity.reference, setup.lot.number])
    )
    assert "Not scored" in page.content.decode()
    with time_machine.travel(DECIDED, tick=False):
        award = services.decide_award(setup.commissioner, setup.lot, REASONS)
    assert award.winning_bid == setup.public_bid
    assert award.results["excluded"][str(failed.pk)]
    fb = feedback_for(setup.bidder_users[0], failed)
    assert fb.outcome_title == "Your bid was disqualified"
    assert fb.outcome_lines[0].startswith("Your bid did not pass selection, so it was not ranked")
    assert {row.own_score for row in fb.rows} == {"Not scored", "Not priced"}
    member_page = _client(setup.bidder_users[0]).get(reverse("feedback:bid", args=[failed.pk]))
    assert member_page.status_code == 200
