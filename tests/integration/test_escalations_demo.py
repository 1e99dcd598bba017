"""The demo's synthetic escalations (REF-2): several for every demo contract, every one labelled
synthetic, one answered late (on the record of the probation service serving the demo
commissioner's contracts, where the demo probation practitioner, a member of that service only,
sees it), one still waiting and not yet due; replaced with the contracts."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from commissioning.contracts.models import Contract
from commissioning.demo.contracts import load_demo_contracts
from commissioning.demo.escalations import PER_CONTRACT, load_demo_escalations
from commissioning.demo.services import load_market
from commissioning.demo.users import DEMO_PASSWORD, create_demo_users, demo_organisations
from commissioning.escalations import queries
from commissioning.escalations.models import Escalation
from commissioning_analytics.market.synthetic import generate_market
from commissioning_analytics.timelines.working_days import LONDON

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 2, 11, 0, tzinfo=LONDON)


def _demo_client(username: str) -> Client:
    client = Client()
    # axes' backend needs the request a sign-in comes with.
    assert client.login(
        request=RequestFactory().get("/"), username=username, password=DEMO_PASSWORD
    )
    return client


def test_the_demo_tells_of_one_late_answer() -> None:
    load_market(generate_market(2026, 0.05), replace=False)
    contracts = load_demo_contracts(seed=2026)
    made = load_demo_escalations(seed=2026, now=NOW)
    assert len(made) == PER_CONTRACT * len(contracts) + 1
    assert all(e.is_synthetic and e.what_happened.startswith("Synthetic example.") for e in made)
    for contract in contracts:
        assert contract.escalations.count() >= PER_CONTRACT
    service = demo_organisations()["probation"]
    assert service.public_body_kind == "prison_probation"
    record = queries.body_record(service, NOW)
    assert [item.response.text for item in record.late] == ["Late by 21 hours 40 minutes"]
    waiting = Escalation.objects.get(status=Escalation.Status.RAISED)
    assert waiting.respond_by > NOW
    create_demo_users()
    probation = _demo_client("probation")
    page = probation.get(reverse("escalations:record", args=[service.slug]))
    assert "Late by 21 hours 40 minutes" in page.text and "Synthetic" in page.text
    # They see and answer the escalations under the contracts their service serves, all of them
    # the PCC's here, and no others.
    listed = probation.get("/api/escalations", {"page_size": 100}).json()
    home = Escalation.objects.filter(contract__commissioning_body=demo_organisations()["pcc"])
    assert listed["count"] == home.count() > 0
    assert {e["probation_bodies"][0] for e in listed["results"]} == {service.slug}
    answered = probation.post(f"/api/escalations/{waiting.pk}/acknowledge")
    assert answered.status_code == 200 and answered.json()["status"] == "acknowledged"
    # Replacing the contracts replaces their escalations.
    load_demo_contracts(seed=2026)
    assert not Escalation.objects.exclude(contract__in=Contract.objects.all()).exists()
    assert Escalation.objects.count() == 0
