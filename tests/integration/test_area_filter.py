"""One area rule for every public list (issue 11 item 25b; MKT-1, CYC-1, PRO-1).

The directory, the commissioning exercise list and the opportunity list (web pages and their
JSON APIs) all answer "what works here?" the same way: choosing a police force area finds what
serves it, its probation region or England and Wales; choosing a probation region also finds
what serves a police force area inside it; choosing England and Wales finds what is national.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.directory.models import Area
from tests.factories import AreaFactory, ExerciseFactory, OrganisationFactory
from tests.procurement_factories import open_opportunity

pytestmark = pytest.mark.django_db

PLACES = ("national", "north-east", "northumbria", "durham", "london")
"""Where each of the five records of each list works (one area each)."""

EXPECTED = {
    # A police force area: its own, its region's and the national ones.
    "northumbria": {"national", "north-east", "northumbria"},
    # A probation region: its own, those of the police force areas in it, the national ones.
    "north-east": {"national", "north-east", "northumbria", "durham"},
    "durham": {"national", "north-east", "durham"},
    "london": {"national", "london"},
    # England and Wales: what works across England and Wales, not every local record.
    "england-and-wales": {"national"},
}


@dataclass
class Geography:
    areas: dict[str, Area]

    def of(self, place: str) -> Area:
        return self.areas[place]


@pytest.fixture
def geography() -> Geography:
    national = AreaFactory(name="England and Wales", kind=Area.Kind.NATIONAL, country="")
    north_east = AreaFactory(name="North East", kind=Area.Kind.PROBATION_REGION, parent=national)
    london = AreaFactory(name="London", kind=Area.Kind.PROBATION_REGION, parent=national)
    return Geography(
        {
            "national": national,
            "north-east": north_east,
            "northumbria": AreaFactory(name="Northumbria", parent=north_east),
            "durham": AreaFactory(name="Durham", parent=north_east),
            "london": london,
        }
    )


def _place(name: str) -> str:
    """The place a record's title or name starts with (``"durham: …"`` → ``"durham"``)."""
    return name.split(":", 1)[0]


def _assert_page_and_api_list(client: Client, page_url: str, api_url: str, area: str) -> None:
    """The paginated web list and its API list the same records, each once, by the rule."""
    page = client.get(page_url, {"area": area})
    assert page.status_code == 200
    on_page = [_place(record.title) for record in page.context["page_obj"].object_list]
    api = client.get(api_url, {"area": area}).json()
    in_api = [_place(row["title"]) for row in api["results"]]
    assert sorted(on_page) == sorted(in_api) == sorted(EXPECTED[area])
    assert api["count"] == len(EXPECTED[area])


# ---------------------------------------------------------------- the directory


@pytest.fixture
def organisations(geography: Geography) -> None:
    for place in PLACES:
        OrganisationFactory(name=f"{place}: a provider", areas=[geography.of(place)])


@pytest.mark.parametrize("area", sorted(EXPECTED))
def test_directory_page_and_api(client: Client, organisations: None, area: str) -> None:
    page = client.get(reverse("directory:list"), {"area": area})
    assert page.status_code == 200
    on_page = {_place(row.organisation.name) for row in page.context["rows"]}
    api = client.get("/api/organisations", {"area": area}).json()
    in_api = {_place(row["name"]) for row in api["results"]}
    assert on_page == in_api == EXPECTED[area]


# ---------------------------------------------------------------- commissioning exercises


@pytest.fixture
def exercises(geography: Geography) -> None:
    for place in PLACES:
        ExerciseFactory(title=f"{place}: resettlement", areas=[geography.of(place)])


@pytest.mark.parametrize("area", sorted(EXPECTED))
def test_exercise_list_and_api(client: Client, exercises: None, area: str) -> None:
    _assert_page_and_api_list(client, reverse("exercises:list"), "/api/exercises", area)


def test_an_exercise_in_several_matching_areas_is_listed_once(
    client: Client, geography: Geography
) -> None:
    ExerciseFactory(
        title="north-east: across the region",
        areas=[geography.of("northumbria"), geography.of("durham"), geography.of("north-east")],
    )
    api = client.get("/api/exercises", {"area": "north-east"}).json()
    assert api["count"] == 1 and len(api["results"]) == 1


# ---------------------------------------------------------------- opportunities


@pytest.fixture
def opportunities(geography: Geography) -> None:
    for place in PLACES:
        opportunity = open_opportunity(title=f"{place}: accommodation", lots=2)
        for lot in opportunity.lots.all():  # both lots: the opportunity is still listed once
            lot.areas.set([geography.of(place)])


@pytest.mark.parametrize("area", sorted(EXPECTED))
def test_opportunity_list_and_api(client: Client, opportunities: None, area: str) -> None:
    _assert_page_and_api_list(client, reverse("procurement:list"), "/api/opportunities", area)


def test_a_national_lot_puts_its_opportunity_in_every_area(
    client: Client, geography: Geography
) -> None:
    opportunity = open_opportunity(title="Two lots", lots=2)
    first, second = opportunity.lots.order_by("number")
    first.areas.set([geography.of("london")])
    second.areas.set([geography.of("national")])
    for place in ("northumbria", "durham", "north-east", "london"):
        api = client.get("/api/opportunities", {"area": geography.of(place).slug}).json()
        assert [row["reference"] for row in api["results"]] == [opportunity.reference], place
