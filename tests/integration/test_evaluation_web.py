"""Evaluation pages (EVA-5, EVA-6): the permission matrix, conflict declaration before any bid
content, scoring errors that save nothing, divergence on the page, moderation recorded."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.evaluation import services
from commissioning.evaluation.models import EvaluatorScore, ModeratedScore
from tests.evaluation_factories import ANSWER, Evaluation, evaluation_setup
from tests.factories import UserFactory
from tests.procurement_factories import commissioner_of, open_opportunity

pytestmark = pytest.mark.django_db
WHY = "Clear pathway with caseloads evidenced against the specification."


@pytest.fixture
def ev() -> Evaluation:
    ev = evaluation_setup()
    for evaluator in ev.evaluators:
        services.assign_evaluator(ev.commissioner, ev.quality, evaluator)
    return ev


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, ev: Evaluation, *args: object) -> str:
    return reverse(f"evaluation:{name}", args=[ev.opportunity.reference, *args])


def test_permission_matrix(ev: Evaluation) -> None:
    outsiders = [
        UserFactory(role=User.Role.EVALUATOR),  # not assigned
        ev.bidder_users[0],  # a bidder
        commissioner_of(open_opportunity()),  # another body's commissioner
    ]
    assignment = ev.quality.evaluator_assignments.get(evaluator=ev.evaluators[0])
    for user in outsiders:
        client = _client(user)
        for url in (
            _url("opportunity", ev),
            _url("declare", ev),
            _url("assignment", ev, assignment.pk),
            _url("score", ev, assignment.pk, ev.bids[0].pk),
            _url("moderation", ev),
        ):
            assert client.get(url).status_code == 403, (user, url)
    # The other evaluator cannot use this one's assignment; evaluators cannot moderate.
    other = _client(ev.evaluators[1])
    assert other.get(_url("assignment", ev, assignment.pk)).status_code == 403
    assert other.get(_url("moderation", ev)).status_code == 403
    assert Client().get(_url("opportunity", ev)).status_code == 302
    assert _client(ev.commissioner).get(_url("opportunity", ev)).status_code == 200


def test_commissioner_assigns_on_the_page_and_selection_shows(ev: Evaluation) -> None:
    client = _client(ev.commissioner)
    response = client.post(
        _url("assign", ev),
        {"criterion": ev.social_value.pk, "evaluator": ev.evaluators[0].pk},
    )
    assert response.status_code == 302
    assert ev.social_value.evaluator_assignments.filter(evaluator=ev.evaluators[0]).exists()
    page = client.get(_url("opportunity", ev)).content.decode()
    assert "Financial standing (proportionate test)" in page
    assert "Carbon reduction plan" not in page  # a £300,000 lot does not need it
    refused = client.post(_url("assign", ev), {"criterion": "", "evaluator": ""})
    assert refused.status_code == 200
    assert "<title>Error:" in refused.content.decode()


def test_declare_then_score_with_errors_then_submit(ev: Evaluation) -> None:
    evaluator = ev.evaluators[0]
    client = _client(evaluator)
    assignment = ev.quality.evaluator_assignments.get(evaluator=evaluator)
    score_url = _url("score", ev, assignment.pk, ev.bids[0].pk)
    assert client.get(score_url).status_code == 403  # no content before declaring
    assert ANSWER not in client.get(_url("assignment", ev, assignment.pk)).content.decode()
    data = {f"org-{org.pk}": "no" for org in ev.bidders}
    assert client.post(_url("declare", ev), data).status_code == 302
    page = client.get(score_url).content.decode()
    assert ANSWER in page and "75 Good" in page
    bad = client.post(score_url, {"score": "60", "justification": ""})
    assert bad.status_code == 200 and not EvaluatorScore.objects.exists()
    for bid, value in zip(ev.bids, ("75", "25"), strict=True):
        url = _url("score", ev, assignment.pk, bid.pk)
        assert client.post(url, {"score": value, "justification": WHY}).status_code == 302
    client.post(_url("submit", ev, assignment.pk))
    assignment.refresh_from_db()
    assert assignment.is_submitted
    assert client.post(score_url, {"score": "100", "justification": WHY}).status_code == 200
    assert EvaluatorScore.objects.get(assignment=assignment, bid=ev.bids[0]).score == 75


def test_divergence_shows_and_moderation_is_recorded(ev: Evaluation) -> None:
    for evaluator, values in zip(ev.evaluators, ((75, 50), (25, 50)), strict=True):
        services.declare_conflicts(
            evaluator, ev.opportunity, {o.pk: (False, "") for o in ev.bidders}
        )
        assignment = ev.quality.evaluator_assignments.get(evaluator=evaluator)
        for bid, value in zip(ev.bids, values, strict=True):
            services.save_score(evaluator, assignment, bid, value, WHY)
        services.submit_scores(evaluator, assignment)
    # Social value has no evaluator yet: divergence waits.
    client = _client(ev.commissioner)
    assert "once every assigned evaluator" in client.get(_url("moderation", ev)).content.decode()
    ev.social_value.delete()
    page = client.get(_url("moderation", ev)).content.decode()
    assert "1 of 2 bid and criterion pairs" in page and "2 bands apart" in page
    url = _url("moderate", ev, ev.bids[0].pk, ev.quality.pk)
    assert client.post(url, {"score": "50", "rationale": ""}).status_code == 200
    assert not ModeratedScore.objects.exists()
    rationale = "Agreed 50: the pathway is sound but staffing is thin."
    assert client.post(url, {"score": "50", "rationale": rationale}).status_code == 302
    agreed = ModeratedScore.objects.get(bid=ev.bids[0], criterion=ev.quality)
    assert (agreed.score, agreed.rationale, agreed.moderated_by) == (50, rationale, ev.commissioner)
    assert AuditEvent.objects.filter(action="evaluation.moderate").count() == 1


def test_an_evaluator_finds_their_assignments_from_the_menu(ev: Evaluation) -> None:
    from commissioning.web.navigation import menu_items

    evaluator = ev.evaluators[0]
    assert ("Your evaluations", reverse("evaluation:mine")) in menu_items(evaluator)
    page = _client(evaluator).get(reverse("evaluation:mine"))
    assert page.status_code == 200
    link = reverse("evaluation:opportunity", args=[ev.opportunity.reference])
    assert link in page.content.decode()
    unassigned = _client(UserFactory(role=User.Role.EVALUATOR)).get(reverse("evaluation:mine"))
    assert link not in unassigned.content.decode()
    assert "not assigned to evaluate any opportunity" in unassigned.content.decode()
