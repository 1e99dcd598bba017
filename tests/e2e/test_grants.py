"""A grant round in the browser (CYC-6): a commissioner opens a round, two small charities apply
with the short form, the panel declares interests and scores, the commissioner moderates and
decides, and the decision with feedback reaches both applicants. axe-core on every page; the
round reflows at 320 px."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commissioning.accounts.models import User
from commissioning.grants.models import GrantApplication, GrantRound
from tests.e2e.helpers import Journey
from tests.factories import ExerciseFactory, OrganisationFactory, member_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHARITIES = ("Women Onwards", "Hope Street")


def _apply(walk: Journey, page: Page, username: str, round_url: str, amount: str) -> None:
    walk.sign_in(username)
    walk.go(round_url)
    walk.click_link("Apply for a grant")
    page.get_by_label("Give your project a short name").fill("Tuesday drop-in")
    page.get_by_label("What will you do?").fill("A weekly drop-in with a hot meal.")
    page.get_by_label("Who is it for?").fill("Women leaving prison, about 20 a month.")
    page.get_by_label("How much are you asking for?").fill(amount)
    page.get_by_label("What difference will it make?").fill("More women keep appointments.")
    walk.click_button("Send application")
    walk.flash("Your application has been sent.")
    walk.sign_out()


def test_a_commissioner_runs_a_grant_round_and_both_applicants_hear(
    page: Page, live_server: Any, axe: Any
) -> None:
    exercise = ExerciseFactory(title="Women's services in Northshire")
    body = exercise.commissioning_body
    member_of(body, role=User.Role.COMMISSIONER, username="grant-commissioner")
    member_of(body, role=User.Role.EVALUATOR, username="grant-assessor", first_name="Ada")
    for name, username in zip(CHARITIES, ("onwards", "hope"), strict=True):
        member_of(OrganisationFactory(name=name), username=username)
    walk = Journey(page, live_server.url, axe)

    walk.sign_in("grant-commissioner")
    walk.go(exercise.get_absolute_url())
    walk.click_button("Run a grant round")
    page.get_by_label("Title of the round").fill("Small grants for women's services")
    page.get_by_label("What the grants are for").fill("Local work with women on probation.")
    page.get_by_label("Who can apply").fill("Registered charities in Northshire.")
    page.get_by_label("Total amount available").fill("10000")
    page.get_by_label("Smallest grant").fill("1000")
    page.get_by_label("Largest grant").fill("8000")
    page.get_by_label("Largest amount applicants can ask for with the short form").fill("5000")
    walk.fill_date("Opening date", date(2026, 1, 5))
    walk.fill_date("Closing date", date(2026, 2, 5))
    walk.fill_date("Decision date", date(2026, 3, 5))
    page.get_by_label("What applications are scored on").fill("Need: who it helps\nDifference")
    page.get_by_label("Ada", exact=False).check()
    walk.click_button("Save the round")
    grant_round = GrantRound.objects.get()
    walk.flash(f"Grant round {grant_round.reference} saved as a draft.")
    walk.click_button("Open for applications")
    walk.flash("The round is now open for applications.")
    round_url = grant_round.get_absolute_url()
    walk.sign_out()

    _apply(walk, page, "onwards", round_url, "4500")
    _apply(walk, page, "hope", round_url, "3000")
    assert GrantApplication.objects.filter(status="submitted").count() == 2

    walk.sign_in("grant-commissioner")
    walk.go(round_url)
    walk.click_button("Close the round")
    walk.sign_out()

    walk.sign_in("grant-assessor")
    for name, value in zip(CHARITIES, ("4", "1"), strict=True):
        walk.go(round_url)
        walk.click_link(f"Assess {name}")
        page.get_by_label("No", exact=True).check()
        walk.click_button("Declare")
        for criterion in ("Need", "Difference"):
            page.get_by_label(f"Score for {criterion}").select_option(value)
            page.get_by_label(f"Why: {criterion}").fill("Shown in the answers.")
        walk.click_button("Save scores")
        walk.flash(f"Your scores for {name} are saved.")
    walk.sign_out()

    walk.sign_in("grant-commissioner")
    for name, value in zip(CHARITIES, ("4", "1"), strict=True):
        walk.go(round_url)
        walk.click_link(f"Moderate {name}")
        for criterion in ("Need", "Difference"):
            page.get_by_label(f"Agreed score for {criterion}").select_option(value)
            page.get_by_label(f"How the panel agreed it: {criterion}").fill("Agreed as scored.")
        walk.click_button("Save agreed scores")
        walk.flash(f"Agreed scores for {name} saved.")
    walk.click_link("Decide the round")
    page.get_by_role("group", name="Decision for Women Onwards").get_by_label(
        "Award a grant"
    ).check()
    page.get_by_label("Amount awarded to Women Onwards").fill("4500")
    page.get_by_label("Feedback for Women Onwards").fill("A clear plan for a real gap.")
    page.get_by_role("group", name="Decision for Hope Street").get_by_label("Do not award").check()
    page.get_by_label("Feedback for Hope Street").fill("The need in the area was not shown.")
    walk.click_button("Make the decisions")
    walk.flash("The decisions are made and every applicant has been told.")
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 900})
    walk.sign_out()

    for username, subject, feedback in (
        ("onwards", "Your grant application was successful", "A clear plan for a real gap."),
        ("hope", "Your grant application was not successful", "The need in the area was not"),
    ):
        walk.sign_in(username)
        walk.go("/notifications/")
        expect(page.get_by_text(subject).first).to_be_visible()
        walk.go("/grants/yours/")
        walk.click_link("Tuesday drop-in")
        expect(page.get_by_text(feedback)).to_be_visible()
        walk.sign_out()
    awarded = GrantApplication.objects.get(status="awarded")
    assert str(awarded.amount_awarded) == "4500.00"
