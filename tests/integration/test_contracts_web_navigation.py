"""Everyone finds the contracts from the service menu (SUP-1: supply chains and payments are
published to all)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("signed_in", [False, True])
def test_contracts_link_is_in_the_service_menu(client: Client, signed_in: bool) -> None:
    if signed_in:
        client.force_login(UserFactory())
    html = client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("contracts:list")}"' in html
    page = client.get(reverse("contracts:list")).content.decode()
    assert 'aria-current="page"' in page
