"""Staff expected to transfer under TUPE (PRO-10): the commissioner lists them on a draft, and
bidders see the estimate of the liability with its assumptions on the published opportunity."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commissioning.audit.models import AuditEvent
from commissioning.procurement.models import Lot, TransferringStaff
from tests.factories import OrganisationFactory, client_for, member_of
from tests.procurement_factories import (
    DraftOpportunityFactory,
    commissioner_of,
    open_opportunity,
)

pytestmark = pytest.mark.django_db

CASEWORKERS = {
    "role": "Caseworker",
    "headcount": "3",
    "annual_salary": "30000",
    "weekly_hours": "37.5",
    "pension": "defined_benefit",
    "employer_pension_percent": "20",
    "years_of_service": "10",
    "age": "45",
}


def test_the_commissioner_adds_staff_to_a_draft_and_a_repeat_adds_one_row() -> None:
    opportunity = DraftOpportunityFactory()
    client = client_for(commissioner_of(opportunity))
    url = reverse("procurement:tupe-staff-add", args=[opportunity.reference])
    assert client.get(url).status_code == 200
    data = {**CASEWORKERS, "submission_key": "k" * 32}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    row = TransferringStaff.objects.get()
    assert (row.role, row.headcount, row.age) == ("Caseworker", 3, 45)
    assert AuditEvent.objects.filter(action="transferring_staff.create").count() == 1

    refused = client.post(url, {**CASEWORKERS, "pension": "none"})
    assert refused.status_code == 200
    assert "Enter 0 for the employer" in refused.content.decode()
    assert TransferringStaff.objects.count() == 1

    remove = reverse("procurement:tupe-staff-remove", args=[opportunity.reference, row.pk])
    assert client.post(remove).status_code == 302
    assert not TransferringStaff.objects.exists()


def test_a_bidder_cannot_add_staff_and_a_published_opportunity_cannot_change() -> None:
    opportunity = open_opportunity()
    bidder = client_for(member_of(OrganisationFactory()))
    url = reverse("procurement:tupe-staff-add", args=[opportunity.reference])
    assert bidder.post(url, CASEWORKERS).status_code == 403
    response = client_for(commissioner_of(opportunity)).post(url, CASEWORKERS)
    assert (
        response.status_code == 200 and "Only a draft can be changed" in response.content.decode()
    )
    assert not TransferringStaff.objects.exists()


def test_bidders_see_the_estimate_with_its_assumptions() -> None:
    opportunity = open_opportunity()
    Lot.objects.filter(opportunity=opportunity).update(duration_months=36)
    TransferringStaff.objects.create(
        opportunity=opportunity,
        role="Caseworker",
        headcount=3,
        annual_salary=30000,
        weekly_hours=37.5,
        pension="defined_benefit",
        employer_pension_percent=20,
        years_of_service=10,
        age=45,
    )
    bidder = client_for(member_of(OrganisationFactory()))
    html = bidder.get(opportunity.get_absolute_url()).content.decode()
    assert "Staff expected to transfer (TUPE)" in html
    # 3 × (30,000 + 3,750 NI + 6,000 pension); pension 18,000 × 3 years; redundancy
    # 16.5 weeks × 30,000 / 52 × 3.
    assert "£119,250.00" in html
    assert "£54,000.00 over 36 months" in html
    assert "£28,557.69" in html
    assert "6 April 2025" in html and "£719" in html
    api = bidder.get(f"/api/opportunities/{opportunity.reference}").json()["tupe"]
    assert api["staff"][0]["role"] == "Caseworker"
    assert api["estimate"]["annual_cost"] == "119250.00"
    assert api["estimate"]["redundancy_exposure"] == "28557.69"
