"""The heaviest public pages are rendered once per state of what they show and served from the
cache to anonymous visitors until that changes (issue 21, MKT-1, SUP-1, PRO-9, LAW-1): a page
changes as soon as what it shows changes, and a signed-in visitor's page is never served to
anyone else, nor a cached page to a signed-in visitor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from commissioning.directory import services as directory_services
from tests.contract_factories import ContractFactory, OpportunityFactory
from tests.factories import ExerciseFactory, OrganisationFactory, client_for, member_of
from tests.integration.test_opendata_pipeline import _exercise_in_plan

pytestmark = pytest.mark.django_db


def _get(url: str, user: Any = None) -> str:
    response = client_for(user).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# (name, URL maker given a contract, the module whose ``render`` draws the page)
PAGES: list[tuple[str, Callable[[Any], str], str]] = [
    ("home", lambda c: reverse("web:home"), "commissioning.web.views.render"),
    ("directory", lambda c: reverse("directory:list"), "commissioning.directory.views.render"),
    (
        "directory filtered",
        lambda c: reverse("directory:list") + "?q=Resettlement&page=1",
        "commissioning.directory.views.render",
    ),
    (
        "profile",
        lambda c: reverse("directory:organisation", args=[c.prime.slug]),
        "commissioning.directory.views.render",
    ),
    ("contracts", lambda c: reverse("contracts:list"), "commissioning.contracts.views.render"),
    (
        "contract",
        lambda c: reverse("contracts:detail", args=[c.reference]),
        "commissioning.contracts.views.render",
    ),
    ("exercises", lambda c: reverse("exercises:list"), "commissioning.exercises.views.render"),
    (
        "opportunities",
        lambda c: reverse("procurement:list"),
        "commissioning.procurement.views.render",
    ),
    ("open data", lambda c: reverse("opendata:index"), "commissioning.opendata.views._template"),
]


@pytest.mark.parametrize(("name", "url_of", "renderer"), PAGES, ids=[p[0] for p in PAGES])
def test_a_public_page_is_rendered_once_for_two_anonymous_visitors(
    name: str, url_of: Callable[[Any], str], renderer: str
) -> None:
    contract = ContractFactory(title="Through the gate")
    url = url_of(contract)
    with mock.patch(renderer, side_effect=_original(renderer)) as draw:
        first, second = _get(url), _get(url)
    assert draw.call_count == 1, name
    assert first == second


def _original(dotted: str) -> Any:
    module, _, attribute = dotted.rpartition(".")
    return getattr(__import__(module, fromlist=[attribute]), attribute)


def test_the_directory_shows_a_profile_change_at_once() -> None:
    organisation = OrganisationFactory(description="Mentoring on release.")
    member = member_of(organisation)
    profile = reverse("directory:organisation", args=[organisation.slug])
    assert "Mentoring on release." in _get(profile)
    directory_services.update_organisation(
        member, organisation, {"description": "Housing advice within a week of release."}
    )
    html = _get(profile)
    assert "Housing advice within a week of release." in html
    assert "Mentoring on release." not in html


def test_a_new_provider_appears_in_the_cached_directory_list() -> None:
    OrganisationFactory(name="Alder Resettlement Trust")
    url = reverse("directory:list")
    assert "Alder Resettlement Trust" in _get(url)
    assert "Birch Housing Project" not in _get(url)
    OrganisationFactory(name="Birch Housing Project")
    assert "Birch Housing Project" in _get(url)


def test_contract_list_and_detail_show_a_renamed_contract_at_once() -> None:
    contract = ContractFactory(title="Through the gate")
    detail = reverse("contracts:detail", args=[contract.reference])
    assert "Through the gate" in _get(detail) and "Through the gate" in _get("/contracts/")
    contract.title = "Beyond the gate"
    contract.save()
    assert "Beyond the gate" in _get(detail)
    assert "Beyond the gate" in _get(reverse("contracts:list"))


def test_exercise_and_opportunity_lists_show_a_change_at_once() -> None:
    exercise = ExerciseFactory(title="Women's centres")
    opportunity = OpportunityFactory(title="Accommodation lot", status="open")
    assert "Women&#x27;s centres" in _get(reverse("exercises:list"))
    assert "Accommodation lot" in _get(reverse("procurement:list"))
    exercise.title = "Family ties"
    exercise.save()
    opportunity.title = "Accommodation and support lot"
    opportunity.save()
    assert "Family ties" in _get(reverse("exercises:list"))
    assert "Accommodation and support lot" in _get(reverse("procurement:list"))


def test_the_bulk_file_is_built_once_and_again_after_a_change() -> None:
    from commissioning.opendata import views

    _exercise_in_plan("700000.00", timezone.make_aware(datetime(2026, 3, 2)))
    url = reverse("opendata:releases")
    signed_in = client_for(member_of(OrganisationFactory()))
    with mock.patch.object(views, "all_releases", wraps=views.all_releases) as build:
        first = client_for(None).get(url).json()
        assert signed_in.get(url).json() == first  # the same file for everyone
        assert build.call_count == 1
        _exercise_in_plan("800000.00", timezone.make_aware(datetime(2026, 3, 3)))
        second = client_for(None).get(url).json()
    assert build.call_count == 2
    assert len(second["releases"]) == len(first["releases"]) + 1


@pytest.mark.parametrize(
    "url_of",
    [p[1] for p in PAGES],
    ids=[p[0] for p in PAGES],
)
def test_a_signed_in_page_is_never_served_to_anyone_else(url_of: Callable[[Any], str]) -> None:
    contract = ContractFactory(title="Through the gate")
    url = url_of(contract)
    first = member_of(contract.prime, first_name="Imogen", last_name="Quarrie")
    other = member_of(OrganisationFactory(), first_name="Tobias", last_name="Venn")
    anonymous_first = _get(url)  # cached for visitors
    assert "Signed in as" not in anonymous_first
    for_first = _get(url, first)
    assert "Signed in as Imogen Quarrie" in for_first  # a cached page is not served to her
    for html in (_get(url), _get(url, other)):
        assert "Imogen Quarrie" not in html and first.email not in html
        assert "csrfmiddlewaretoken" not in html or "Tobias Venn" in html
    assert "Signed in as Tobias Venn" in _get(url, other)
    assert "Signed in as" not in _get(url)
