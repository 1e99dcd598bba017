"""The public provider directory page /directory/ (MKT-1): filters, search, pagination, errors."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from commissioning.directory.models import Organisation
from commissioning.web.navigation import reset_synthetic_cache
from tests.factories import OrganisationFactory
from tests.integration.test_directory_support import Market, build_market

pytestmark = pytest.mark.django_db

LIST = reverse("directory:list")


@pytest.fixture
def market() -> Market:
    return build_market()


def listed(client: Client, **params: str | list[str]) -> list[str]:
    cache.clear()  # a page served from the page cache has no template context to read
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [organisation.name for organisation in response.context["page_obj"].object_list]


def test_lists_providers_only_by_default_in_name_order(client: Client, market: Market) -> None:
    response = client.get(LIST)
    assert response.status_code == 200
    assert listed(client) == [
        "Alpha Housing Trust",
        "Beta Employment CIC",
        "Delta North East Partnership",
        "Epsilon London Link",
        "Gamma National Services",
    ]
    html = response.content.decode()
    assert "5 organisations" in html
    assert market.body.name not in html


def test_show_parameter_lists_commissioning_bodies(client: Client, market: Market) -> None:
    assert listed(client, show="bodies") == [market.body.name]
    assert len(listed(client, show="all")) == 6


def test_results_show_type_size_areas_specialisms_tags(client: Client, market: Market) -> None:
    html = client.get(LIST).content.decode()
    alpha = html[html.index("Alpha Housing Trust") : html.index("Beta Employment CIC")]
    assert reverse("directory:organisation", args=["alpha-housing-trust"]) in html
    assert "Voluntary or community sector charity" in alpha
    assert "Small (£10,000 to £100,000)" in alpha
    assert "Northumbria" in alpha
    assert "Accommodation" in alpha
    assert "Women-led" in alpha
    assert "Synthetic" not in alpha
    epsilon = html[html.index("Epsilon London Link") : html.index("Gamma National Services")]
    assert "Synthetic" in epsilon
    gamma = html[html.index("Gamma National Services") :]
    assert "Prime contractor" in gamma and "BAME-led" in gamma


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("housing", ["Alpha Housing Trust", "Gamma National Services"]),
        ("HOUSING women", ["Alpha Housing Trust"]),  # every word, any case
        ("women housing", ["Alpha Housing Trust"]),  # in any order
        ("1234567", ["Alpha Housing Trust"]),  # charity number
        ("7654321", ["Epsilon London Link"]),  # in the description
        ("beta", ["Beta Employment CIC"]),  # name
        ("housing nonsense", []),
        ("  ", None),  # blank search: everything
    ],
)
def test_search_requires_every_word(
    client: Client, market: Market, q: str, expected: list[str] | None
) -> None:
    result = listed(client, q=q)
    assert result == (expected if expected is not None else names_of(market.providers))


def names_of(organisations: list[Organisation]) -> list[str]:
    return sorted(organisation.name for organisation in organisations)


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        # A police force area: its own providers, its region's and national ones.
        ("northumbria", ["Alpha Housing Trust", "Delta North East Partnership", "Gamma"]),
        # A probation region: its own, those of any police force area in it, national ones.
        (
            "north-east",
            ["Alpha Housing Trust", "Beta Employment CIC", "Delta North East Partnership", "Gamma"],
        ),
        ("durham", ["Beta Employment CIC", "Delta North East Partnership", "Gamma"]),
        ("london", ["Epsilon London Link", "Gamma"]),
        # The national area lists the organisations that work across England and Wales.
        ("england-and-wales", ["Gamma"]),
    ],
)
def test_area_filter_follows_the_geography(
    client: Client, market: Market, area: str, expected: list[str]
) -> None:
    expected = [name if name != "Gamma" else "Gamma National Services" for name in expected]
    assert listed(client, area=area) == expected


def test_specialism_cohort_size_org_type_filters(client: Client, market: Market) -> None:
    assert listed(client, specialism="employment") == [
        "Beta Employment CIC",
        "Delta North East Partnership",
        "Gamma National Services",
    ]
    assert listed(client, cohort="women") == ["Alpha Housing Trust", "Epsilon London Link"]
    assert listed(client, cohort="young-adults") == ["Beta Employment CIC", "Epsilon London Link"]
    assert listed(client, size="micro") == ["Epsilon London Link"]
    assert listed(client, size="medium") == ["Delta North East Partnership"]
    assert listed(client, size="major") == ["Gamma National Services"]
    assert listed(client, org_type="social_enterprise") == ["Beta Employment CIC"]
    assert listed(client, org_type="private") == ["Gamma National Services"]


def test_led_by_filter_one_or_several(client: Client, market: Market) -> None:
    assert listed(client, led_by="women_led") == ["Alpha Housing Trust"]
    assert listed(client, led_by="user_led") == ["Delta North East Partnership"]
    assert listed(client, led_by="bame_led") == ["Gamma National Services"]
    assert listed(client, led_by=["lived_experience_led", "user_led"]) == [
        "Beta Employment CIC",
        "Delta North East Partnership",
    ]


def test_filters_combine(client: Client, market: Market) -> None:
    assert listed(client, area="north-east", specialism="employment") == [
        "Beta Employment CIC",
        "Delta North East Partnership",
        "Gamma National Services",
    ]
    assert listed(client, area="north-east", specialism="employment", size="large") == [
        "Beta Employment CIC"
    ]
    assert listed(client, q="housing", area="london") == ["Gamma National Services"]
    assert listed(client, specialism="accommodation", cohort="women", q="mentoring") == [
        "Epsilon London Link"
    ]
    assert listed(client, area="durham", led_by="women_led") == []


def test_no_duplicate_rows_when_many_related_values_match(client: Client, market: Market) -> None:
    # Gamma has two specialisms and Delta's region has two matching police force areas.
    market.gamma.areas.add(market.north_east, market.northumbria, market.durham)
    market.gamma.specialisms.add(market.employment)
    result = listed(client, area="north-east")
    assert result.count("Gamma National Services") == 1
    cache.clear()
    response = client.get(LIST, {"area": "north-east"})
    assert response.context["page_obj"].paginator.count == len(result) == 4


def test_selected_filters_are_shown_in_the_form(client: Client, market: Market) -> None:
    html = client.get(
        LIST, {"q": "housing", "area": "durham", "led_by": "women_led"}
    ).content.decode()
    assert 'value="housing"' in html
    assert re.search(r'<option value="durham"\s+selected>Durham</option>', html)
    assert 'value="women_led" id="id_led_by_2" checked' in html
    assert 'value="bame_led" id="id_led_by_1">' in html
    assert "Apply filters" in html
    assert f'href="{LIST}">Clear filters' in html


def test_empty_result_says_so(client: Client, market: Market) -> None:
    html = client.get(LIST, {"q": "zzzz"}).content.decode()
    assert "0 organisations" in html
    assert "No organisations match these filters" in html


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"area": "atlantis"}, "area", "Choose an area from the list"),
        ({"specialism": "alchemy"}, "specialism", "Choose a specialism from the list"),
        ({"cohort": "wizards"}, "cohort", "Choose a group of people from the list"),
        ({"size": "gigantic"}, "size", "Choose a size band from the list"),
        ({"org_type": "guild"}, "org_type", "Choose a type of organisation from the list"),
        ({"led_by": "dragon_led"}, "led_by", "Choose who leads the organisation from the list"),
        ({"show": "everything"}, "show", "Choose what to show from the list"),
        ({"q": "x" * 201}, "q", "Search must be 200 characters or fewer"),
    ],
)
def test_invalid_filter_shows_error_summary_and_field_error(
    client: Client, market: Market, params: dict[str, str], field: str, message: str
) -> None:
    response = client.get(LIST, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Provider directory" in html
    assert "govuk-error-summary" in html
    anchor = response.context["form"][field].auto_id  # checkboxes: the first option
    assert f'href="#{anchor}">{message}' in html  # the summary links to the field…
    assert f'id="{anchor}"' in html  # …which exists…
    assert f'id="{anchor}_1_error"' in html  # …and has the message next to it
    assert message in html
    assert response.context["form"].errors[field]


def test_invalid_filter_still_applies_the_valid_ones(client: Client, market: Market) -> None:
    response = client.get(LIST, {"area": "atlantis", "specialism": "employment"})
    assert [o.name for o in response.context["page_obj"].object_list] == [
        "Beta Employment CIC",
        "Delta North East Partnership",
        "Gamma National Services",
    ]
    assert "Filters with a problem have not been applied" in response.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999", "1.5", ""])
def test_odd_page_numbers_never_fail(client: Client, market: Market, page: str) -> None:
    assert client.get(LIST, {"page": page}).status_code == 200


def _many_providers(count: int, **kwargs: object) -> None:
    for number in range(count):
        OrganisationFactory(name=f"Zeta Provider {number:03d}", **kwargs)


def test_pagination_is_25_a_page_and_keeps_the_filters(client: Client, market: Market) -> None:
    _many_providers(30, annual_income=Decimal("5000"))  # micro, like Epsilon
    first = client.get(LIST, {"size": "micro", "q": "provider"})
    assert first.context["page_obj"].paginator.count == 30
    assert len(first.context["page_obj"].object_list) == 25
    html = first.content.decode()
    assert "30 organisations" in html
    assert 'href="?size=micro&amp;q=provider&amp;page=2"' in html
    second = client.get(LIST, {"size": "micro", "q": "provider", "page": "2"})
    names = [o.name for o in second.context["page_obj"].object_list]
    assert names == [f"Zeta Provider {n:03d}" for n in range(25, 30)]


def test_count_uses_thousands_separator(client: Client) -> None:
    Organisation.objects.bulk_create(
        Organisation(name=f"Org {n:04d}", slug=f"org-{n:04d}", org_type="vcs_charity")
        for n in range(1234)
    )
    html = client.get(LIST).content.decode()
    assert "1,234 organisations" in html


def test_query_count_does_not_grow_with_the_page(
    client: Client, market: Market, django_assert_max_num_queries: object
) -> None:
    for number in range(40):
        OrganisationFactory(
            name=f"Zeta Provider {number:03d}",
            areas=[market.northumbria, market.durham],
            specialisms=[market.accommodation, market.employment],
            cohorts=[market.women],
        )
    # The page cache's check of the tables (every request with the per-process cache the tests
    # use), lookups (areas, specialisms, cohorts), count, one page of rows, its areas and
    # specialisms, the synthetic-data banner check: 9, whatever the number of rows. The banner's
    # answer is kept 30 s per process, so it is forgotten first: the count is the same whichever
    # test ran before.
    reset_synthetic_cache()
    with django_assert_max_num_queries(9):  # type: ignore[operator]
        response = client.get(LIST, {"area": "north-east", "q": "provider"})
    assert len(response.context["page_obj"].object_list) == 25
    assert response.context["rows"][0].areas == [market.durham, market.northumbria]
    reset_synthetic_cache()
    with django_assert_max_num_queries(9):  # type: ignore[operator]
        client.get(LIST)


def test_search_treats_like_wildcards_literally(client: Client, market: Market) -> None:
    OrganisationFactory(name="Hundred Percent Club", description="We give 100% to our members.")
    assert listed(client, q="100%") == ["Hundred Percent Club"]
    assert listed(client, q="%") == ["Hundred Percent Club"]
    assert listed(client, q="_") == []


def test_null_character_in_search_is_an_error_not_a_crash(client: Client, market: Market) -> None:
    response = client.get(LIST, {"q": "housing\x00"})
    assert response.status_code == 200
    assert response.context["form"].errors["q"]


@pytest.mark.parametrize("params", [{}, {"area": "atlantis", "led_by": "x"}, {"q": "housing"}])
def test_page_structure_one_h1_and_unique_ids(
    client: Client, market: Market, params: dict[str, str]
) -> None:
    html = client.get(LIST, params).content.decode()
    assert html.count("<h1") == 1
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    labels = re.findall(r'<label[^>]*\sfor="([^"]+)"', html)
    assert labels and set(labels) <= set(ids)  # every label points at a field
