"""The clarification questions API (PRO-4): the public list shows published questions and
answers without the asker; asking and answering go through the same services and permission
rules as the pages; every error is ``{"detail", "errors"}``."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client

from commissioning.audit.models import AuditEvent
from commissioning.clarifications import services
from commissioning.clarifications.models import Question
from commissioning.procurement.models import Opportunity
from commissioning_analytics.timelines.working_days import LONDON
from tests.factories import OrganisationFactory, client_for, member_of
from tests.procurement_factories import commissioner_of, open_opportunity, ready_opportunity

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2027, 3, 1, 9, 0, tzinfo=LONDON)
ASKED = datetime(2027, 3, 15, 10, 0, tzinfo=LONDON)
ASKER_EMAIL = "asker@women-onward.example"


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(ASKED, tick=False) as traveller:
        yield traveller


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(data), content_type="application/json")


def assert_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"]
    return body


def url(opportunity: Opportunity, tail: str = "") -> str:
    return f"/api/opportunities/{opportunity.reference}/questions{tail}"


def test_the_public_list_shows_published_answers_and_never_who_asked() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    asker = member_of(OrganisationFactory(name="Women Onward CIC"), email=ASKER_EMAIL)
    answered = services.ask_question(asker, opportunity, text="Can Women Onward CIC bid alone?")
    services.ask_question(asker, opportunity, text="Is TUPE likely?")
    services.publish_answer(
        commissioner_of(opportunity),
        answered,
        answer="Yes, a single organisation may bid.",
        text="Can a single organisation bid alone?",
    )

    response = Client().get(url(opportunity))

    assert response.status_code == 200
    body = response.json()
    assert body["summary"]["total"] == 2 and body["summary"]["answered"] == 1
    assert body["summary"]["response_working_days"] == opportunity.response_working_days
    assert body["summary"]["contact_name"] == "Sam Procurer"
    by_number = {q["number"]: q for q in body["results"]}
    assert by_number[1]["text"] == "Can a single organisation bid alone?"
    assert by_number[1]["answer"] == "Yes, a single organisation may bid."
    assert by_number[2]["status"] == "awaiting"
    assert by_number[2]["text"] is None and by_number[2]["answer"] is None
    raw = response.content.decode()
    for secret in ("Women Onward", ASKER_EMAIL, "Is TUPE likely?", asker.username):
        assert secret not in raw


def test_a_provider_asks_through_the_api() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    organisation = OrganisationFactory()
    provider = member_of(organisation)
    lot = opportunity.lots.order_by("number").first()
    assert lot is not None

    response = post(
        client_for(provider), url(opportunity), {"text": "Lot size?", "lot": lot.number}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == 1 and body["lot"] == lot.number and body["status"] == "awaiting"
    question = Question.objects.get(opportunity=opportunity)
    assert question.asked_by == provider and question.asker_organisation == organisation
    assert body["due_on"] == question.due_on.isoformat()
    assert AuditEvent.objects.filter(action="clarification.ask").count() == 1


def test_asking_needs_a_session_and_a_provider_membership() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    body = assert_error(post(Client(), url(opportunity), {"text": "Hello?"}), 401)
    assert body["errors"] == {}
    commissioner = commissioner_of(opportunity)
    assert_error(post(client_for(commissioner), url(opportunity), {"text": "Mine?"}), 403)
    assert not Question.objects.exists()


def test_asking_errors_name_the_field_and_nothing_is_saved() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    provider = client_for(member_of(OrganisationFactory()))

    blank = assert_error(post(provider, url(opportunity), {"text": "   "}), 400)
    assert blank["errors"] == {"text": ["Enter your question"]}
    no_lot = assert_error(post(provider, url(opportunity), {"text": "?", "lot": 99}), 400)
    assert list(no_lot["errors"]) == ["lot"]
    missing = assert_error(post(provider, url(opportunity), {}), 422)
    assert list(missing["errors"]) == ["text"]
    assert not Question.objects.exists()


def test_a_draft_has_no_questions_route_for_the_public() -> None:
    draft = ready_opportunity()
    assert_error(Client().get(url(draft)), 404)
    assert client_for(commissioner_of(draft)).get(url(draft)).status_code == 200


def test_the_commissioner_answers_and_publishes() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    question = services.ask_question(
        member_of(OrganisationFactory()), opportunity, text="Asked by us?"
    )
    answer_url = url(opportunity, f"/{question.number}/answer")
    payload = {"answer": "Published for all.", "text": "Anonymised?"}

    provider = member_of(OrganisationFactory())
    assert_error(post(client_for(provider), answer_url, payload), 403)
    assert_error(post(Client(), answer_url, payload), 401)
    commissioner = client_for(commissioner_of(opportunity))
    response = post(commissioner, answer_url, payload)

    assert response.status_code == 200, response.content
    assert response.json()["text"] == "Anonymised?"
    assert response.json()["answer"] == "Published for all."
    public = Client().get(url(opportunity)).json()["results"][0]
    assert (public["text"], public["answer"]) == ("Anonymised?", "Published for all.")
    again = assert_error(post(commissioner, answer_url, payload), 400)
    assert list(again["errors"]) == ["answer"]
    assert_error(post(commissioner, url(opportunity, "/999999/answer"), payload), 404)


def test_the_api_refuses_the_asked_wording_by_default_and_unconfirmed_names() -> None:
    """Issue 11 item 16 (PRO-4): as on the pages, the commissioner writes the wording, and
    wording naming a registered organisation needs ``names_confirmed``."""
    opportunity = open_opportunity(published_at=PUBLISHED)
    asker = member_of(OrganisationFactory(name="Durham Safe Housing Trust"))
    question = services.ask_question(
        asker, opportunity, text="Durham Safe Housing Trust asks: is lot 2 open to a consortium?"
    )
    answer_url = url(opportunity, f"/{question.number}/answer")
    commissioner = client_for(commissioner_of(opportunity))

    missing = assert_error(post(commissioner, answer_url, {"answer": "Yes."}), 400)
    assert missing["errors"] == {"text": ["Write the question as it will be published"]}
    naming = {"answer": "Yes.", "text": "Durham Safe Housing Trust asks: is lot 2 open?"}
    named = assert_error(post(commissioner, answer_url, naming), 400)
    assert named["errors"]["text"] == [
        "The question names Durham Safe Housing Trust, registered on this platform. Take the "
        "name out, or confirm that the asker chose to be named"
    ]
    question.refresh_from_db()
    assert question.status == Question.Status.AWAITING

    confirmed = post(commissioner, answer_url, {**naming, "names_confirmed": True})
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["text"] == "Durham Safe Housing Trust asks: is lot 2 open?"
