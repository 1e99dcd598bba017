"""A repeated submit creates one record (issue 11 item 25; PRO-4, PRO-6, CYC-2, CYC-3), as bid
submission always has: questions, conversations and replies, consultation responses (the form's
submission key, or the API's ``Idempotency-Key``), interest and event places (their natural key).

"Racing" submits are two submits of the same key where the second looked for an earlier one
before the first was saved — what two requests at once do. :func:`racing` makes that happen on
any database: the second submit's first look finds nothing, so only the database's unique
constraint can stop the duplicate. The same tests pass on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import IntegrityError, connections
from django.test import Client
from django.urls import reverse

from commissioning import idempotency
from commissioning.clarifications import services as clarifications
from commissioning.clarifications.models import Question
from commissioning.engagement import events, responding
from commissioning.engagement.models import EventRegistration, Response
from commissioning.partnering import messaging
from commissioning.partnering import services as partnering
from commissioning.partnering.models import Conversation, Message
from commissioning.procurement.models import Interest
from tests.engagement_factories import MarketEventFactory, answers_for, open_consultation
from tests.factories import OrganisationFactory, client_for, member_of
from tests.procurement_factories import open_opportunity

pytestmark = pytest.mark.django_db

KEY = "5b0c7f0e9d0b4c7f8e6a1d2c3b4a5f60"


@pytest.fixture
def racing(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every create's first look for an earlier submit finds nothing, as when two submits run
    at once and neither is saved yet; later looks see the database as it is. Yields the
    refusals of the database's unique constraints, one for each duplicate it stopped."""
    real = idempotency.create_once
    refusals: list[str] = []

    def create_once(find: Callable[[], Any], create: Callable[[], Any]) -> Any:
        looks = 0

        def find_too_early() -> Any:
            nonlocal looks
            looks += 1
            return None if looks == 1 else find()

        def create_or_refuse() -> Any:
            try:
                return create()
            except IntegrityError as refused:
                refusals.append(str(refused))
                raise

        return real(find_too_early, create_or_refuse)

    monkeypatch.setattr(idempotency, "create_once", create_once)
    yield refusals


def post_json(client: Client, url: str, data: dict[str, Any], key: str = KEY) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(url, json.dumps(data), content_type="application/json", headers=headers)


def hidden_key(page: str) -> str:
    match = re.search(r'name="submission_key" value="([0-9a-f]{32})"', page)
    assert match, "the form carries a submission key"
    return match.group(1)


# ---------------------------------------------------------------- clarification questions


def test_the_same_question_sent_twice_through_the_api_is_asked_once() -> None:
    opportunity = open_opportunity()
    asker = member_of(OrganisationFactory())
    client = client_for(asker)
    url = f"/api/opportunities/{opportunity.reference}/questions"

    first = post_json(client, url, {"text": "Is TUPE likely to apply?"})
    again = post_json(client, url, {"text": "Is TUPE likely to apply?"})

    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert Question.objects.count() == 1
    other = post_json(client, url, {"text": "Is TUPE likely to apply?"}, key="another-key")
    assert other.json()["number"] == 2  # a new key is a new question
    bad = post_json(client, url, {"text": "Hello?"}, key="not a key!")
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["Idempotency-Key"]


def test_racing_questions_with_one_key_make_one_question(racing: list[str]) -> None:
    opportunity = open_opportunity()
    asker = member_of(OrganisationFactory())
    first = clarifications.ask_question(asker, opportunity, text="TUPE?", submission_key=KEY)
    second = clarifications.ask_question(asker, opportunity, text="TUPE?", submission_key=KEY)
    assert second.pk == first.pk
    assert Question.objects.count() == 1
    assert len(racing) == 1  # the unique constraint stopped the second


def test_the_question_form_sent_twice_asks_once() -> None:
    opportunity = open_opportunity()
    client = client_for(member_of(OrganisationFactory()))
    url = reverse("clarifications:ask", args=[opportunity.reference])
    data = {"text": "Can a consortium bid?", "submission_key": hidden_key(client.get(url).text)}

    responses = [client.post(url, data), client.post(url, data)]

    assert [r.status_code for r in responses] == [302, 302]
    assert Question.objects.count() == 1


ON_POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite runs one writer at a time: see `racing`")
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_with_one_key_ask_one_question() -> None:
    """Two threads, two connections, the same key, released together."""
    opportunity = open_opportunity()
    asker = member_of(OrganisationFactory())
    url = f"/api/opportunities/{opportunity.reference}/questions"
    start = threading.Barrier(2)
    answers: list[Any] = []

    def submit() -> None:
        try:
            client = client_for(asker)
            start.wait()
            answers.append(post_json(client, url, {"text": "Is TUPE likely?"}))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [a.status_code for a in answers] == [201, 201]
    assert {a.json()["number"] for a in answers} == {1}
    assert Question.objects.count() == 1


# ---------------------------------------------------------------- conversations and replies


def test_starting_the_same_conversation_twice_starts_one(racing: list[str]) -> None:
    sender, recipient = OrganisationFactory(), OrganisationFactory()
    member = member_of(sender)
    client = client_for(member)
    data = {"to": recipient.slug, "subject": "Partnering", "body": "Shall we talk?"}

    first = post_json(client, "/api/messages/conversations", data)
    again = post_json(client, "/api/messages/conversations", data)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert (Conversation.objects.count(), Message.objects.count()) == (1, 1)
    assert len(racing) == 1
    url = f"/api/messages/conversations/{first.json()['id']}/messages"
    for _ in range(2):
        assert post_json(client, url, {"body": "Friday?"}, key="reply-1").status_code == 201
    assert Message.objects.count() == 2
    assert len(racing) == 2


def test_the_new_message_form_sent_twice_starts_one_conversation() -> None:
    recipient = OrganisationFactory()
    client = client_for(member_of(OrganisationFactory()))
    url = reverse("partnering:start", args=[recipient.slug])
    data = {
        "subject": "Partnering on lot 1",
        "body": "Shall we talk?",
        "submission_key": hidden_key(client.get(url).text),
    }
    first, again = client.post(url, data), client.post(url, data)
    assert (first.status_code, again.status_code) == (302, 302)
    assert first["Location"] == again["Location"]  # both land on the one conversation
    assert (Conversation.objects.count(), Message.objects.count()) == (1, 1)


def test_the_reply_form_sent_twice_sends_once() -> None:
    sender, recipient = OrganisationFactory(), OrganisationFactory()
    member = member_of(sender)
    conversation = messaging.start_conversation(
        member, sender=sender, recipient=recipient, subject="Partnering", body="Hello"
    )
    client = client_for(member)
    url = conversation.get_absolute_url()
    data = {"body": "Are you free on Friday?", "submission_key": hidden_key(client.get(url).text)}
    assert [client.post(url, data).status_code for _ in range(2)] == [302, 302]
    assert list(conversation.messages.values_list("body", flat=True)) == [
        "Hello",
        "Are you free on Friday?",
    ]


# ---------------------------------------------------------------- consultation responses


def test_a_consultation_response_sent_twice_is_stored_once() -> None:
    consultation = open_consultation()
    client = Client()
    url = reverse("engagement:respond", args=[consultation.pk])
    data = {**answers_for(consultation), "submission_key": hidden_key(client.get(url).text)}

    answers = [client.post(url, data) for _ in range(2)]

    assert Response.objects.count() == 1
    # Both are answered with the confirmation of the one response (no session carries it).
    reference = Response.objects.get().reference
    assert [a.status_code for a in answers] == [200, 200]
    assert all(reference in a.content.decode() for a in answers)
    other = {**data, "submission_key": idempotency.new_key()}
    assert client.post(url, other).status_code == 200
    assert Response.objects.count() == 2  # a new form is a new response


def test_racing_consultation_responses_with_one_key_store_one(racing: list[str]) -> None:
    consultation = open_consultation()
    free, choice = consultation.questions.order_by("position")
    submit = {
        "respondent_type": "individual",
        "organisation": None,
        "anonymous": True,
        "answers": {free.pk: "A place to live.", choice.pk: "Both"},
        "submission_key": KEY,
    }
    first = responding.submit_response(None, consultation, **submit)
    second = responding.submit_response(None, consultation, **submit)
    assert second.pk == first.pk
    assert Response.objects.count() == 1
    assert len(racing) == 1


# ---------------------------------------------------------------- natural keys


def test_racing_interest_registrations_make_one_interest(racing: list[str]) -> None:
    opportunity = open_opportunity()
    lot = opportunity.lots.order_by("number").first()
    organisation = OrganisationFactory()
    member = member_of(organisation)
    for note in ("First note.", "Second note."):
        partnering.register_interest(
            member, lot, organisation=organisation, role="prime", note=note
        )
    interest = Interest.objects.get()
    assert interest.note == "Second note."  # the repeat changed the one interest
    assert len(racing) == 1


def test_racing_event_sign_ups_take_one_place(racing: list[str]) -> None:
    event = MarketEventFactory(capacity=5)
    organisation = OrganisationFactory()
    member = member_of(organisation)
    first = events.sign_up(member, event, organisation)
    second = events.sign_up(member, event, organisation)
    assert second.pk == first.pk
    assert EventRegistration.objects.count() == 1
    assert events.places_left(event) == 4
    assert len(racing) == 1
