"""Responding to consultations (CYC-2, USR-1): anonymous responses store no identity; members
respond for their organisation; late responses are refused by the server's clock; the public
sees only suppressed counts; commissioners of the body alone read responses."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.engagement.models import Answer, Consultation, Response
from tests.engagement_factories import ResponseFactory, commissioner_of, open_consultation
from tests.factories import CommissioningBodyFactory, OrganisationFactory, member_of

pytestmark = pytest.mark.django_db


def _answers(consultation: Consultation, **extra: str) -> dict[str, str]:
    free, choice = consultation.questions.order_by("position")
    return {
        f"question_{free.pk}": "Somewhere to live on day one.",
        f"question_{choice.pk}": "Both",
        "respond_as": "lived_experience",
        **extra,
    }


def test_anonymous_person_responds_and_nothing_identifies_them(client: Client) -> None:
    consultation = open_consultation()
    url = reverse("engagement:respond", args=[consultation.pk])
    page = client.get(url).content.decode()
    assert "What we store and who sees it" in page
    response = client.post(url, _answers(consultation))
    assert response.status_code == 200
    saved = Response.objects.get()
    assert saved.is_anonymous and saved.user is None and saved.organisation is None
    assert saved.respondent_type == "lived_experience"
    assert {a.text or a.choice for a in saved.answers.all()} == {
        "Somewhere to live on day one.",
        "Both",
    }
    audit = AuditEvent.objects.get(action="consultation.respond")
    assert audit.actor is None and audit.actor_label == "system"
    # The confirmation is the answer to the POST: no session carries the reference to it.
    confirmation = response.content.decode()
    assert "Response received" in confirmation
    assert f'<strong id="response-reference">{saved.reference}</strong>' in confirmation
    assert "Thank you for responding to “" + consultation.title + "”" in confirmation


def test_signed_in_person_may_respond_anonymously(client: Client) -> None:
    consultation = open_consultation()
    person = member_of(OrganisationFactory())
    client.force_login(person)
    client.post(
        reverse("engagement:respond", args=[consultation.pk]),
        _answers(consultation, anonymous="on"),
    )
    saved = Response.objects.get()
    assert saved.is_anonymous and saved.user is None
    assert AuditEvent.objects.get(action="consultation.respond").actor is None


def test_provider_member_responds_on_behalf_of_their_organisation(client: Client) -> None:
    consultation = open_consultation()
    charity = OrganisationFactory(name="Northside Women's Centre")
    client.force_login(member_of(charity))
    response = client.post(
        reverse("engagement:respond", args=[consultation.pk]),
        _answers(consultation, respond_as=f"org:{charity.pk}"),
    )
    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.organisation == charity and not saved.is_anonymous
    assert saved.respondent_type == "organisation"
    assert saved.user is not None


def test_cannot_respond_for_an_organisation_one_is_not_a_member_of(client: Client) -> None:
    consultation = open_consultation()
    stranger = OrganisationFactory()
    client.force_login(member_of(OrganisationFactory()))
    response = client.post(
        reverse("engagement:respond", args=[consultation.pk]),
        _answers(consultation, respond_as=f"org:{stranger.pk}"),
    )
    assert response.status_code == 200
    assert "respond_as" in response.context["form"].errors
    assert not Response.objects.exists()


def test_missing_answers_show_errors_and_save_nothing(client: Client) -> None:
    consultation = open_consultation()
    free, _ = consultation.questions.order_by("position")
    data = _answers(consultation)
    data[f"question_{free.pk}"] = ""
    response = client.post(reverse("engagement:respond", args=[consultation.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Error: " in page and "Enter an answer to: What support is missing?" in page
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_late_response_is_refused_by_the_server_clock(client: Client) -> None:
    consultation = open_consultation()
    url = reverse("engagement:respond", args=[consultation.pk])
    data = _answers(consultation)
    with time_machine.travel(consultation.closes_at - timedelta(seconds=1), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(consultation.closes_at + timedelta(seconds=1), tick=False):
        response = client.post(url, data)
    assert response.status_code == 409
    assert "This consultation has closed" in response.content.decode()
    assert not Response.objects.exists()


def test_not_yet_open_consultation_refuses_responses(client: Client) -> None:
    consultation = open_consultation(opens_at=timezone.now() + timedelta(days=2))
    response = client.post(
        reverse("engagement:respond", args=[consultation.pk]), _answers(consultation)
    )
    assert response.status_code == 409
    assert not Response.objects.exists()


def test_public_counts_are_suppressed_under_five(client: Client) -> None:
    consultation = open_consultation()
    ResponseFactory.create_batch(3, consultation=consultation)
    ResponseFactory.create_batch(
        6,
        consultation=consultation,
        respondent_type="organisation",
        is_anonymous=False,
        organisation=OrganisationFactory(),
    )
    response = client.get(reverse("engagement:consultation", args=[consultation.pk]))
    counts = dict(response.context["counts"])
    assert counts == {
        "On behalf of an organisation": 6,
        "Person with lived experience": "<5",
        "Other individual": 0,
        "Total": "5 or more",
    }
    page = response.content.decode()
    assert "&lt;5" in page and ">3<" not in page


def test_only_the_bodys_commissioners_read_responses(client: Client) -> None:
    consultation = open_consultation()
    saved = ResponseFactory(consultation=consultation)
    url = reverse("engagement:response", args=[consultation.pk, saved.reference])
    client.force_login(member_of(OrganisationFactory()))
    assert client.get(url).status_code == 403
    client.force_login(member_of(CommissioningBodyFactory(), role=User.Role.COMMISSIONER))
    assert client.get(url).status_code == 403
    client.force_login(commissioner_of(consultation.exercise))
    page = client.get(url).content.decode()
    assert "Anonymous (person with lived experience)" in page


def test_anonymous_response_never_shows_identity_even_when_it_had_an_account(
    client: Client,
) -> None:
    consultation = open_consultation()
    person = member_of(OrganisationFactory(), first_name="Rowan", last_name="Identifiable")
    client.force_login(person)
    client.post(
        reverse("engagement:respond", args=[consultation.pk]),
        _answers(consultation, anonymous="on"),
    )
    client.force_login(commissioner_of(consultation.exercise))
    page = client.get(reverse("engagement:responses", args=[consultation.pk])).content.decode()
    assert "Rowan" not in page and "Identifiable" not in page and person.email not in page


@pytest.mark.parametrize("page", ["engagement:responses", "engagement:response"])
def test_response_pages_follow_the_named_reading_rule(
    client: Client, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    """The response pages ask ``access.can_read_responses`` (USR-1) and nothing else: changing
    that one rule changes who reads responses (issue 12)."""
    from commissioning.engagement import access

    consultation = open_consultation()
    saved = ResponseFactory(consultation=consultation)
    args = (
        [consultation.pk] if page == "engagement:responses" else [consultation.pk, saved.reference]
    )
    url = reverse(page, args=args)
    client.force_login(commissioner_of(consultation.exercise))
    assert client.get(url).status_code == 200
    monkeypatch.setattr(access, "can_read_responses", lambda user, consultation: False)
    assert client.get(url).status_code == 403
    detail = client.get(reverse("engagement:consultation", args=[consultation.pk])).content
    assert b"Read the responses" not in detail


def test_a_signed_in_anonymous_response_leaves_no_session_row_linking_them(
    client: Client,
) -> None:
    """The signed-in person's session holds their user id; it must not also hold the
    reference of the response they chose to give anonymously (USR-1, SUP-5, issue 16)."""
    from django.contrib.sessions.models import Session

    consultation = open_consultation()
    person = member_of(OrganisationFactory())
    client.force_login(person)
    answer = client.post(
        reverse("engagement:respond", args=[consultation.pk]),
        _answers(consultation, anonymous="on"),
    )
    saved = Response.objects.get()
    assert saved.is_anonymous and saved.user is None
    assert answer.status_code == 200 and saved.reference in answer.content.decode()
    rows = [session.get_decoded() for session in Session.objects.all()]
    assert [row for row in rows if str(person.pk) == row.get("_auth_user_id")]
    for row in rows:
        assert saved.reference not in str(row)
        assert "engagement_response_reference" not in row


def _decoded_sessions() -> list[dict[str, object]]:
    from django.contrib.sessions.models import Session

    return [session.get_decoded() for session in Session.objects.all()]


def test_a_signed_out_anonymous_response_leaves_no_session_row_linking_to_it(
    client: Client,
) -> None:
    """A signed-out person's anonymous response is confirmed in the answer to the POST: no
    ``django_session`` row (kept for two weeks) holds its reference (USR-1, SUP-5, issue
    16 item 2)."""
    consultation = open_consultation()
    url = reverse("engagement:respond", args=[consultation.pk])
    client.get(url)
    answer = client.post(url, _answers(consultation))
    saved = Response.objects.get()
    assert saved.is_anonymous and saved.user is None
    for row in _decoded_sessions():
        assert saved.reference not in str(row)
        assert "engagement_response_reference" not in row
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "Response received" in page and saved.reference in page
    # The confirmation address carries nothing either: without a session it shows no reference.
    later = client.get(reverse("engagement:confirmation", args=[consultation.pk]))
    assert saved.reference not in later.content.decode()


def test_honeypot_filled_stores_nothing_and_answers_as_for_a_person(client: Client) -> None:
    """The honeypot's answer looks like a real anonymous response's (bots learn nothing) and,
    like it, writes no session row."""
    consultation = open_consultation()
    url = reverse("engagement:respond", args=[consultation.pk])
    answer = client.post(url, _answers(consultation, website="http://spam.example"))
    assert answer.status_code == 200 and "Response received" in answer.content.decode()
    assert not Response.objects.exists()
    assert all("engagement_response_reference" not in row for row in _decoded_sessions())
