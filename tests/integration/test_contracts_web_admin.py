"""The Django admin for opportunities, lots and contracts: a support tool to look records up.
Contracts are read-only there (issue 11 item 3): their documents are edited on the contract's
page, where the analytics core checks them (PBR-1); the full admin matrix is in
test_admin_lifecycle.py."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.contract_factories import LotFactory, contract_with_parties
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


def test_contract_admin_shows_the_contract_without_a_save_button(admin_client: Client) -> None:
    contract = contract_with_parties()
    page = admin_client.get(reverse("admin:contracts_contract_change", args=[contract.pk]))
    html = page.content.decode()
    assert contract.reference in html
    assert 'name="_save"' not in html
    assert 'name="mechanism"' not in html
