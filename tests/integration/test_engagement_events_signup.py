"""Signing up to market engagement events (CYC-3: open sign-up; USR-1): signed-in members of an
organisation take a place at a published, upcoming event for one of their organisations, up to
its number of places, and give it up before it starts; only the body's commissioners see who is
coming; each action has its audit record."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import Membership
from commissioning.audit.models import AuditEvent
from commissioning.engagement.models import EventRegistration, MarketEvent
from tests.engagement_factories import MarketEventFactory, commissioner_of
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    client_for,
    member_of,
)

pytestmark = pytest.mark.django_db

EMAIL = "pat.attendee@womens-centre.example"


def page(client: Client, event: MarketEvent) -> str:
    response = client.get(reverse("engagement:event", args=[event.pk]))
    assert response.status_code == 200
    return str(response.content.decode())


def sign_up_url(event: MarketEvent) -> str:
    return reverse("engagement:event-sign-up", args=[event.pk])


def cancel_url(event: MarketEvent) -> str:
    return reverse("engagement:event-cancel-sign-up", args=[event.pk])


def test_a_member_signs_up_and_the_commissioner_sees_who_is_coming() -> None:
    event = MarketEventFactory(capacity=30)
    organisation = OrganisationFactory(name="Tyneside Women's Centre")
    member = member_of(organisation, email=EMAIL, first_name="Pat", last_name="Attendee")
    client = client_for(member)
    assert sign_up_url(event) in page(client, event)

    response = client.post(sign_up_url(event))

    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    registration = EventRegistration.objects.get()
    assert (registration.user, registration.organisation) == (member, organisation)
    mine = page(client, event)
    assert "You have a place, for Tyneside Women" in mine and "29 of 30 left" in mine
    assert EMAIL not in mine  # the attendee list is not for attendees
    audit = AuditEvent.objects.get(action="market_event.sign_up")
    assert audit.actor == member
    commissioner_page = page(client_for(commissioner_of(event.exercise)), event)
    assert "Who is coming (1)" in commissioner_page
    assert EMAIL in commissioner_page and "Pat Attendee" in commissioner_page
    public = page(Client(), event)
    assert EMAIL not in public and "Pat Attendee" not in public


def test_a_member_of_several_organisations_chooses_one() -> None:
    event = MarketEventFactory()
    first, second = OrganisationFactory(), OrganisationFactory()
    member = member_of(first)
    MembershipFactory(user=member, organisation=second)
    client = client_for(member)

    missing = client.post(sign_up_url(event), {})
    assert missing.status_code == 200
    assert "Select the organisation you are attending for" in missing.content.decode()
    assert "<title>Error:" in missing.content.decode()
    assert not EventRegistration.objects.exists()

    client.post(sign_up_url(event), {"organisation": str(second.pk)})
    assert EventRegistration.objects.get().organisation == second


def test_who_may_sign_up() -> None:
    event = MarketEventFactory()
    anonymous = Client().get(sign_up_url(event))
    assert anonymous.status_code == 302 and "/account/sign-in/" in anonymous["Location"]
    assert "Sign in</a> to sign up" in page(Client(), event)
    no_organisation = UserFactory()
    assert client_for(no_organisation).post(sign_up_url(event)).status_code == 403
    pending = UserFactory()
    MembershipFactory(
        user=pending, organisation=OrganisationFactory(), status=Membership.Status.PENDING
    )
    assert client_for(pending).post(sign_up_url(event)).status_code == 403
    # The body running the event does not sign up to it.
    commissioner = commissioner_of(event.exercise)
    assert client_for(commissioner).post(sign_up_url(event)).status_code == 403
    draft = MarketEventFactory(published_at=None)
    member = member_of(OrganisationFactory())
    assert client_for(member).post(sign_up_url(draft)).status_code == 404
    assert not EventRegistration.objects.exists()


def test_places_run_out_and_a_cancelled_place_is_free_again() -> None:
    event = MarketEventFactory(capacity=1)
    first = member_of(OrganisationFactory())
    second = member_of(OrganisationFactory())
    client_for(first).post(sign_up_url(event))

    assert "This event is full" in page(client_for(second), event)
    refused = client_for(second).post(sign_up_url(event))
    assert refused.status_code == 200 and "This event is full" in refused.content.decode()
    assert EventRegistration.objects.count() == 1

    cancelled = client_for(first).post(cancel_url(event))
    assert cancelled.status_code == 302
    assert not EventRegistration.objects.filter(user=first).exists()
    assert AuditEvent.objects.filter(action="market_event.cancel_sign_up").count() == 1
    client_for(second).post(sign_up_url(event))
    assert EventRegistration.objects.get().user == second


def test_signing_up_twice_keeps_one_place() -> None:
    event = MarketEventFactory()
    member = member_of(OrganisationFactory())
    client = client_for(member)
    client.post(sign_up_url(event))
    again = client.post(sign_up_url(event))
    assert again.status_code == 302
    assert EventRegistration.objects.count() == 1


def test_sign_up_and_cancelling_close_when_the_event_starts() -> None:
    event = MarketEventFactory()
    member = member_of(OrganisationFactory())
    latecomer = member_of(OrganisationFactory())
    client_for(member).post(sign_up_url(event))
    with time_machine.travel(event.starts_at + timedelta(minutes=5), tick=False):
        late = client_for(latecomer).post(sign_up_url(event))
        assert "sign-up has closed" in late.content.decode()
        client = client_for(member)
        assert "Cancel my place" not in page(client, event)
        client.post(cancel_url(event))
    assert list(EventRegistration.objects.values_list("user", flat=True)) == [member.pk]


def _event_form(day: date, **extra: Any) -> dict[str, str]:
    return {
        "title": "Market place event",
        "starts_on_0": str(day.day),
        "starts_on_1": str(day.month),
        "starts_on_2": str(day.year),
        "start_time": "10:00",
        "is_online": "True",
        "location": "https://meet.example/abc",
        "audience": "Voluntary organisations",
        "agenda": "The need; questions.",
        **extra,
    }


def test_the_commissioner_sets_the_number_of_places() -> None:
    event = MarketEventFactory()
    client = client_for(commissioner_of(event.exercise))
    day = date.today() + timedelta(days=30)
    url = reverse("engagement:event-edit", args=[event.pk])

    bad = client.post(url, _event_form(day, capacity="forty"))
    assert "Enter the number of places as a whole number" in bad.content.decode()
    client.post(url, _event_form(day, capacity="40"))
    event.refresh_from_db()
    assert event.capacity == 40
    client.post(url, _event_form(day, capacity=""))
    event.refresh_from_db()
    assert event.capacity is None
    assert "No limit" in page(client, event)
