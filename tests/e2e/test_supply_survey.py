"""The supply-chain survey in the browser (SUP-4): the independent reviewer opens a prime's
survey, a sub-contractor answers it (with a comment it allows to be quoted), the reviewer closes
it, reads the comments and publishes it; the public sees the counts and the quote, not the
other comment. axe-core after every page; the results reflow at 320 px."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commissioning.supply_survey import services
from commissioning.supply_survey.models import SurveyRound
from tests.e2e.helpers import Journey
from tests.supply_survey_factories import YEAR, chain, ratings

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
QUOTE = "They agreed our monitoring form with us and kept it short"
PRIVATE = "Payments were late in March and nobody answered our emails"


def test_a_sub_answers_and_the_published_results_show_counts_and_the_quote(
    page: Page, live_server: Any, axe: Any
) -> None:
    setting = chain(subs=5)
    walk = Journey(page, live_server.url, axe)

    walk.sign_in(setting.reviewer.username)
    walk.go("/supply-survey/")
    page.get_by_label("Prime contractor").select_option(label=setting.prime.name)
    page.get_by_label("Year the survey is about").fill(str(YEAR))
    walk.click_button("Open the survey")
    walk.flash("Survey opened: its sub-contractors can now answer.")
    walk.sign_out()

    walk.sign_in(setting.members[0].username)
    walk.go("/supply-survey/")
    walk.click_link(f"{setting.prime.name}, {YEAR}")
    expect(page.get_by_role("heading", name=re.compile("How does"))).to_be_visible()
    for question in (
        "The prime contractor offers us fair terms",
        "The prime contractor pays us promptly",
        "The prime contractor's monitoring is proportionate",
        "The prime contractor shares risk with us fairly",
    ):
        page.get_by_role("group", name=question).get_by_label("Agree", exact=True).check()
    walk.click_button("Send your answers")  # one left out: an error, nothing written
    expect(
        page.get_by_role("link", name=re.compile("Choose how far you agree: we would"))
    ).to_be_visible()
    assert not SurveyRound.objects.get().answers.exists()
    recommend = page.get_by_role(
        "group", name="We would recommend working with this prime contractor"
    )
    recommend.get_by_label("Agree", exact=True).check()
    page.get_by_label(re.compile("Anything else you want to tell")).fill(QUOTE)
    page.get_by_label(re.compile("You may quote our comments")).check()
    walk.click_button("Send your answers")
    walk.flash("Thank you: your answers were recorded without your name.")
    expect(page.get_by_text(f"{setting.subs[0].name} has answered this survey.")).to_be_visible()
    expect(page.get_by_role("link", name="Answer the survey")).to_have_count(0)
    walk.sign_out()

    survey_round = SurveyRound.objects.get()
    for n in range(1, 5):
        services.answer(
            setting.members[n],
            survey_round,
            setting.subs[n],
            ratings(2 if n == 1 else 5),
            PRIVATE if n == 1 else "",
        )

    walk.sign_in(setting.reviewer.username)
    walk.go(setting.round_url)
    walk.click_button("Close the survey")
    expect(page.get_by_text(PRIVATE)).to_be_visible()
    expect(page.get_by_text(QUOTE)).to_be_visible()
    walk.click_button("Publish the results")
    walk.sign_out()

    walk.go(f"/supply-survey/{setting.prime.slug}/")
    walk.click_link(str(YEAR), exact=True)
    results = page.get_by_role("table", name=re.compile("How many of the 5 sub-contractors"))
    recommend = results.get_by_role("row", name=re.compile("We would recommend"))
    expect(recommend.get_by_role("cell")).to_have_text(["0", "1", "0", "1", "3"])
    expect(page.get_by_text(QUOTE)).to_be_visible()
    expect(page.get_by_text(PRIVATE)).to_have_count(0)
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
