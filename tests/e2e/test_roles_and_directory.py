"""Browser journeys of the foundation (MKT-1, CYC-1): every role signs in; the public filters and
searches the directory; a member edits their profile and a non-member is refused; a commissioner
moves an exercise through the cycle. axe-core runs on every page visited (see conftest)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commissioning.accounts.models import User
from commissioning.directory.models import Area, Organisation
from commissioning.exercises.models import CommissioningExercise
from tests.e2e.helpers import sign_in, sign_out
from tests.factories import (
    AreaFactory,
    CohortFactory,
    CommissioningBodyFactory,
    ExerciseFactory,
    OrganisationFactory,
    SpecialismFactory,
    UserFactory,
    member_of,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def market() -> dict[str, Any]:
    durham = AreaFactory(name="Durham", slug="durham")
    london = AreaFactory(name="London", slug="london")
    housing = SpecialismFactory(name="Accommodation", slug="accommodation")
    mentoring = SpecialismFactory(name="Mentoring", slug="mentoring")
    women = CohortFactory(name="Women", slug="women")
    young = CohortFactory(name="Young adults (18–25)", slug="young-adults")
    shelter = OrganisationFactory(
        name="Durham Safe Housing Trust",
        description="Supported housing for women leaving prison.",
        annual_income=Decimal("180000"),
        women_led=True,
        areas=[durham],
        specialisms=[housing],
        cohorts=[women],
    )
    mentors = OrganisationFactory(
        name="London Young Mentors",
        description="Peer mentoring by people with lived experience.",
        annual_income=Decimal("45000"),
        lived_experience_led=True,
        areas=[london],
        specialisms=[mentoring],
        cohorts=[young],
    )
    bigco = OrganisationFactory(
        name="Big Resettlement Ltd",
        org_type=Organisation.OrgType.PRIVATE,
        annual_income=Decimal("85000000"),
        is_prime=True,
        areas=[durham, london],
        specialisms=[housing, mentoring],
        cohorts=[women, young],
    )
    pcc = CommissioningBodyFactory(name="Police and Crime Commissioner for Durham", areas=[durham])
    return {
        "durham": durham,
        "shelter": shelter,
        "mentors": mentors,
        "bigco": bigco,
        "pcc": pcc,
        "housing": housing,
    }


def test_public_filters_and_searches_the_directory(
    page: Page, live_server: Any, axe: Any, market: dict[str, Any]
) -> None:
    page.goto(f"{live_server.url}/directory/")
    axe(page)
    expect(page.get_by_role("heading", name="3 organisations")).to_be_visible()

    page.get_by_label("Search").fill("housing")
    page.get_by_role("button", name="Apply filters").click()
    axe(page)
    expect(page.get_by_role("heading", name="1 organisation", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Durham Safe Housing Trust")).to_be_visible()

    page.get_by_label("Search").fill("")
    page.get_by_label("Area served").select_option(label="London")
    page.get_by_role("button", name="Apply filters").click()
    axe(page)
    expect(page.get_by_role("heading", name="2 organisations")).to_be_visible()
    expect(page.get_by_role("link", name="London Young Mentors")).to_be_visible()
    expect(page.get_by_role("link", name="Durham Safe Housing Trust")).to_have_count(0)

    page.get_by_label("Lived-experience-led").check()
    page.get_by_role("button", name="Apply filters").click()
    axe(page)
    expect(page.get_by_role("heading", name="1 organisation", exact=True)).to_be_visible()

    page.get_by_role("link", name="London Young Mentors").click()
    axe(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("London Young Mentors")
    expect(page.get_by_text("Lived-experience-led").first).to_be_visible()
    expect(page.get_by_role("link", name="Edit profile")).to_have_count(0)


ROLE_NAV = {
    User.Role.COMMISSIONER: "Create an exercise",
    User.Role.EVALUATOR: "Your account",
    User.Role.PROVIDER: "Your account",
    User.Role.REVIEWER: "Your account",
    User.Role.ADMIN: "Audit trail",
}


@pytest.mark.parametrize("role", list(ROLE_NAV))
def test_each_role_signs_in_and_out(
    page: Page, live_server: Any, axe: Any, market: dict[str, Any], role: str
) -> None:
    organisation = market["pcc"] if role in ("commissioner", "evaluator") else market["shelter"]
    if role == User.Role.ADMIN:
        user = UserFactory(username="siteadmin", role=role, is_staff=True, is_superuser=True)
    elif role == User.Role.REVIEWER:
        user = UserFactory(username="thereviewer", role=role)
    else:
        user = member_of(organisation, role=role, username=f"the{role}")

    sign_in(page, live_server.url, user.username, axe)
    axe(page)
    navigation = page.get_by_role("navigation", name="Menu")
    expect(navigation.get_by_role("link", name=ROLE_NAV[role])).to_be_visible()
    expect(navigation.get_by_role("link", name="Sign in")).to_have_count(0)

    page.goto(f"{live_server.url}/account/")
    axe(page)
    expect(page.get_by_text(user.get_role_display()).first).to_be_visible()

    sign_out(page, live_server.url, axe)
    axe(page)
    expect(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Sign in")
    ).to_be_visible()


def test_member_edits_profile_and_non_member_is_refused(
    page: Page, live_server: Any, axe: Any, market: dict[str, Any]
) -> None:
    shelter: Organisation = market["shelter"]
    member = member_of(shelter, username="shelter-member")
    outsider = member_of(market["mentors"], username="mentor-member")

    sign_in(page, live_server.url, member.username, axe)
    axe(page)
    page.goto(f"{live_server.url}/directory/{shelter.slug}/")
    axe(page)
    page.get_by_role("link", name="Edit profile").click()
    axe(page)

    page.get_by_label("Annual income (£)").fill("-5")
    page.get_by_role("button", name="Save changes").click()
    axe(page)
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_text("Annual income must be £0 or more").first).to_be_visible()
    shelter.refresh_from_db()
    assert shelter.annual_income == Decimal("180000.00")

    page.get_by_label("Annual income (£)").fill("210000")
    page.get_by_label("Description").fill("Supported housing and tenancy help for women.")
    page.get_by_role("button", name="Save changes").click()
    axe(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Durham Safe Housing Trust")
    expect(page.get_by_text("Supported housing and tenancy help for women.")).to_be_visible()
    shelter.refresh_from_db()
    assert shelter.annual_income == Decimal("210000.00")
    assert shelter.description == "Supported housing and tenancy help for women."

    sign_out(page, live_server.url, axe)
    axe(page)
    sign_in(page, live_server.url, outsider.username, axe)
    axe(page)
    page.goto(f"{live_server.url}/directory/{shelter.slug}/")
    axe(page)
    expect(page.get_by_role("link", name="Edit profile")).to_have_count(0)
    response = page.goto(f"{live_server.url}/directory/{shelter.slug}/edit/")
    axe(page)
    assert response is not None and response.status == 403
    shelter.refresh_from_db()
    assert shelter.description == "Supported housing and tenancy help for women."


def test_commissioner_moves_exercise_through_the_cycle(
    page: Page, live_server: Any, axe: Any, market: dict[str, Any]
) -> None:
    exercise = ExerciseFactory(
        title="Women's accommodation in Durham",
        commissioning_body=market["pcc"],
        service_area=market["housing"],
        areas=[market["durham"]],
    )
    commissioner = member_of(market["pcc"], role=User.Role.COMMISSIONER, username="pcc-lead")
    evaluator = member_of(market["pcc"], role=User.Role.EVALUATOR, username="pcc-evaluator")

    sign_in(page, live_server.url, evaluator.username, axe)
    axe(page)
    page.goto(f"{live_server.url}/exercises/{exercise.reference}/")
    axe(page)
    expect(page.get_by_role("button", name="Move stage")).to_have_count(0)
    sign_out(page, live_server.url, axe)
    axe(page)

    sign_in(page, live_server.url, commissioner.username, axe)
    axe(page)
    page.goto(f"{live_server.url}/exercises/")
    axe(page)
    page.get_by_role("link", name="Women's accommodation in Durham").click()
    axe(page)

    page.get_by_role("button", name="Move stage").click()
    axe(page)
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    exercise.refresh_from_db()
    assert exercise.stage == "assess_need"

    page.get_by_label("Plan").check()
    page.get_by_label("Reason").fill("Needs assessment published; planning the lots.")
    page.get_by_role("button", name="Move stage").click()
    axe(page)
    exercise.refresh_from_db()
    assert exercise.stage == "plan"
    history = list(exercise.stage_changes.values_list("from_stage", "to_stage"))
    assert history == [("", "assess_need"), ("assess_need", "plan")]
    expect(page.get_by_text("Needs assessment published; planning the lots.")).to_be_visible()
    assert CommissioningExercise.objects.get(pk=exercise.pk).stage_changes.count() == 2
    assert Area.objects.count() >= 1
