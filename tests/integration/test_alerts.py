"""Alerts and feeds (issue 18 item 1, PRO-6): a provider member subscribes for themselves by
area, specialism and group of people; when an opportunity is published, a consultation opens or
a market event is announced, each matching subscriber is told once (a notification, and an email
if they asked), the item appears in their secret Atom feed and in the public feed of its area —
and nobody subscribed to another area hears of it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.alerts import services as alerts
from commissioning.alerts.items import opportunity_item, published_opportunities
from commissioning.alerts.models import AlertSent, Subscription
from commissioning.engagement import events as engagement_events
from commissioning.engagement import services as engagement
from commissioning.notifications.models import Notification
from commissioning.procurement import services as procurement
from commissioning.procurement.models import Opportunity
from tests.engagement_factories import ConsultationFactory, MarketEventFactory, QuestionFactory
from tests.factories import (
    AreaFactory,
    CohortFactory,
    ExerciseFactory,
    OrganisationFactory,
    SpecialismFactory,
    client_for,
    member_of,
)
from tests.procurement_factories import commissioner_of, ready_opportunity

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _subscribe(user: User, **fields: Any) -> Subscription:
    """Through the page, as a member would; returns the new subscription."""
    data = {"kinds": ["opportunity"], "by_email": "on", **fields}
    response = client_for(user).post(reverse("alerts:new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Subscription.objects.filter(user=user).latest("pk")


def _opportunity_in(area: Any) -> Opportunity:
    opportunity = ready_opportunity(lots=1, title="Women's accommodation support")
    opportunity.lots.get().areas.set([area])
    return opportunity


def _publish(opportunity: Opportunity, capture: Any) -> None:
    with capture(execute=True):
        procurement.publish(commissioner_of(opportunity), opportunity)


def _atom(response: Any) -> ET.Element:
    """The feed, checked for what RFC 4287 requires: a feed with id, title, updated and an
    author; each entry with id, title, updated and a link."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{name}") or "").strip(), name
    assert root.findtext(f"{ATOM}author/{ATOM}name")
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
        assert entry.find(f"{ATOM}link").get("href")  # type: ignore[union-attr]
    return root


def _entries(root: ET.Element) -> list[tuple[str, str]]:
    return [
        (entry.findtext(f"{ATOM}title") or "", entry.find(f"{ATOM}link").get("href") or "")  # type: ignore[union-attr]
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_a_subscriber_to_an_area_is_alerted_once_and_sees_the_entry_and_another_area_is_not(
    django_capture_on_commit_callbacks: Any,
) -> None:
    durham = AreaFactory(name="Durham")
    AreaFactory(name="Cumbria")
    near = member_of(OrganisationFactory(name="Durham Women's Project"))
    far = member_of(OrganisationFactory(name="Cumbria Link"))
    near_alert = _subscribe(near, areas=["durham"])
    far_alert = _subscribe(far, areas=["cumbria"])
    opportunity = _opportunity_in(durham)

    _publish(opportunity, django_capture_on_commit_callbacks)

    title = f"New opportunity: {opportunity.reference}: Women's accommodation support"
    notice = Notification.objects.get(user=near)
    assert notice.subject == title
    assert notice.url == opportunity.get_absolute_url()
    assert notice.kind == "alerts.opportunity"
    assert not Notification.objects.filter(user=far).exists()
    assert [message.to for message in mail.outbox] == [[near.email]]
    email = mail.outbox[0]
    assert email.subject == title
    stop = re.search(r"To stop these emails, visit (\S+)", email.body)
    assert stop and "/alerts/stop-emails/" in stop.group(1)

    # Their own feed, at the secret address, without signing in (a feed reader cannot).
    near_feed = _atom(Client().get(reverse("alerts:feed", args=[near_alert.feed_token])))
    assert _entries(near_feed) == [
        (title, f"http://testserver{opportunity.get_absolute_url()}"),
    ]
    far_feed = _atom(Client().get(reverse("alerts:feed", args=[far_alert.feed_token])))
    assert _entries(far_feed) == []

    # The public feeds of each area.
    durham_feed = _atom(Client().get(reverse("alerts:area_feed", args=["durham", "opportunities"])))
    assert [t for t, _ in _entries(durham_feed)] == [title]
    assert durham_feed.findtext(f"{ATOM}title") == "Opportunities in Durham"
    cumbria_feed = _atom(Client().get("/feeds/areas/cumbria/opportunities.atom"))
    assert _entries(cumbria_feed) == []
    assert Client().get("/feeds/areas/cumbria/tenders.atom").status_code == 404
    assert Client().get("/feeds/areas/nowhere/opportunities.atom").status_code == 404

    # Once: sending again (a second matching alert, or the item saved again) tells nobody.
    _subscribe(near, areas=["durham"], kinds=["opportunity", "event"])
    item = opportunity_item(published_opportunities().get(pk=opportunity.pk))
    assert alerts.send_alerts(item) == 0
    assert Notification.objects.filter(user=near).count() == 1
    assert AlertSent.objects.filter(user=near).count() == 1


def test_no_email_when_the_subscriber_chose_none_and_the_email_link_stops_emails(
    django_capture_on_commit_callbacks: Any,
) -> None:
    area = AreaFactory(name="Northumbria")
    quiet = member_of(OrganisationFactory())
    loud = member_of(OrganisationFactory())
    _subscribe(quiet, areas=["northumbria"], by_email="")
    loud_alert = _subscribe(loud, areas=["northumbria"])

    _publish(_opportunity_in(area), django_capture_on_commit_callbacks)
    assert Notification.objects.filter(user=quiet).count() == 1
    assert [message.to for message in mail.outbox] == [[loud.email]]

    link = re.search(r"visit http://[^/]+(/\S+)", mail.outbox[0].body)
    assert link
    page = Client().get(link.group(1))
    assert page.status_code == 200 and "Stop emails from this alert" in page.text
    done = Client().post(link.group(1))
    assert "This alert will send you no more emails" in done.text
    loud_alert.refresh_from_db()
    assert loud_alert.by_email is False

    mail.outbox.clear()
    _publish(_opportunity_in(area), django_capture_on_commit_callbacks)
    assert Notification.objects.filter(user=loud).count() == 2
    assert mail.outbox == []
    assert Client().get("/alerts/stop-emails/not-a-real-link/").status_code == 404


def test_consultations_and_events_match_by_specialism_and_by_the_people_served(
    django_capture_on_commit_callbacks: Any,
) -> None:
    area = AreaFactory(name="Durham")
    employment = SpecialismFactory(name="Employment")
    accommodation = SpecialismFactory(name="Accommodation")
    women = CohortFactory(name="Women")
    CohortFactory(name="Young adults")
    exercise = ExerciseFactory(areas=[area], service_area=accommodation)
    on_women = member_of(OrganisationFactory())
    on_young = member_of(OrganisationFactory())
    on_jobs = member_of(OrganisationFactory())
    on_housing = member_of(OrganisationFactory())
    for user, extra in (
        (on_women, {"cohorts": ["women"]}),
        (on_young, {"cohorts": ["young-adults"]}),
        (on_jobs, {"specialisms": [employment.slug]}),
        (on_housing, {"specialisms": [accommodation.slug], "areas": ["durham"]}),
    ):
        _subscribe(user, kinds=["consultation", "event"], **extra)

    consultation = ConsultationFactory(
        exercise=exercise, published_at=None, title="Needs of women leaving custody"
    )
    consultation.cohorts.set([women])  # the people it is about, as its commissioner said
    QuestionFactory(consultation=consultation)
    event = MarketEventFactory(
        exercise=exercise, published_at=None, title="Accommodation day for women and young adults"
    )
    commissioner = member_of(exercise.commissioning_body, role=User.Role.COMMISSIONER)
    with django_capture_on_commit_callbacks(execute=True):
        engagement.publish_consultation(commissioner, consultation)
        engagement_events.publish_event(commissioner, event)

    assert list(Notification.objects.filter(user=on_women).values_list("subject", flat=True)) == [
        "New consultation: Needs of women leaving custody"
    ]
    assert not Notification.objects.filter(user__in=[on_young, on_jobs]).exists()
    assert sorted(
        Notification.objects.filter(user=on_housing).values_list("subject", flat=True)
    ) == [
        "New consultation: Needs of women leaving custody",
        "New market engagement event: Accommodation day for women and young adults",
    ]


def test_a_person_manages_only_their_own_alerts_and_can_replace_the_feed_address() -> None:
    owner = member_of(OrganisationFactory())
    other = member_of(OrganisationFactory())
    alert = _subscribe(owner)
    old_feed = reverse("alerts:feed", args=[alert.feed_token])

    page = client_for(owner).get(reverse("alerts:list"))
    assert f"http://testserver{old_feed}" in page.text

    for url in (reverse("alerts:edit", args=[alert.pk]), reverse("alerts:delete", args=[alert.pk])):
        assert client_for(other).get(url).status_code == 404
    assert client_for(other).post(reverse("alerts:renew_feed", args=[alert.pk])).status_code == 404
    assert Client().get(reverse("alerts:list")).status_code == 302  # to sign in

    client_for(owner).post(reverse("alerts:renew_feed", args=[alert.pk]))
    alert.refresh_from_db()
    assert Client().get(old_feed).status_code == 404
    assert Client().get(reverse("alerts:feed", args=[alert.feed_token])).status_code == 200

    client_for(owner).post(reverse("alerts:delete", args=[alert.pk]))
    assert not Subscription.objects.filter(pk=alert.pk).exists()


def test_an_alert_needs_something_to_hear_about_and_known_areas() -> None:
    user = member_of(OrganisationFactory())
    response = client_for(user).post(reverse("alerts:new"), {"kinds": [], "areas": ["atlantis"]})
    assert response.status_code == 200
    assert "Select at least one of opportunities, consultations or events" in response.text
    assert "“atlantis” is not an area on the list" in response.text
    assert not Subscription.objects.exists()


def test_only_published_opportunities_reach_a_feed() -> None:
    area = AreaFactory(name="Durham")
    _opportunity_in(area)  # a draft
    feed = _atom(Client().get("/feeds/areas/durham/opportunities.atom"))
    assert _entries(feed) == []
