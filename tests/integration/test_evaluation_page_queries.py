"""An evaluator's assignment page reads each thing once (issue 21; EVA-5, PRO-11): the same
number of queries with two bids or four, the same content as before, and still nothing for
someone not assigned."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.bids import opening
from commissioning.evaluation import services
from commissioning.evaluation.models import EvaluatorAssignment
from commissioning.web import navigation
from tests.evaluation_factories import Evaluation, _bid, evaluation_setup
from tests.factories import OrganisationFactory, UserFactory, client_for, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _banner_answer_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """The synthetic-data banner's answer is kept 30 s per process: were it to lapse between
    the warm-up request and the counted one, the count would be one more. Kept for the test."""
    monkeypatch.setattr(navigation, "_SYNTHETIC_TTL_SECONDS", float("inf"))


WHY = "Clear pathway with caseloads evidenced against the specification."

#: The session, the account and its second factor (middleware), and the menu's memberships.
SIGNED_IN_PAGE = 4
#: The page itself: the assignment with its opportunity and its key (whether the bids are
#: opened), the evaluator's declarations, the submitted bids, and the scores: their own, with
#: (once submitted) the other evaluators' in the same read.
ASSIGNMENT_PAGE = 4
#: The opportunity's evaluation page for an evaluator: the opportunity, whether they may see it,
#: whether they advise, the lots (selection questions), their assignments, and their view of the
#: bids (opened, declarations, submitted bids). For its commissioners, what they manage as well;
#: their memberships, which decide it, are the menu's (counted in SIGNED_IN_PAGE).
OVERVIEW_FOR_AN_EVALUATOR = 8
OVERVIEW_FOR_A_COMMISSIONER = 14


def _evaluation(bid_count: int) -> Evaluation:
    """``bid_count`` submitted bids (two from the builder, the rest added before the deadline),
    opened, both evaluators assigned to quality, declared without conflict, scored and
    submitted."""
    ev = evaluation_setup(open_bids=False)
    assert ev.opportunity.bid_deadline is not None
    with time_machine.travel(ev.opportunity.bid_deadline - timedelta(days=1), tick=False):
        for _ in range(bid_count - len(ev.bids)):
            organisation = OrganisationFactory()
            ev.bids.append(_bid(ev.opportunity, organisation, member_of(organisation), "280000"))
            ev.bidders.append(organisation)
    opening.open_bids(ev.commissioner, ev.opportunity)
    for evaluator, value in zip(ev.evaluators, (75, 25), strict=True):
        services.assign_evaluator(ev.commissioner, ev.quality, evaluator)
        services.declare_conflicts(
            evaluator, ev.opportunity, {org.pk: (False, "") for org in ev.bidders}
        )
        assignment = ev.quality.evaluator_assignments.get(evaluator=evaluator)
        for bid in ev.bids:
            services.save_score(evaluator, assignment, bid, value, WHY)
        services.submit_scores(evaluator, assignment)
    return ev


def _page_url(ev: Evaluation, assignment: EvaluatorAssignment) -> str:
    return reverse("evaluation:assignment", args=[ev.opportunity.reference, assignment.pk])


@pytest.mark.parametrize("bid_count", [2, 4])
def test_the_assignment_page_reads_the_same_few_things_however_many_bids(
    bid_count: int, django_assert_num_queries: Any
) -> None:
    ev = _evaluation(bid_count)
    evaluator = ev.evaluators[0]
    assignment = ev.quality.evaluator_assignments.get(evaluator=evaluator)
    client = client_for(evaluator)
    url = _page_url(ev, assignment)
    assert client.get(url).status_code == 200  # the session's first read is not the page's
    with django_assert_num_queries(SIGNED_IN_PAGE + ASSIGNMENT_PAGE):
        page = client.get(url).content.decode()
    # Every bid, with the evaluator's own score, and every other evaluator's score on it.
    for organisation in ev.bidders:
        assert page.count(organisation.name) == 2
    assert page.count("panel2@example.org – ") == bid_count
    assert "Your scores are locked." in page


def test_the_page_shows_the_same_rows_and_scores(django_assert_num_queries: Any) -> None:
    """What the page shows, against the services that decide it (declared, opened, readable
    bids, others' scores only once submitted)."""
    ev = _evaluation(2)
    evaluator = ev.evaluators[0]
    assignment = ev.quality.evaluator_assignments.get(evaluator=evaluator)
    page = client_for(evaluator).get(_page_url(ev, assignment)).content.decode()
    for bid in services.evaluator_bids(evaluator, ev.opportunity):
        assert f"{bid.organisation.name} (lot {bid.lot.number})" in page
        assert f"panel2@example.org – {bid.organisation.name}: 25. {WHY}" in page
    assert page.count('<td class="govuk-table__cell">75</td>') == 2
    assert "Submit scores" not in page


def test_before_submitting_the_page_shows_only_their_own_scores() -> None:
    ev = evaluation_setup()
    first, second = ev.evaluators
    for evaluator, value in ((first, 75), (second, 25)):
        services.assign_evaluator(ev.commissioner, ev.quality, evaluator)
        services.declare_conflicts(
            evaluator, ev.opportunity, {org.pk: (False, "") for org in ev.bidders}
        )
        theirs = ev.quality.evaluator_assignments.get(evaluator=evaluator)
        for bid in ev.bids if evaluator is second else ev.bids[:1]:
            services.save_score(evaluator, theirs, bid, value, WHY)
    services.submit_scores(second, ev.quality.evaluator_assignments.get(evaluator=second))
    mine = ev.quality.evaluator_assignments.get(evaluator=first)
    page = client_for(first).get(_page_url(ev, mine)).content.decode()
    assert page.count('<td class="govuk-table__cell">75</td>') == 1
    assert page.count("Not scored") == len(ev.bids) - 1
    assert "Submit scores" in page
    assert "Other evaluators' scores" not in page and ": 25." not in page


def test_a_conflicted_bid_and_its_scores_stay_off_the_page() -> None:
    ev = evaluation_setup()
    first, second = ev.evaluators
    for evaluator in ev.evaluators:
        services.assign_evaluator(ev.commissioner, ev.quality, evaluator)
    conflicted = ev.bidders[1]
    services.declare_conflicts(
        first,
        ev.opportunity,
        {org.pk: (org == conflicted, "My sister runs it.") for org in ev.bidders},
    )
    services.declare_conflicts(second, ev.opportunity, {org.pk: (False, "") for org in ev.bidders})
    mine = ev.quality.evaluator_assignments.get(evaluator=first)
    services.save_score(first, mine, ev.bids[0], 75, WHY)
    services.submit_scores(first, mine)
    theirs = ev.quality.evaluator_assignments.get(evaluator=second)
    for bid in ev.bids:
        services.save_score(second, theirs, bid, 50, WHY)
    services.submit_scores(second, theirs)
    page = client_for(first).get(_page_url(ev, mine)).content.decode()
    assert ev.bidders[0].name in page
    assert conflicted.name not in page


def test_before_declaring_or_opening_the_page_shows_no_bid() -> None:
    ev = evaluation_setup(open_bids=False)
    evaluator = ev.evaluators[0]
    services.assign_evaluator(ev.commissioner, ev.quality, evaluator)
    assignment = ev.quality.evaluator_assignments.get(evaluator=evaluator)
    client = client_for(evaluator)
    page = client.get(_page_url(ev, assignment)).content.decode()
    assert "The bids have not been opened yet." in page
    assert ev.bidders[0].name not in page
    opening.open_bids(ev.commissioner, ev.opportunity)
    page = client.get(_page_url(ev, assignment)).content.decode()
    assert "Declare your interests before you see any bid." in page
    assert ev.bidders[0].name not in page


def test_someone_not_assigned_is_refused_and_a_missing_assignment_is_not_found() -> None:
    ev = _evaluation(2)
    assignment = ev.quality.evaluator_assignments.get(evaluator=ev.evaluators[0])
    url = _page_url(ev, assignment)
    missing = reverse("evaluation:assignment", args=[ev.opportunity.reference, 999_999])
    outsider = client_for(UserFactory(role=User.Role.EVALUATOR))
    assert outsider.get(url).status_code == 403
    assert outsider.get(missing).status_code == 403  # who may not look learns nothing
    other = client_for(ev.evaluators[1])
    assert other.get(url).status_code == 403  # another evaluator's assignment
    assert other.get(missing).status_code == 404
    # The commissioner manages the evaluation but scores on nobody's behalf.
    assert client_for(ev.commissioner).get(url).status_code == 403
    # An evaluator who lost the evaluator role no longer scores.
    ev.evaluators[0].role = User.Role.PROVIDER
    ev.evaluators[0].save(update_fields=["role"])
    assert client_for(ev.evaluators[0]).get(url).status_code == 403


@pytest.mark.parametrize("bid_count", [2, 4])
def test_the_evaluation_page_reads_the_same_few_things_however_many_bids(
    bid_count: int, django_assert_num_queries: Any
) -> None:
    ev = _evaluation(bid_count)
    url = reverse("evaluation:opportunity", args=[ev.opportunity.reference])
    evaluator = client_for(ev.evaluators[0])
    assert evaluator.get(url).status_code == 200
    with django_assert_num_queries(SIGNED_IN_PAGE + OVERVIEW_FOR_AN_EVALUATOR):
        page = evaluator.get(url).content.decode()
    assert "You have declared your interests." in page
    assert "Submitted" in page
    assert "Evaluators by criterion" not in page  # the commissioners' part
    commissioner = client_for(ev.commissioner)
    assert commissioner.get(url).status_code == 200
    with django_assert_num_queries(SIGNED_IN_PAGE + OVERVIEW_FOR_A_COMMISSIONER):
        page = commissioner.get(url).content.decode()
    assert "panel1@example.org" in page and "Divergence shows once every assigned" in page
