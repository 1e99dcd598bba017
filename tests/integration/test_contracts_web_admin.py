"""The Django admin for opportunities, lots and contracts: a support tool whose contract form
checks the documents with the analytics core, like the web page (PBR-1)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.contracts.admin import ContractAdminForm
from tests.contract_factories import ContractFactory, LotFactory, contract_with_parties
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True, role="admin"))
    return client


def test_admin_pages_open(admin_client: Client) -> None:
    contract = contract_with_parties()
    lot = LotFactory()
    for url in (
        reverse("admin:contracts_contract_changelist"),
        reverse("admin:contracts_contract_change", args=[contract.pk]),
        reverse("admin:procurement_opportunity_changelist"),
        reverse("admin:procurement_opportunity_change", args=[lot.opportunity.pk]),
        reverse("admin:procurement_lot_change", args=[lot.pk]),
    ):
        assert admin_client.get(url).status_code == 200, url


def test_admin_form_refuses_an_invalid_mechanism() -> None:
    contract = ContractFactory()
    mechanism = dict(contract.mechanism, period="fortnight")
    form = ContractAdminForm(
        data={
            "reference": contract.reference,
            "title": contract.title,
            "lot": contract.lot.pk,
            "commissioning_body": contract.commissioning_body.pk,
            "prime": contract.prime.pk,
            "start_date": "2026-04-01",
            "end_date": "2028-03-31",
            "annual_value": "600000.00",
            "status": "active",
            "mechanism": json.dumps(mechanism),
            "observed": "null",
            "assumptions": "null",
        },
        instance=contract,
    )
    assert not form.is_valid()
    assert any(message.startswith("period") for message in form.errors["mechanism"])
