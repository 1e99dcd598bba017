"""No lost updates (issue 13 item 4; CYC-1): two people edit the same exercise summary; the
later save, made from the version before the first, is refused on the page and by the API,
saying what changed and by whom, and nothing is overwritten."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from commissioning.audit.models import AuditEvent
from commissioning.exercises.models import CommissioningExercise
from tests.integration.test_exercises_support import Market, market

pytestmark = pytest.mark.django_db
__all__ = ["market"]


def _version_on_page(page: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found, "the edit form carries the exercise's version"
    return found.group(1)


def test_a_stale_summary_edit_on_the_page_is_refused(market: Market) -> None:
    exercise = market.exercise(title="Old title", summary="First summary")
    url = reverse("exercises:edit", args=[exercise.reference])
    first, second = market.client_for("commissioner"), market.client_for("site_admin")
    opened_by_first = _version_on_page(first.get(url).content.decode())
    opened_by_second = _version_on_page(second.get(url).content.decode())

    def save(client: object, version: str, summary: str) -> object:
        data = market.form_data(summary=summary, commissioning_body=None, partners=[])
        return client.post(url, data | {"version": version})  # type: ignore[attr-defined]

    assert save(second, opened_by_second, "Summary by the site team").status_code == 302
    refused = save(first, opened_by_first, "Summary by the commissioner")

    assert refused.status_code == 409  # type: ignore[attr-defined]
    page = refused.content.decode()  # type: ignore[attr-defined]
    assert "Someone changed this after you started editing, so nothing was saved" in page
    assert "Summary by the site team" in page
    assert CommissioningExercise.objects.get(pk=exercise.pk).summary == "Summary by the site team"
    assert AuditEvent.objects.filter(action="update").count() == 1


def test_a_stale_patch_through_the_api_is_refused_with_409(market: Market) -> None:
    exercise = market.exercise(title="Old title", summary="First summary")
    url = f"/api/exercises/{exercise.reference}"
    first, second = market.client_for("commissioner"), market.client_for("site_admin")
    version = first.get(url).json()["version"]

    def patch(client: object, body: dict[str, str]) -> object:
        return client.patch(  # type: ignore[attr-defined]
            url, data=json.dumps(body), content_type="application/json"
        )

    changed = patch(second, {"version": version, "summary": "Summary by the site team"})
    assert changed.status_code == 200  # type: ignore[attr-defined]
    refused = patch(first, {"version": version, "summary": "Summary by the commissioner"})

    assert refused.status_code == 409  # type: ignore[attr-defined]
    body = refused.json()  # type: ignore[attr-defined]
    assert "nothing was saved" in body["detail"] and "Summary by the site team" in body["detail"]
    assert list(body["errors"]) == ["version"]
    assert CommissioningExercise.objects.get(pk=exercise.pk).summary == "Summary by the site team"
