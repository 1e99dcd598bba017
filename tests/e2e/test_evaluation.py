"""Independent evaluation then moderation in the browser (EVA-5): the commissioner assigns two
evaluators, each declares no conflict and scores alone, divergence shows, and the commissioner
records an agreed score. axe-core after every navigation."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commissioning.accounts.models import User
from commissioning.evaluation.models import ModeratedScore
from tests.e2e.helpers import sign_in, sign_out
from tests.evaluation_factories import evaluation_setup

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WHY = "The pathway is evidenced and staffed for the caseload."


def _score(
    page: Page, base: str, ev: Any, evaluator: User, values: tuple[str, str], axe: Any
) -> None:
    sign_in(page, base, evaluator.username, axe)
    axe(page)
    page.goto(f"{base}/evaluation/{ev.opportunity.reference}/")
    axe(page)
    page.get_by_role("link", name="Declare interests").click()
    axe(page)
    for org in ev.bidders:
        page.locator(f'input[name="org-{org.pk}"][value="no"]').check()
    page.get_by_role("button", name="Save declarations").click()
    axe(page)
    page.get_by_role("link", name="Quality").click()
    axe(page)
    for org, value in zip(ev.bidders, values, strict=True):
        page.get_by_role("link", name=f"Score {org.name}").click()
        axe(page)
        page.get_by_label(value).check()
        page.get_by_label("Justification").fill(WHY)
        page.get_by_role("button", name="Save draft score").click()
        axe(page)
    page.get_by_role("button", name="Submit scores").click()
    axe(page)
    expect(page.get_by_text("Your scores are locked.")).to_be_visible()
    sign_out(page, base, axe)
    axe(page)


def test_two_evaluators_score_divergence_shows_and_the_commissioner_moderates(
    page: Page, live_server: Any, axe: Any
) -> None:
    ev = evaluation_setup()
    ev.social_value.delete()  # one judged criterion keeps the journey short
    base = live_server.url
    home = f"{base}/evaluation/{ev.opportunity.reference}/"

    sign_in(page, base, ev.commissioner.username, axe)

    axe(page)
    page.goto(home)
    axe(page)
    for evaluator in ev.evaluators:
        page.get_by_label("Criterion").select_option(str(ev.quality.pk))
        page.get_by_label("Evaluator").select_option(str(evaluator.pk))
        page.get_by_role("button", name="Assign evaluator").click()
        axe(page)
    expect(page.get_by_role("table", name="Evaluators by criterion")).to_contain_text(
        ev.evaluators[1].email
    )
    sign_out(page, base, axe)
    axe(page)

    _score(page, base, ev, ev.evaluators[0], ("75 – Good", "50 – Acceptable"), axe)
    _score(page, base, ev, ev.evaluators[1], ("25 – Poor", "50 – Acceptable"), axe)

    sign_in(page, base, ev.commissioner.username, axe)

    axe(page)
    page.goto(home)
    axe(page)
    page.get_by_role("link", name="See divergence and moderate").click()
    axe(page)
    expect(page.get_by_text("1 of 2 bid and criterion pairs")).to_be_visible()
    expect(page.get_by_text("2 bands apart")).to_be_visible()
    page.get_by_role("link", name=f"Moderate {ev.bidders[0].name} on Quality").click()
    axe(page)
    page.get_by_role("button", name="Record agreed score").click()
    axe(page)
    assert page.title().startswith("Error: ")
    page.get_by_label("50 – Acceptable").check()
    page.get_by_label("Rationale for the agreed score").fill(
        "Agreed 50 at the meeting: sound pathway, thin staffing."
    )
    page.get_by_role("button", name="Record agreed score").click()
    axe(page)
    expect(page.get_by_text("Agreed score recorded")).to_be_visible()
    assert ModeratedScore.objects.get(bid=ev.bids[0], criterion=ev.quality).score == 50
