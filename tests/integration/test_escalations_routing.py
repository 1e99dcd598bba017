"""Escalations go to the probation body that serves the contract (REF-2, issue 14 item 2): the
probation service of the region the contract's lot lies in sees, acknowledges and answers them,
and its record counts them; another region's service, and the contract's commissioner (a police
and crime commissioner, even its probation-role members), do not."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from commissioning.contracts.probation import contracts_served_by, probation_bodies_serving
from commissioning.directory.models import Area, Organisation
from commissioning.escalations import queries, services
from commissioning.escalations.models import Escalation
from commissioning.notifications.models import Notification
from commissioning_analytics.timelines.working_days import LONDON
from tests.contract_factories import contract_with_parties
from tests.factories import AreaFactory, CommissioningBodyFactory, client_for, member_of
from tests.integration.escalations_setup import Cast, cast, raise_one

pytestmark = pytest.mark.django_db

RAISED = datetime(2026, 6, 1, 10, 0, tzinfo=LONDON)  # a Monday
ACKNOWLEDGED = datetime(2026, 6, 1, 11, 0, tzinfo=LONDON)
RESPONDED = datetime(2026, 6, 1, 15, 0, tzinfo=LONDON)


@pytest.fixture
def c() -> Cast:
    return cast()


def test_the_serving_regions_practitioner_sees_and_answers_it(c: Cast) -> None:
    escalation = raise_one(c, urgency=Escalation.Urgency.SAME_DAY)
    probation = client_for(c.probation)
    assert probation.get(escalation.get_absolute_url()).status_code == 200
    body_page = probation.get(reverse("escalations:body", args=[c.probation_body.slug]))
    assert escalation.reference in body_page.text
    listed = probation.get("/api/escalations").json()
    assert [e["reference"] for e in listed["results"]] == [escalation.reference]
    assert listed["results"][0]["probation_bodies"] == [c.probation_body.slug]
    assert probation.post(f"/api/escalations/{escalation.pk}/acknowledge").status_code == 200
    answered = probation.post(
        f"/api/escalations/{escalation.pk}/respond",
        {"response": "Offender manager informed."},
        content_type="application/json",
    )
    assert answered.status_code == 200 and answered.json()["status"] == "responded"
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == escalation.responded_by == c.probation
    # The provider is told who is answering: the serving service, not the commissioner.
    raise_page = client_for(c.sub_member).get(
        reverse("escalations:raise", args=[c.contract.reference])
    )
    assert f"Tell {c.probation_body.name} about" in raise_page.text
    detail = client_for(c.sub_member).get(escalation.get_absolute_url()).text
    assert c.probation_body.name in detail


def test_another_region_and_the_commissioning_pcc_are_refused(c: Cast) -> None:
    escalation = raise_one(c)
    for user in (c.other_probation, c.pcc_probation, c.commissioner):
        client = client_for(user)
        assert client.get(escalation.get_absolute_url()).status_code == 404, user.username
        assert client.get("/api/escalations").json()["count"] == 0
        refused = client.post(f"/api/escalations/{escalation.pk}/acknowledge")
        assert refused.status_code == 404 and set(refused.json()) == {"detail", "errors"}
        with pytest.raises(PermissionDenied):
            services.acknowledge(user, escalation)
        with pytest.raises(PermissionDenied):
            services.respond(user, escalation, "Not ours to answer.")
    other_body_page = reverse("escalations:body", args=[c.other_probation_body.slug])
    assert escalation.reference not in client_for(c.other_probation).get(other_body_page).text
    # The commissioning PCC has no escalation list or record of its own.
    pcc = c.contract.commissioning_body
    for name in ("escalations:body", "escalations:record"):
        url = reverse(name, args=[pcc.slug])
        assert client_for(c.pcc_probation).get(url).status_code == 404
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.RAISED
    assert escalation.acknowledged_by is None


def test_each_probation_areas_record_counts_it_for_the_serving_region(c: Cast) -> None:
    escalation = raise_one(c, at=RAISED, urgency=Escalation.Urgency.SAME_DAY)
    services.acknowledge(c.probation, escalation, now=ACKNOWLEDGED)
    services.respond(c.probation, escalation, "Done.", now=RESPONDED)
    now = datetime(2026, 6, 30, 12, 0, tzinfo=LONDON)
    served = queries.body_record(c.probation_body, now)
    assert served.overall.raised == 1
    assert served.overall.acknowledge_counts == "1 of 1"
    assert served.overall.respond_counts == "1 of 1"
    assert served.overall.acknowledge_median == "1 hour"
    for elsewhere in (c.other_probation_body, c.contract.commissioning_body):
        record = queries.body_record(elsewhere, now)
        assert record.overall.raised == 0 and record.overall.acknowledge_counts == "0 of 0"
        assert not queries.for_body(elsewhere).exists()
    page = client_for(c.probation_manager).get(
        reverse("escalations:record", args=[c.probation_body.slug])
    )
    assert "100% (1 of 1)" in page.text


def test_the_practitioners_of_the_serving_region_are_notified(c: Cast) -> None:
    raise_one(c)
    told = set(Notification.objects.filter(kind="escalation.raised").values_list("user", flat=True))
    assert told == {c.probation.pk}


def test_a_contract_no_probation_body_serves_cannot_have_escalations() -> None:
    contract = contract_with_parties()
    worker = member_of(contract.prime)
    with pytest.raises(ValidationError) as refused:
        services.raise_escalation(
            worker,
            contract,
            organisation=contract.prime,
            category=Escalation.Category.DISENGAGEMENT,
            urgency=Escalation.Urgency.THREE_DAYS,
            what_happened="Missed two sessions.",
            occurred_at=RAISED,
            now=RESPONDED,
        )
    assert refused.value.message_dict["__all__"] == [services.NO_PROBATION_BODY]
    assert not Escalation.objects.exists()
    response = client_for(worker).post(
        "/api/escalations",
        {
            "contract": contract.reference,
            "category": "disengagement",
            "urgency": "three_days",
            "what_happened": "Missed two sessions.",
            "occurred_at": "2026-06-01T10:00:00+01:00",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == services.NO_PROBATION_BODY
    assert Client().get("/api/escalations").status_code == 401


def test_which_probation_bodies_serve_a_contract_both_ways() -> None:
    region = AreaFactory(name="Yorkshire", kind=Area.Kind.PROBATION_REGION)
    force_area = AreaFactory(name="West Yorkshire", parent=region)
    contract = contract_with_parties()
    contract.lot.areas.add(force_area)

    def probation(name: str, *areas: Area) -> Organisation:
        return CommissioningBodyFactory(
            name=name,
            public_body_kind=Organisation.PublicBodyKind.PRISON_PROBATION,
            areas=list(areas),
        )

    by_region = probation("Probation Service Yorkshire", region)
    by_force_area = probation("West Yorkshire probation delivery unit", force_area)
    elsewhere = probation("Probation Service Wales", AreaFactory(name="Dyfed-Powys"))
    pcc_in_area = CommissioningBodyFactory(areas=[force_area])
    assert set(probation_bodies_serving(contract)) == {by_region, by_force_area}
    for body in (by_region, by_force_area):
        assert list(contracts_served_by(body)) == [contract]
    for body in (elsewhere, pcc_in_area, contract.commissioning_body):
        assert not contracts_served_by(body).exists()
    # A probation body that lets a contract itself serves it, wherever its lot lies.
    hmpps = probation("HM Prison and Probation Service")
    national = contract_with_parties(commissioning_body=hmpps)
    assert list(probation_bodies_serving(national)) == [hmpps]
    assert list(contracts_served_by(hmpps)) == [national]
