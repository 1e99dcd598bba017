"""Escalations (REF-2) are never public: outsiders, the public, another body's practitioners and
site administrators get 404 on every page and API read; providers raise only under contracts they
deliver; only the body's probation practitioners acknowledge and respond, each one transaction
with its audit record."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from commissioning.audit.models import AuditEvent
from commissioning.escalations import services
from commissioning.escalations.models import Escalation
from commissioning.notifications.models import Notification
from tests.factories import client_for
from tests.integration.escalations_setup import Cast, cast, raise_one

pytestmark = pytest.mark.django_db


@pytest.fixture
def c() -> Cast:
    return cast()


def _pages(escalation: Escalation, c: Cast) -> list[str]:
    return [
        escalation.get_absolute_url(),
        reverse("escalations:organisation", args=[c.subcontractor.slug]),
        reverse("escalations:body", args=[c.probation_body.slug]),
        reverse("escalations:record", args=[c.probation_body.slug]),
    ]


def test_outsiders_get_404_everywhere_and_the_public_is_sent_to_sign_in(c: Cast) -> None:
    escalation = raise_one(c)
    for user in (c.outsider, c.other_probation, c.site_admin, c.prime_member):
        client = client_for(user)
        for url in _pages(escalation, c):
            if user == c.prime_member and url.endswith(f"/organisation/{c.subcontractor.slug}/"):
                continue
            assert client.get(url).status_code == 404, (user.username, url)
        assert client.get(f"/api/escalations/{escalation.pk}").status_code == 404
        assert client.get("/api/escalations").json()["count"] == 0
    anonymous = Client()
    for url in _pages(escalation, c):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"]
    assert anonymous.get("/api/escalations").status_code == 401
    # The escalation text appears on no public page.
    assert "new address" not in anonymous.get(c.contract.get_absolute_url()).text


def test_the_raiser_and_the_bodys_practitioner_read_it(c: Cast) -> None:
    escalation = raise_one(c)
    for user in (c.sub_member, c.probation):
        response = client_for(user).get(escalation.get_absolute_url())
        assert response.status_code == 200
        assert "new address" in response.text
    assert client_for(c.probation).get("/api/escalations").json()["count"] == 1
    # The probation service's other staff see its record, not the escalation itself.
    manager = client_for(c.probation_manager)
    record_url = reverse("escalations:record", args=[c.probation_body.slug])
    assert manager.get(record_url).status_code == 200
    assert manager.get(escalation.get_absolute_url()).status_code == 404


def test_only_delivering_organisations_raise(c: Cast) -> None:
    url = reverse("escalations:raise", args=[c.contract.reference])
    assert client_for(c.outsider).get(url).status_code == 403
    assert client_for(c.probation).get(url).status_code == 403
    page = client_for(c.prime_member).get(url)
    assert page.status_code == 200
    assert "Working hours are 9am to 5pm" in page.text
    assert "Do not include names, dates of birth or addresses" in page.text
    with pytest.raises(PermissionDenied):
        raise_one(c, by=c.outsider)
    # The contract page offers the link to those who may raise, and to nobody else.
    assert "Raise an escalation" in client_for(c.sub_member).get(c.contract.get_absolute_url()).text
    assert "Raise an escalation" not in Client().get(c.contract.get_absolute_url()).text


def test_raising_through_the_form_sets_the_deadlines_and_audits(c: Cast) -> None:
    client = client_for(c.sub_member)
    url = reverse("escalations:raise", args=[c.contract.reference])
    page = client.get(url).text
    key = page.split('name="submission_key" value="')[1].split('"')[0]
    data = {
        "organisation": c.subcontractor.pk,
        "category": "risk_of_serious_harm",
        "urgency": "immediate",
        "what_happened": "Made threats against a former partner at the hostel.",
        "occurred_on_0": "1",
        "occurred_on_1": "6",
        "occurred_on_2": "2026",
        "occurred_time": "10:15",
        "submission_key": key,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    client.post(url, data)  # pressed twice: one escalation
    escalation = Escalation.objects.get()
    assert escalation.raised_by == c.sub_member
    assert escalation.respond_by - escalation.raised_at == __import__("datetime").timedelta(hours=4)
    event = AuditEvent.objects.get(action="escalation.raise")
    assert event.actor == c.sub_member
    assert "Made threats" not in str(event.changes)


def test_the_form_refuses_a_future_time_and_names_the_field(c: Cast) -> None:
    client = client_for(c.sub_member)
    url = reverse("escalations:raise", args=[c.contract.reference])
    data = {
        "organisation": c.subcontractor.pk,
        "category": "disengagement",
        "urgency": "three_days",
        "what_happened": "Did not attend.",
        "occurred_on_0": "1",
        "occurred_on_1": "6",
        "occurred_on_2": "2099",
        "occurred_time": "10:15",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "When it happened must be now or in the past" in response.text
    assert not Escalation.objects.exists()


def test_probation_acknowledges_then_responds_each_audited(c: Cast) -> None:
    escalation = raise_one(c)
    with pytest.raises(PermissionDenied):
        services.acknowledge(c.sub_member, escalation)
    with pytest.raises(PermissionDenied):
        services.acknowledge(c.other_probation, escalation)
    client = client_for(c.probation)
    assert client.post(reverse("escalations:acknowledge", args=[escalation.pk])).status_code == 302
    response = client.post(reverse("escalations:respond", args=[escalation.pk]), {"response": ""})
    assert "Enter your response to the provider" in response.text
    client.post(
        reverse("escalations:respond", args=[escalation.pk]),
        {"response": "Licence recall considered; offender manager will call you today."},
    )
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.RESPONDED
    assert escalation.acknowledged_by == escalation.responded_by == c.probation
    actions = list(
        AuditEvent.objects.filter(target_id=str(escalation.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["escalation.acknowledge", "escalation.raise", "escalation.respond"]
    with pytest.raises(ValidationError, match="already been responded"):
        services.respond(c.probation, escalation, "Again")


def test_the_api_refuses_what_the_forms_refuse(c: Cast) -> None:
    escalation = raise_one(c)
    provider = client_for(c.sub_member)
    response = provider.post(f"/api/escalations/{escalation.pk}/acknowledge")
    assert response.status_code == 403
    assert set(response.json()) == {"detail", "errors"}
    probation = client_for(c.probation)
    response = probation.post(
        f"/api/escalations/{escalation.pk}/respond",
        {"response": " "},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"response": ["Enter your response to the provider"]}
    body: dict[str, Any] = {
        "contract": c.contract.reference,
        "category": "no_such_thing",
        "urgency": "immediate",
        "what_happened": "",
        "occurred_at": "2026-06-01T10:00:00+01:00",
    }
    response = provider.post("/api/escalations", body, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"category", "what_happened"}


def test_probation_is_told_of_a_new_escalation_and_the_raiser_of_the_response(c: Cast) -> None:
    escalation = raise_one(c, urgency=Escalation.Urgency.IMMEDIATE)
    told = Notification.objects.get(kind="escalation.raised")
    assert told.user == c.probation
    assert told.url == escalation.get_absolute_url()
    assert escalation.what_happened not in told.body + told.subject
    assert not Notification.objects.filter(user=c.other_probation).exists()
    services.respond(c.probation, escalation, "Police informed; we will call you.")
    answered = Notification.objects.get(kind="escalation.responded")
    assert answered.user == c.sub_member
    assert "Police informed" not in answered.body


def test_the_api_lists_by_status_and_a_retry_raises_once(c: Cast) -> None:
    answered = raise_one(c)
    services.respond(c.probation, answered, "Seen.")
    provider = client_for(c.sub_member)
    body = {
        "contract": c.contract.reference,
        "category": "disengagement",
        "urgency": "three_days",
        "what_happened": "Case 88: missed two sessions.",
        "occurred_at": "2026-06-01T10:00:00+01:00",
    }
    first = provider.post(
        "/api/escalations", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    again = provider.post(
        "/api/escalations", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    probation = client_for(c.probation)
    waiting = probation.get("/api/escalations?status=raised").json()
    assert [e["reference"] for e in waiting["results"]] == [first.json()["reference"]]
    assert waiting["results"][0]["acknowledgement"]["within_target"] is None
    done = probation.get("/api/escalations?status=responded").json()["results"]
    assert [e["id"] for e in done] == [answered.pk]
    assert done[0]["response"]["within_target"] is True
    assert probation.get("/api/escalations?status=lost").status_code == 422
