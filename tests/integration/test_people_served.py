"""The groups of people an opportunity, a consultation or a market engagement event serves
(issue 18, PRO-6, USR-1): the commissioner picks them from the vocabulary alerts use, the public
page and the API show them, and an alert for a group matches on them — not on the word appearing
in the text."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.alerts.models import Subscription
from commissioning.audit.models import AuditEvent
from commissioning.engagement import events as engagement_events
from commissioning.engagement import services as engagement
from commissioning.engagement.models import Consultation, MarketEvent
from commissioning.notifications.models import Notification
from commissioning.procurement import services as procurement
from commissioning.procurement.models import Opportunity
from tests.engagement_factories import QuestionFactory
from tests.factories import (
    AreaFactory,
    CohortFactory,
    ExerciseFactory,
    OrganisationFactory,
    client_for,
    member_of,
)
from tests.procurement_factories import commissioner_of, ready_opportunity

pytestmark = pytest.mark.django_db


def _subscribe(user: User, **fields: Any) -> Subscription:
    data = {"kinds": ["opportunity"], **fields}
    response = client_for(user).post(reverse("alerts:new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Subscription.objects.filter(user=user).latest("pk")


def _subjects(user: User) -> list[str]:
    return sorted(Notification.objects.filter(user=user).values_list("subject", flat=True))


def test_a_group_is_alerted_for_an_opportunity_tagged_with_it_not_one_naming_the_word(
    django_capture_on_commit_callbacks: Any,
) -> None:
    women = CohortFactory(name="Women")
    CohortFactory(name="Young adults")
    for_women = member_of(OrganisationFactory())
    for_young = member_of(OrganisationFactory())
    _subscribe(for_women, cohorts=["women"])
    _subscribe(for_young, cohorts=["young-adults"])
    tagged = ready_opportunity(title="Accommodation support after release")
    tagged.cohorts.set([women])
    mentions = ready_opportunity(
        title="Women's accommodation support", description="For women and young adults."
    )

    with django_capture_on_commit_callbacks(execute=True):
        for opportunity in (tagged, mentions):
            procurement.publish(commissioner_of(opportunity), opportunity)

    assert _subjects(for_women) == [
        f"New opportunity: {tagged.reference}: Accommodation support after release"
    ]
    assert _subjects(for_young) == []
    feed = client_for(None).get(
        reverse("alerts:feed", args=[Subscription.objects.get(user=for_women).feed_token])
    )
    assert tagged.reference in feed.content.decode()
    assert mentions.reference not in feed.content.decode()


def test_the_commissioner_says_who_is_served_and_the_page_and_api_show_it() -> None:
    CohortFactory(name="Women")
    CohortFactory(name="Care leavers")
    draft = ready_opportunity()
    client = client_for(commissioner_of(draft))
    page = client.get(reverse("procurement:edit", args=[draft.reference])).content.decode()
    assert re.search(r'name="cohorts"[^>]*value="care-leavers"', page)

    refused = client.post(
        reverse("procurement:edit", args=[draft.reference]),
        {"title": draft.title, "response_working_days": 5, "cohorts": ["pensioners"]},
    )
    assert refused.status_code == 200
    assert "“pensioners” is not a group of people on the list" in refused.content.decode()
    assert list(draft.cohorts.all()) == []

    saved = client.post(
        reverse("procurement:edit", args=[draft.reference]),
        {"title": draft.title, "response_working_days": 5, "cohorts": ["women", "care-leavers"]},
    )
    assert saved.status_code == 302
    assert sorted(draft.cohorts.values_list("slug", flat=True)) == ["care-leavers", "women"]
    change = AuditEvent.objects.filter(action="opportunity.update").latest("pk")
    assert change.changes["cohorts"] == {"from": [], "to": ["Care leavers", "Women"]}

    published = ready_opportunity()
    published.cohorts.set(draft.cohorts.all())
    procurement.publish(commissioner_of(published), published)
    public = Client().get(published.get_absolute_url()).content.decode()
    assert "People served" in public and "Care leavers; Women" in public
    body = Client().get(f"/api/opportunities/{published.reference}").json()
    assert body["people_served"] == [
        {"slug": "care-leavers", "name": "Care leavers"},
        {"slug": "women", "name": "Women"},
    ]


def test_creating_an_opportunity_records_the_people_served() -> None:
    CohortFactory(name="Women")
    exercise = ExerciseFactory()
    client = client_for(member_of(exercise.commissioning_body, role=User.Role.COMMISSIONER))
    response = client.post(
        reverse("procurement:create", args=[exercise.reference]),
        {"title": "Women's centres", "response_working_days": 5, "cohorts": ["women"]},
    )
    assert response.status_code == 302
    opportunity = Opportunity.objects.get(title="Women's centres")
    assert list(opportunity.cohorts.values_list("slug", flat=True)) == ["women"]


def _dated(prefix: str, day: date) -> dict[str, str]:
    parts = (day.day, day.month, day.year)
    return {f"{prefix}_{index}": str(part) for index, part in enumerate(parts)}


def test_consultations_and_events_carry_the_people_they_are_about(
    django_capture_on_commit_callbacks: Any,
) -> None:
    CohortFactory(name="Women")
    CohortFactory(name="Young adults")
    exercise = ExerciseFactory(areas=[AreaFactory(name="Durham")])
    commissioner = member_of(exercise.commissioning_body, role=User.Role.COMMISSIONER)
    for_women = member_of(OrganisationFactory())
    _subscribe(for_women, kinds=["consultation", "event"], cohorts=["women"])
    client = client_for(commissioner)
    today = timezone.localdate()
    consulted = client.post(
        reverse("engagement:consultation-create", args=[exercise.reference]),
        {
            "title": "Women leaving custody",
            "purpose": "What helps women on the first day out.",
            **_dated("opens_on", today),
            **_dated("closes_on", today + timedelta(days=28)),
            "cohorts": ["young-adults"],
        },
    )
    assert consulted.status_code == 302, consulted.content.decode()[:3000]
    consultation = Consultation.objects.get(exercise=exercise)
    QuestionFactory(consultation=consultation)
    announced = client.post(
        reverse("engagement:event-create", args=[exercise.reference]),
        {
            "title": "Market day",
            **_dated("starts_on", today + timedelta(days=10)),
            "start_time": "14:30",
            "is_online": "False",
            "location": "Civic Centre, Newcastle",
            "audience": "Local voluntary organisations",
            "agenda": "The need; the draft lots; questions.",
            "cohorts": ["women"],
        },
    )
    assert announced.status_code == 302, announced.content.decode()[:3000]
    event = MarketEvent.objects.get(exercise=exercise)
    assert list(event.cohorts.values_list("slug", flat=True)) == ["women"]

    with django_capture_on_commit_callbacks(execute=True):
        engagement.publish_consultation(commissioner, consultation)
        engagement_events.publish_event(commissioner, event)

    assert _subjects(for_women) == ["New market engagement event: Market day"]
    page = Client().get(consultation.get_absolute_url()).content.decode()
    assert "People served" in page and "Young adults" in page
    assert "Women" in Client().get(event.get_absolute_url()).content.decode()
    edit = client.get(reverse("engagement:event-edit", args=[event.pk])).content.decode()
    assert re.search(r'value="women"\s*checked', edit)
