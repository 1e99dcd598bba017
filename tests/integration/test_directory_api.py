"""The provider directory's JSON API, /api/organisations (MKT-1)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from commissioning.audit.models import AuditEvent
from commissioning.directory.models import Organisation
from commissioning.directory.schemas import OrganisationPage
from tests.factories import OrganisationFactory, client_for
from tests.integration.test_directory_support import (
    ALLOWED_TO_EDIT,
    ROLES,
    Market,
    add_users,
    build_market,
    profile_state,
)

pytestmark = pytest.mark.django_db

API = "/api/organisations"


@pytest.fixture
def market() -> Market:
    return add_users(build_market())


def slugs(client: Client, **params: Any) -> list[str]:
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def patch(client: Client, slug: str, body: Any) -> Any:
    return client.patch(f"{API}/{slug}", json.dumps(body), content_type="application/json")


# ------------------------------------------------------------------ reading


def test_list_defaults_to_providers_by_name(client: Client, market: Market) -> None:
    body = client.get(API).json()
    assert body["count"] == 5
    assert body["page"] == 1
    assert body["page_size"] == 25
    assert [row["name"] for row in body["results"]] == [
        "Alpha Housing Trust",
        "Beta Employment CIC",
        "Delta North East Partnership",
        "Epsilon London Link",
        "Gamma National Services",
    ]
    alpha = body["results"][0]
    assert alpha == {
        "slug": "alpha-housing-trust",
        "name": "Alpha Housing Trust",
        "org_type": "vcs_charity",
        "org_type_label": "Voluntary or community sector charity",
        "is_commissioning_body": False,
        "commissioning_tier": "",
        "is_prime": False,
        "size_band": "small",
        "size_band_label": "Small (£10,000 to £100,000)",
        "areas": [{"slug": "northumbria", "name": "Northumbria"}],
        "specialisms": [{"slug": "accommodation", "name": "Accommodation"}],
        "cohorts": [{"slug": "women", "name": "Women"}],
        "led_by": ["women_led"],
        "is_synthetic": False,
        "url": "/directory/alpha-housing-trust/",
    }
    assert body["results"][3]["is_synthetic"] is True
    assert OrganisationPage.model_validate(body).count == 5  # the documented shape


def test_list_filters_match_the_web_directory(client: Client, market: Market) -> None:
    assert slugs(client, q="HOUSING women") == ["alpha-housing-trust"]
    assert slugs(client, q="1234567") == ["alpha-housing-trust"]
    assert slugs(client, area="north-east") == [
        "alpha-housing-trust",
        "beta-employment-cic",
        "delta-north-east-partnership",
        "gamma-national-services",
    ]
    assert slugs(client, area="england-and-wales") == ["gamma-national-services"]
    assert slugs(client, specialism="employment", size="large") == ["beta-employment-cic"]
    assert slugs(client, cohort="women") == ["alpha-housing-trust", "epsilon-london-link"]
    assert slugs(client, led_by=["user_led", "bame_led"]) == [
        "delta-north-east-partnership",
        "gamma-national-services",
    ]
    assert slugs(client, org_type="private") == ["gamma-national-services"]
    assert slugs(client, show="bodies") == [market.body.slug]
    assert slugs(client, q="housing", area="london") == ["gamma-national-services"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"area": "atlantis"}, "area"),
        ({"specialism": "alchemy"}, "specialism"),
        ({"cohort": "wizards"}, "cohort"),
        ({"size": "huge"}, "size"),
        ({"led_by": "dragon_led"}, "led_by"),
        ({"org_type": "guild"}, "org_type"),
        ({"show": "everything"}, "show"),
        ({"q": "x" * 201}, "q"),
        ({"q": "nul\x00"}, "q"),
    ],
)
def test_invalid_filter_is_a_400_naming_the_parameter(
    client: Client, market: Market, params: dict[str, str], parameter: str
) -> None:
    response = client.get(API, params)
    assert response.status_code == 400
    body = response.json()
    assert parameter in body["detail"]
    assert list(body["errors"]) == [parameter]
    assert body["errors"][parameter][0]


def test_pagination(client: Client, market: Market) -> None:
    for number in range(7):
        OrganisationFactory(name=f"Zeta {number}", description="Zeta group member")
    first = client.get(API, {"q": "zeta", "page_size": 3}).json()
    assert first["count"] == 7
    assert [row["name"] for row in first["results"]] == ["Zeta 0", "Zeta 1", "Zeta 2"]
    third = client.get(API, {"q": "zeta", "page_size": 3, "page": 3}).json()
    assert [row["name"] for row in third["results"]] == ["Zeta 6"]
    beyond = client.get(API, {"q": "zeta", "page_size": 3, "page": 9}).json()
    assert beyond["count"] == 7
    assert beyond["results"] == []


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({"page_size": 101}, "page_size"), ({"page_size": 0}, "page_size"), ({"page": 0}, "page")],
)
def test_page_limits(client: Client, params: dict[str, int], parameter: str) -> None:
    response = client.get(API, params)
    assert response.status_code == 422
    assert parameter in json.dumps(response.json())


def test_list_query_count_is_constant(
    client: Client, market: Market, django_assert_max_num_queries: Any
) -> None:
    for number in range(30):
        OrganisationFactory(
            name=f"Zeta {number:02d}",
            areas=[market.northumbria, market.durham],
            specialisms=[market.employment],
            cohorts=[market.women],
        )
    # 8 for the listing, 1 for the page cache's check of the directory's tables (issue 21)
    with django_assert_max_num_queries(9):
        response = client.get(API, {"q": "zeta", "page_size": 100, "area": "north-east"})
    assert len(response.json()["results"]) == 30


def test_detail(client: Client, market: Market) -> None:
    body = client.get(f"{API}/alpha-housing-trust").json()
    assert body["name"] == "Alpha Housing Trust"
    assert Decimal(body["annual_income"]) == Decimal("50000")
    assert Decimal(body["reserves_months"]) == Decimal("6.5")
    assert body["charity_number"] == "1234567"
    assert body["website"] == "https://alpha.example"
    assert body["contact_name"] == "Ada Lovelace"
    assert body["description"] == "Supported housing for women leaving prison."
    assert body["led_by"] == ["women_led"]
    body_detail = client.get(f"{API}/{market.body.slug}").json()
    assert body_detail["is_commissioning_body"] is True
    assert body_detail["commissioning_tier"] == "local"


def test_detail_unknown_slug_is_404(client: Client, market: Market) -> None:
    response = client.get(f"{API}/no-such-org")
    assert response.status_code == 404
    assert "no-such-org" in response.json()["detail"]


def test_lookups(client: Client, market: Market) -> None:
    body = client.get(f"{API}/lookups").json()
    areas = {area["slug"]: area for area in body["areas"]}
    assert areas["northumbria"] == {
        "slug": "northumbria",
        "name": "Northumbria",
        "kind": "police_force_area",
        "parent": "north-east",
    }
    assert areas["england-and-wales"]["parent"] is None
    assert {"slug": "employment", "name": "Employment"} in body["specialisms"]
    assert [c["slug"] for c in body["cohorts"]] == ["women", "young-adults"]
    assert [b["value"] for b in body["size_bands"]] == [
        "micro",
        "small",
        "medium",
        "large",
        "major",
    ]
    assert [b["value"] for b in body["led_by"]] == [
        "bame_led",
        "women_led",
        "lived_experience_led",
        "user_led",
    ]
    assert "social_enterprise" in [t["value"] for t in body["org_types"]]


def test_openapi_documents_the_directory(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    listing = paths["/api/organisations"]["get"]
    parameters = {p["name"] for p in listing["parameters"]}
    assert {"q", "area", "specialism", "cohort", "size", "led_by", "org_type"} <= parameters
    assert {"page", "page_size"} <= parameters
    assert {"200", "400"} <= set(listing["responses"])
    assert "patch" in paths["/api/organisations/{slug}"]
    assert "/api/organisations/lookups" in paths
    components = schema["components"]["schemas"]
    assert {"OrganisationPatch", "OrganisationDetail", "ErrorOut", "LookupsOut"} <= set(components)


# ------------------------------------------------------------------ writing


@pytest.mark.parametrize("role", ROLES)
def test_patch_permission_matrix(market: Market, role: str) -> None:
    before = profile_state(market.alpha)
    response = patch(client_for(market.users[role]), market.alpha.slug, {"contact_name": "New"})
    if role == "anonymous":
        assert response.status_code == 401
    elif role in ALLOWED_TO_EDIT:
        assert response.status_code == 200, response.content
        assert response.json()["contact_name"] == "New"
        assert profile_state(market.alpha)["contact_name"] == "New"
        return
    else:
        assert response.status_code == 403
        assert "approved members" in response.json()["detail"]
    assert profile_state(market.alpha) == before
    assert not AuditEvent.objects.exists()


def test_patch_unknown_slug_is_404(market: Market) -> None:
    response = patch(client_for(market.users["site_admin"]), "no-such-org", {"contact_name": "X"})
    assert response.status_code == 404


def test_patch_changes_only_what_is_sent_and_audits(market: Market) -> None:
    member = market.users["member"]
    response = patch(
        client_for(member),
        market.alpha.slug,
        {
            "annual_income": 1500000,
            "areas": ["northumbria", "durham"],
            "led_by": ["women_led", "user_led"],
            "website": "https://new.alpha.example",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["size_band"] == "large"
    assert [a["slug"] for a in body["areas"]] == ["durham", "northumbria"]
    assert body["led_by"] == ["women_led", "user_led"]
    alpha = Organisation.objects.get(pk=market.alpha.pk)
    assert alpha.annual_income == Decimal("1500000.00")
    assert alpha.description == "Supported housing for women leaving prison."  # untouched
    assert alpha.cohorts.get().slug == "women"  # untouched
    event = AuditEvent.objects.get(action="update")
    assert event.actor == member
    assert event.changes == {
        "annual_income": {"from": "50000.00", "to": "1500000.00"},
        "size_band": {"from": "small", "to": "large"},
        "areas": {"from": ["Northumbria"], "to": ["Durham", "Northumbria"]},
        "user_led": {"from": False, "to": True},
        "website": {"from": "https://alpha.example", "to": "https://new.alpha.example"},
    }


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"annual_income": -5}, "annual_income", "Annual income must be £0 or more"),
        ({"annual_income": "lots"}, "annual_income", "Enter the annual income as a number"),
        ({"annual_income": None}, "annual_income", "Enter the annual income"),
        (
            {"reserves_months": 500},
            "reserves_months",
            "Months of free reserves must be 120 or fewer",
        ),
        ({"contact_email": "nope"}, "contact_email", "Enter an email address in the correct"),
        ({"website": "ftp://x.example"}, "website", "starting with http:// or https://"),
        ({"areas": []}, "areas", "Select at least one area the organisation serves"),
        ({"areas": ["atlantis"]}, "areas", "“atlantis” is not an area on the list"),
        ({"led_by": ["dragon_led"]}, "led_by", "is not one of the options"),
        ({"org_type": "guild"}, "org_type", "Select the type of organisation from the list"),
        ({"name": "Renamed"}, "name", "Only site administrators can change this."),
        ({"is_synthetic": True}, "is_synthetic", "Only site administrators can change this."),
        ({"colour": "blue"}, "colour", "This is not a field of an organisation's profile."),
    ],
)
def test_patch_validation_errors_name_the_field_and_save_nothing(
    market: Market, body: dict[str, Any], field: str, message: str
) -> None:
    before = profile_state(market.alpha)
    # A valid change sent alongside must not be saved either.
    response = patch(
        client_for(market.users["member"]), market.alpha.slug, {"contact_name": "X", **body}
    )
    assert response.status_code == 422, response.content
    answer = response.json()
    assert answer["detail"] == "The profile was not changed."
    assert message in answer["errors"][field][0]
    assert profile_state(market.alpha) == before
    assert not AuditEvent.objects.exists()


def test_patch_with_wrong_json_types_is_422(market: Market) -> None:
    response = patch(client_for(market.users["member"]), market.alpha.slug, {"areas": "durham"})
    assert response.status_code == 422
    assert profile_state(market.alpha)["areas"] == ["northumbria"]


def test_patch_needs_the_csrf_token_from_a_browser_session(market: Market) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(market.users["member"])  # type: ignore[arg-type]
    response = patch(client, market.alpha.slug, {"contact_name": "Forged"})
    assert response.status_code == 403
    assert profile_state(market.alpha)["contact_name"] == "Ada Lovelace"


def test_patch_with_a_body_that_is_not_json(market: Market) -> None:
    client = client_for(market.users["member"])
    response = client.patch(
        f"{API}/{market.alpha.slug}", "{not json", content_type="application/json"
    )
    assert 400 <= response.status_code < 500
    assert profile_state(market.alpha)["contact_name"] == "Ada Lovelace"
