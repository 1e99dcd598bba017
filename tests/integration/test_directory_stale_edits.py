"""No lost updates (issue 13 item 4; MKT-1): two people edit the same organisation profile; the
later save, made from the version before the first, is refused on the page and by the API,
saying what changed and by whom, and nothing is overwritten."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.urls import reverse

from commissioning.audit.models import AuditEvent
from commissioning.directory.forms import form_data
from commissioning.directory.models import Organisation
from tests.factories import client_for
from tests.integration.test_directory_support import Market, add_users, build_market

pytestmark = pytest.mark.django_db

API = "/api/organisations"


@pytest.fixture
def market() -> Market:
    return add_users(build_market())


def _version_on_page(page: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found, "the edit form carries the profile's version"
    return found.group(1)


def _post(market: Market, user: Any, version: str, description: str) -> Any:
    data = {k: v for k, v in form_data(market.alpha).items() if v is not None}
    data |= {"description": description, "version": version}
    return client_for(user).post(reverse("directory:edit", args=[market.alpha.slug]), data)


def test_a_stale_save_on_the_page_is_refused_saying_who_changed_what(market: Market) -> None:
    first, second = market.users["member"], market.users["site_admin"]
    url = reverse("directory:edit", args=[market.alpha.slug])
    opened_by_first = _version_on_page(client_for(first).get(url).content.decode())
    opened_by_second = _version_on_page(client_for(second).get(url).content.decode())

    assert (
        _post(market, second, opened_by_second, "Housing for people leaving prison").status_code
        == 302
    )
    refused = _post(market, first, opened_by_first, "Supported housing in the North East")

    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Someone changed this after you started editing, so nothing was saved" in page
    assert f"{second.username} changed it on" in page
    assert "Housing for people leaving prison" in page  # what they changed it to
    assert Organisation.objects.get(pk=market.alpha.pk).description == (
        "Housing for people leaving prison"
    )
    assert AuditEvent.objects.filter(target_id=str(market.alpha.pk), action="update").count() == 1

    # The refused form now carries the new version: saving again, having looked, goes through.
    again = _post(market, first, _version_on_page(page), "Supported housing in the North East")
    assert again.status_code == 302
    assert Organisation.objects.get(pk=market.alpha.pk).description == (
        "Supported housing in the North East"
    )


def test_a_stale_patch_through_the_api_is_refused_with_409(market: Market) -> None:
    first, second = market.users["member"], market.users["site_admin"]
    url = f"{API}/{market.alpha.slug}"
    version = client_for(first).get(url).json()["version"]

    def patch(user: Any, body: dict[str, Any]) -> Any:
        return client_for(user).patch(url, json.dumps(body), content_type="application/json")

    changed = patch(second, {"version": version, "contact_name": "Mary Seacole"})
    assert changed.status_code == 200 and changed.json()["version"] != version

    refused = patch(first, {"version": version, "contact_name": "Grace Hopper"})

    assert refused.status_code == 409
    body = refused.json()
    assert body["detail"].startswith("Someone changed this after you started editing")
    assert f"{second.username} changed it on" in body["detail"]
    assert "contact name: " in body["detail"] and "Mary Seacole" in body["detail"]
    assert body["errors"] == {"version": [f"Now {changed.json()['version']}."]}
    assert Organisation.objects.get(pk=market.alpha.pk).contact_name == "Mary Seacole"
