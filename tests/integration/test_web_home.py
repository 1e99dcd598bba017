"""The home page (web:home): purpose, headline numbers (MKT-1, CYC-1), navigation by role and the
synthetic-data banner."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import Membership, User
from commissioning.exercises.lifecycle import Stage
from commissioning.web.navigation import reset_synthetic_cache
from commissioning.web.services import headline_figures
from tests.factories import (
    CommissioningBodyFactory,
    ExerciseFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


class _NavParser(HTMLParser):
    """Collects (label, href) of the links in the service navigation list."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, str]] = []
        self._in_list = False
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "ul" and attributes.get("id") == "navigation":
            self._in_list = True
        elif self._in_list and tag == "a":
            self._href = attributes.get("href") or ""
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "ul" and self._in_list:
            self._in_list = False
        elif tag == "a" and self._href is not None:
            self.items.append(("".join(self._text).strip(), self._href))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)


def navigation(html: str) -> dict[str, str]:
    parser = _NavParser()
    parser.feed(html)
    return dict(parser.items)


def home_as(client: Client, user: User | None = None) -> str:
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture(autouse=True)
def _fresh_synthetic_cache() -> None:
    reset_synthetic_cache()


def test_anonymous_visitor_sees_purpose_and_sign_in(client: Client) -> None:
    html = home_as(client)
    nav = navigation(html)
    assert list(nav) == [
        "Provider directory",
        "Commissioning exercises",
        "Opportunities",
        "Contracts",
        "Market map",
        "National standards",
        "Sign in",
        "Register",
    ]
    assert nav["Sign in"] == reverse("accounts:sign-in")
    assert nav["Register"] == reverse("accounts:register")
    assert nav["Market map"] == "/market/"
    assert nav["National standards"] == "/standards/"
    assert "Inspection" not in nav
    assert "Fair, transparent commissioning of rehabilitation services" in html
    for stage in Stage:
        assert stage.label in html
    assert 'href="/api/docs"' in html
    assert 'href="/api/openapi.json"' in html
    assert "Taking part" in html
    assert "What you can do" not in html


def test_commissioner_of_a_body_can_create_an_exercise(client: Client) -> None:
    body = CommissioningBodyFactory(name="PCC for Northshire")
    commissioner = member_of(body, role=User.Role.COMMISSIONER)
    html = home_as(client, commissioner)
    nav = navigation(html)
    assert nav["Create an exercise"] == reverse("exercises:create")
    assert nav["Your account"] == reverse("accounts:profile")
    assert nav["Sign out"] == reverse("accounts:sign-out")
    assert "Sign in" not in nav and "Audit trail" not in nav and "Administration" not in nav
    assert "You are signed in as a commissioner." in html
    assert "PCC for Northshire" in html
    assert "Create a commissioning exercise" in html


def test_commissioner_without_an_approved_body_cannot_create(client: Client) -> None:
    commissioner = UserFactory(role=User.Role.COMMISSIONER)
    MembershipFactory(
        user=commissioner, organisation=CommissioningBodyFactory(), status=Membership.Status.PENDING
    )
    html = home_as(client, commissioner)
    assert "Create an exercise" not in navigation(html)
    assert "once a commissioning body has approved your membership" in html


def test_organisation_administrator_gets_members_link(client: Client) -> None:
    charity = OrganisationFactory(name="Second Chances", slug="second-chances")
    provider = UserFactory(role=User.Role.PROVIDER)
    MembershipFactory(user=provider, organisation=charity, is_org_admin=True)
    html = home_as(client, provider)
    nav = navigation(html)
    assert nav["Members"] == reverse("accounts:members", args=["second-chances"])
    assert "Create an exercise" not in nav
    assert reverse("directory:edit", args=["second-chances"]) in html
    assert "You are signed in as a provider member." in html


def test_plain_member_has_no_members_link_and_sees_pending_requests(client: Client) -> None:
    provider = member_of(OrganisationFactory(name="Approved Org"))
    MembershipFactory(
        user=provider,
        organisation=OrganisationFactory(name="Pending Org"),
        status=Membership.Status.PENDING,
    )
    html = home_as(client, provider)
    assert "Members" not in navigation(html)
    assert "Approved Org" in html
    assert "Pending Org" in html and "Waiting for approval" in html


def test_site_administrator_sees_audit_trail_and_administration(client: Client) -> None:
    admin = UserFactory(role=User.Role.ADMIN)
    nav = navigation(home_as(client, admin))
    assert nav["Audit trail"] == reverse("audit:list")
    assert nav["Administration"] == "/admin/"
    assert nav["Sign out"] == reverse("accounts:sign-out")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (User.Role.EVALUATOR, "You are signed in as an evaluator."),
        (User.Role.REVIEWER, "You are signed in as an independent reviewer."),
    ],
)
def test_evaluator_and_reviewer_panels(client: Client, role: str, expected: str) -> None:
    html = home_as(client, UserFactory(role=role))
    nav = navigation(html)
    assert expected in html
    assert "Audit trail" not in nav and "Create an exercise" not in nav
    assert list(nav)[-1] == "Sign out"


def _known_market() -> None:
    """Four providers, three of them under £500,000; a commissioning body that is not counted;
    three exercises: two assessing need, one being procured."""
    for income in ("0", "120000", "499999.99", "500000"):
        OrganisationFactory(annual_income=Decimal(income))
    body = CommissioningBodyFactory(annual_income=Decimal("90000"))
    ExerciseFactory(commissioning_body=body, title="Women's centre services")
    ExerciseFactory(commissioning_body=body)
    ExerciseFactory(commissioning_body=body, stage=Stage.PROCURE.value)


def test_headline_figures_for_a_known_market(django_assert_num_queries: object) -> None:
    _known_market()
    with django_assert_num_queries(3):  # type: ignore[operator]
        figures = headline_figures()
    assert figures.provider_count == 4
    assert figures.small_provider_count == 3
    assert figures.small_provider_percent == 75
    assert figures.exercise_count == 3
    assert {item.stage: item.count for item in figures.exercises_by_stage} == {
        Stage.ASSESS_NEED: 2,
        Stage.PLAN: 0,
        Stage.PROCURE: 1,
        Stage.DELIVER: 0,
        Stage.REVIEW: 0,
    }
    assert [item.stage for item in figures.exercises_by_stage] == list(Stage)


def test_share_of_small_providers_rounds_half_up() -> None:
    OrganisationFactory(annual_income=Decimal("499999"))
    for _ in range(7):
        OrganisationFactory(annual_income=Decimal("750000"))
    assert headline_figures().small_provider_percent == 13  # 1 of 8 = 12.5%, half up


def test_empty_market_has_no_share() -> None:
    figures = headline_figures()
    assert figures.provider_count == 0
    assert figures.small_provider_percent is None
    assert figures.exercise_count == 0


def test_home_page_shows_the_headline_numbers(client: Client) -> None:
    _known_market()
    html = home_as(client)
    assert '<dd class="app-stat__value">4</dd>' in html
    assert '<dd class="app-stat__value">75%</dd>' in html
    assert "(3 of 4)" in html
    assert '<dd class="app-stat__value">3</dd>' in html
    exercises = reverse("exercises:list")
    assert f'href="{exercises}?stage=assess_need">2 exercises' in html
    assert f'href="{exercises}?stage=procure">1 exercise<' in html
    assert "Women&#x27;s centre services" in html


def test_synthetic_banner_only_when_synthetic_organisations_exist(client: Client) -> None:
    OrganisationFactory(is_synthetic=False)
    assert "Synthetic data" not in home_as(client)

    OrganisationFactory(is_synthetic=True)
    reset_synthetic_cache()
    html = home_as(client)
    assert "Synthetic data" in html
    assert "synthetic demo market" in html


def test_synthetic_exercise_is_tagged_on_the_home_page(client: Client) -> None:
    ExerciseFactory(is_synthetic=True, title="Generated exercise")
    html = home_as(client)
    row = html.split("Generated exercise", 1)[1].split("</tr>", 1)[0]
    assert "Synthetic</strong>" in row


def test_an_inspector_finds_the_inspection_report_in_the_menu(client: Client) -> None:
    """MKT-3: the inspector's compliance report is one click from every page."""
    inspector = UserFactory(role=User.Role.INSPECTOR)
    nav = navigation(home_as(client, inspector))
    assert nav["Inspection"] == reverse("standards:inspection")
    assert nav["National standards"] == reverse("standards:summary")
