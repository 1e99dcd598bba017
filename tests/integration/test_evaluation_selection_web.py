"""The selection page (EVA-6): only the body's commissioners see it; per lot, the pass/fail
questions its annual value calls for; a pass is recorded, a fail needs a note, a question the
lot's value does not call for is refused, and nothing is recorded before the bids are opened."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.evaluation import services
from commissioning.evaluation.models import SelectionResult
from tests.evaluation_factories import Evaluation, evaluation_setup
from tests.factories import UserFactory
from tests.procurement_factories import commissioner_of, open_opportunity, ready_opportunity

pytestmark = pytest.mark.django_db
WHY = "No employer's liability cover and no commitment to hold it by the start."


@pytest.fixture
def ev() -> Evaluation:
    return evaluation_setup()


def _client(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _url(ev: Evaluation) -> str:
    return reverse("evaluation:selection", args=[ev.opportunity.reference])


def _post(client: Client, ev: Evaluation, bid_index: int, **fields: str) -> Any:
    bid = ev.bids[bid_index]
    data = {"bid": str(bid.pk), **{f"bid-{bid.pk}-{k}": v for k, v in fields.items()}}
    return client.post(_url(ev), data)


def test_only_the_bodys_commissioners_see_the_page(ev: Evaluation) -> None:
    services.assign_evaluator(ev.commissioner, ev.quality, ev.evaluators[0])
    for user in (
        ev.evaluators[0],  # assigned evaluator: scores, does not record selection
        ev.bidder_users[0],
        UserFactory(role=User.Role.EVALUATOR),
        commissioner_of(open_opportunity()),  # another body's commissioner
    ):
        assert _client(user).get(_url(ev)).status_code == 403, user
        assert (
            _post(_client(user), ev, 0, question="basic-information", result="pass").status_code
            == 403
        )
    assert not SelectionResult.objects.exists()
    assert _client().get(_url(ev)).status_code == 302  # sign in first
    draft = ready_opportunity()
    own = _client(commissioner_of(draft))
    assert own.get(reverse("evaluation:selection", args=[draft.reference])).status_code == 404
    assert _client(ev.commissioner).get(_url(ev)).status_code == 200


def test_page_shows_the_questions_the_lot_value_calls_for(ev: Evaluation) -> None:
    client = _client(ev.commissioner)
    response = client.get(_url(ev))
    text = response.content.decode()
    assert "Financial standing (proportionate test)" in text  # a £300,000 lot
    assert "Carbon reduction plan" not in text  # only for £5 million a year or more
    for bidder in ev.bidders:
        assert bidder.name in text
    assert text.count("Not complete") == 2
    assert reverse("bids:opened-bid", args=[ev.opportunity.reference, ev.bids[0].pk]) in text
    overview = client.get(reverse("evaluation:opportunity", args=[ev.opportunity.reference]))
    assert _url(ev) in overview.content.decode()
    # Evaluators see the overview but not the link to record selection.
    services.assign_evaluator(ev.commissioner, ev.quality, ev.evaluators[0])
    theirs = _client(ev.evaluators[0]).get(
        reverse("evaluation:opportunity", args=[ev.opportunity.reference])
    )
    assert _url(ev) not in theirs.content.decode()


def test_recording_a_pass_then_a_fail_with_a_note(ev: Evaluation) -> None:
    client = _client(ev.commissioner)
    response = _post(client, ev, 0, question="basic-information", result="pass", note="")
    assert response.status_code == 302
    assert response["Location"] == f"{_url(ev)}#bid-{ev.bids[0].pk}"
    saved = SelectionResult.objects.get(bid=ev.bids[0], question_id="basic-information")
    assert saved.passed and saved.recorded_by == ev.commissioner
    assert AuditEvent.objects.filter(action="evaluation.selection").count() == 1
    fail = _post(client, ev, 1, question="insurance", result="fail", note=WHY)
    assert fail.status_code == 302
    failed = SelectionResult.objects.get(bid=ev.bids[1], question_id="insurance")
    assert not failed.passed and failed.note == WHY
    text = client.get(_url(ev)).content.decode()
    assert "Fails selection" in text
    assert WHY.replace("'", "&#x27;") in text
    # Changing a result replaces it.
    _post(client, ev, 1, question="insurance", result="pass", note="Cover confirmed.")
    assert SelectionResult.objects.get(bid=ev.bids[1], question_id="insurance").passed
    assert "Fails selection" not in client.get(_url(ev)).content.decode()


def test_every_question_passed_shows_the_bid_passes(ev: Evaluation) -> None:
    client = _client(ev.commissioner)
    requirement = services.selection_for_opportunity(ev.opportunity)[0][1]
    for question_id in requirement.question_ids:
        assert _post(client, ev, 0, question=question_id, result="pass").status_code == 302
    text = client.get(_url(ev)).content.decode()
    assert text.count("Passes selection") == 1
    assert text.count("Not complete") == 1


def test_a_fail_needs_a_note(ev: Evaluation) -> None:
    response = _post(
        _client(ev.commissioner), ev, 0, question="declarations", result="fail", note=" "
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "<title>Error:" in text
    assert "Say why the bid fails this question." in text
    assert 'class="govuk-details" open' in text  # the form with the error is shown
    assert not SelectionResult.objects.exists()


def test_a_question_the_lot_does_not_call_for_is_refused(ev: Evaluation) -> None:
    client = _client(ev.commissioner)
    response = _post(client, ev, 0, question="carbon-reduction-plan", result="pass")
    assert response.status_code == 200
    assert "That question does not apply to this lot." in response.content.decode()
    missing = _post(client, ev, 0, question="", result="")
    text = missing.content.decode()
    assert "Choose the question" in text and "Select pass or fail" in text
    assert client.post(_url(ev), {"bid": "999999"}).status_code == 404
    assert client.post(_url(ev), {"bid": "x"}).status_code == 404
    assert not SelectionResult.objects.exists()


def test_nothing_is_recorded_before_the_bids_are_opened() -> None:
    ev = evaluation_setup(open_bids=False)
    client = _client(ev.commissioner)
    page = client.get(_url(ev)).content.decode()
    assert "The bids have not been opened yet." in page
    assert ev.bidders[0].name not in page
    response = _post(client, ev, 0, question="basic-information", result="pass")
    assert response.status_code == 302
    assert not SelectionResult.objects.exists()
    followed = client.get(_url(ev)).content.decode()
    assert "Open the bids before recording selection results." in followed
