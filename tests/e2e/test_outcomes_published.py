"""The public reads published outcome studies (OUT-1, OUT-4): from the footer to the list to a
study whose counts are suppressed; axe-core on every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from commissioning.accounts.models import User
from tests.e2e.helpers import sign_in
from tests.factories import (
    CommissioningBodyFactory,
    ExerciseFactory,
    OrganisationFactory,
    member_of,
)
from tests.integration.test_outcomes_web_publishing import _study
from tests.unit.test_outcomes_web_presentation_data import full_result

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting() -> dict[str, Any]:
    provider = OrganisationFactory(name="Study Owner Trust")
    return {"provider": provider, "member": member_of(provider), "exercise": ExerciseFactory()}


def test_public_finds_a_published_study_from_the_footer(
    page: Page, live_server: Any, axe: Any, setting: dict[str, Any]
) -> None:
    _study(setting, title="Resettlement outcomes 2025", published=True)
    _study(setting, title="Unpublished draft study")

    page.goto(f"{live_server.url}/")
    axe(page)
    page.get_by_role("contentinfo").get_by_role("link", name="Published outcome studies").click()
    axe(page)
    expect(page.get_by_role("link", name="Resettlement outcomes 2025")).to_be_visible()
    expect(page.get_by_text("Unpublished draft study")).to_have_count(0)

    page.get_by_role("link", name="Resettlement outcomes 2025").click()
    axe(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Resettlement outcomes 2025")
    expect(page.get_by_text("<5").first).to_be_visible()
    expect(page.get_by_text("P-SECRET-0001")).to_have_count(0)


def test_published_charts_and_the_commissioners_linked_studies(
    page: Page, live_server: Any, axe: Any, setting: dict[str, Any]
) -> None:
    """A published study's charts show suppressed counts to the public (OUT-4); the exercise's
    commissioner finds an unpublished linked study from /outcomes/ and the exercise page."""
    body = CommissioningBodyFactory(name="Linked Body PCC")
    setting["exercise"] = ExerciseFactory(commissioning_body=body, title="Linked exercise")
    commissioner = member_of(body, role=User.Role.COMMISSIONER, username="linkedcomm")
    public = _study(setting, title="Published study with charts")
    public.result = full_result(public.result)
    public.published_at = timezone.now()
    public.save()
    draft = _study(setting, title="Draft study linked to the exercise")
    draft.result = full_result(draft.result)
    draft.save()

    page.goto(f"{live_server.url}/outcomes/{public.pk}/")
    axe(page)
    for name in ("Love plot", "Propensity score overlap", "Kaplan–Meier curves", "Forest plot"):
        expect(page.get_by_role("img", name=re.compile(f"^{name}"))).to_be_visible()
    subgroups = page.get_by_role("table", name="Results by subgroup")
    expect(subgroups.get_by_role("row", name=re.compile("Sex: female"))).to_contain_text("<5")
    page.get_by_text("Show the Kaplan–Meier chart's data").click()
    survival = page.get_by_role("table", name=re.compile("^Kaplan–Meier curves: percentage"))
    expect(survival.get_by_role("row", name=re.compile("^360 "))).to_contain_text("<5")
    axe(page)

    sign_in(page, live_server.url, commissioner.username, axe)
    axe(page)
    page.goto(f"{live_server.url}/outcomes/")
    axe(page)
    expect(page.get_by_role("heading", name="Studies linked to your exercises")).to_be_visible()
    page.get_by_role("link", name=setting["exercise"].reference).first.click()
    axe(page)
    expect(page.get_by_role("heading", name="Outcome studies")).to_be_visible()
    page.get_by_role("link", name="Draft study linked to the exercise").click()
    axe(page)
    expect(page.get_by_role("img", name=re.compile("^Kaplan–Meier curves"))).to_be_visible()
    expect(page.get_by_text("Published curves show every 30 days only.")).to_have_count(0)
