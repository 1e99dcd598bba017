"""The heaviest public pages are rendered once per state of what they show and served from the
cache to anonymous visitors until that changes (issue 21, MKT-1, SUP-1, PRO-9, LAW-1): a page
changes as soon as what it shows changes, and a signed-in visitor's page is never served to
anyone else, nor a cached page to a signed-in visitor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import update_last_login
from django.urls import reverse
from django.utils import timezone

from commissioning.contracts.models import Contract
from commissioning.directory import services as directory_services
from commissioning.directory.models import Area, Organisation
from commissioning.kernel import pagecache
from commissioning.outcomes_web import services as outcome_services
from commissioning.outcomes_web.models import OutcomeStudy
from tests.contract_factories import ContractFactory, OpportunityFactory
from tests.factories import AreaFactory, ExerciseFactory, OrganisationFactory, client_for, member_of
from tests.integration.test_opendata_pipeline import _exercise_in_plan
from tests.integration.test_outcomes_web_publishing import small_result

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
    (
        "exercise",
        lambda c: reverse("exercises:detail", args=[c.lot.opportunity.exercise.reference]),
        "commissioning.exercises.views.render",
    ),
    (
        "opportunity",
        lambda c: reverse("procurement:detail", args=[c.lot.opportunity.reference]),
        "commissioning.procurement.views.render",
    ),
    (
        "market map",
        lambda c: _market_url(),
        "commissioning.stewardship.views.render",
    ),
    (
        "published studies",
        lambda c: reverse("outcomes:published"),
        "commissioning.outcomes_web.views.render",
    ),
    (
        "published study",
        lambda c: reverse("outcomes:detail", args=[_published_study(c).pk]),
        "commissioning.outcomes_web.views.render",
    ),
]


def _market_url() -> str:
    """The market map of England and Wales (the area a migrated database has)."""
    AreaFactory(kind=Area.Kind.NATIONAL, slug="england-and-wales", name="England and Wales")
    return reverse("stewardship:market")


def _published_study(contract: Any, title: str = "Mentoring on release") -> OutcomeStudy:
    """A done study of the contract's prime, published through the service (OUT-1)."""
    member = member_of(contract.prime)
    study = OutcomeStudy.objects.create(
        organisation=contract.prime,
        created_by=member,
        title=title,
        outcome="reoffended",
        covariates=["age"],
        options={"caliper": 0.2, "replace": False, "ratio": 1},
        cohort_csv="person_id,age,reoffended\nP-1,34,1\n",
        cohort_filename="cohort.csv",
        status=OutcomeStudy.Status.DONE,
        result=small_result(),
        exercise=contract.lot.opportunity.exercise,
    )
    return outcome_services.publish_study(member, study.pk)


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


def test_a_withdrawn_study_leaves_the_cached_published_pages_at_once() -> None:
    """Publishing and withdrawing write with ``QuerySet.update()``, which no save signal sees."""
    contract = ContractFactory()
    study = _published_study(contract, title="Housing first pilot")
    listing, detail = reverse("outcomes:published"), reverse("outcomes:detail", args=[study.pk])
    assert "Housing first pilot" in _get(listing) and "Housing first pilot" in _get(detail)
    owner = member_of(contract.prime)
    outcome_services.unpublish_study(owner, study.pk, "The cohort file was the wrong year.")
    assert "Housing first pilot" not in _get(listing)
    assert client_for(None).get(detail).status_code == 302  # to sign in: no longer public


def test_exercise_and_opportunity_pages_show_a_change_at_once() -> None:
    contract = ContractFactory()
    opportunity = contract.lot.opportunity
    exercise_url = reverse("exercises:detail", args=[opportunity.exercise.reference])
    opportunity_url = reverse("procurement:detail", args=[opportunity.reference])
    _get(exercise_url), _get(opportunity_url)
    opportunity.exercise.title = "Family ties"
    opportunity.exercise.save()
    opportunity.title = "Accommodation and support lot"
    opportunity.save()
    assert "Family ties" in _get(exercise_url)
    assert "Accommodation and support lot" in _get(opportunity_url)


def test_an_open_opportunity_is_kept_only_until_its_deadline() -> None:
    deadline = timezone.now() + timedelta(minutes=10)
    opportunity = OpportunityFactory(status="open", bid_deadline=deadline)
    url = reverse("procurement:detail", args=[opportunity.reference])
    with mock.patch.object(pagecache.cache, "set", wraps=pagecache.cache.set) as stored:
        _get(url)
    page_sets = [c for c in stored.call_args_list if str(c.args[0]).startswith("pagecache:")]
    kept = [c.args[2] for c in page_sets if not str(c.args[0]).startswith(GENERATION)]
    assert kept and 0 < kept[-1] <= 600


GENERATION = pagecache.GENERATION_KEY


def test_writes_no_signal_sees_still_change_the_page() -> None:
    """``QuerySet.update()`` and ``bulk_create`` send no save signal and leave ``updated_at`` as
    it was: the page changes all the same."""
    contract = ContractFactory(title="Through the gate")
    detail = reverse("contracts:detail", args=[contract.reference])
    assert "Through the gate" in _get(detail)
    Contract.objects.filter(pk=contract.pk).update(title="Beyond the gate")
    assert "Beyond the gate" in _get(detail)
    listing = reverse("directory:list")
    assert "Cedar Mentoring" not in _get(listing)
    Organisation.objects.bulk_create([OrganisationFactory.build(name="Cedar Mentoring")])
    assert "Cedar Mentoring" in _get(listing)


@pytest.fixture
def shared_cache(settings: Any) -> None:
    """As deployed with a shared cache: the aggregate is checked only now and then."""
    settings.PAGE_CACHE_CHECK_SECONDS = 3600
    pagecache._checked.clear()


@pytest.mark.usefixtures("shared_cache")
def test_with_a_shared_cache_a_cached_page_costs_no_query(
    django_assert_num_queries: Any,
) -> None:
    contract = ContractFactory(title="Through the gate")
    detail = reverse("contracts:detail", args=[contract.reference])
    _get(detail)
    with django_assert_num_queries(0):
        assert "Through the gate" in _get(detail)
    contract.title = "Beyond the gate"
    contract.save()
    assert "Beyond the gate" in _get(detail)


@pytest.mark.usefixtures("shared_cache")
def test_the_periodic_check_catches_a_write_django_did_not_see() -> None:
    contract = ContractFactory(title="Through the gate")
    detail = reverse("contracts:detail", args=[contract.reference])
    _get(detail)
    with mock.patch.object(pagecache, "bump"):  # as if written from outside Django
        OrganisationFactory(name="Unseen Trust")
        Contract.objects.filter(pk=contract.pk).update(title="Beyond the gate")
    assert "Through the gate" in _get(detail)  # not yet checked
    later = pagecache.time.monotonic() + pagecache.CHECK_SECONDS * 200
    with mock.patch.object(pagecache.time, "monotonic", return_value=later):
        assert "Beyond the gate" in _get(detail)


def test_signing_in_does_not_empty_the_cache() -> None:
    """Django saves the sign-in time on every login; no page shows it."""
    user = member_of(OrganisationFactory())
    before = pagecache.data_version(["directory"])
    update_last_login(None, user)
    assert pagecache.data_version(["directory"]) == before
    user.first_name = "Imogen"
    user.save()
    assert pagecache.data_version(["directory"]) != before


def test_the_search_api_answers_anonymous_calls_from_the_cache() -> None:
    OrganisationFactory(name="Alder Resettlement Trust")
    url = "/api/organisations" + "?q=Alder"
    search = "commissioning.directory.queries.search_organisations"
    with mock.patch(search, side_effect=_original(search)) as query:
        first = client_for(None).get(url).json()
        second = client_for(None).get(url).json()
    assert query.call_count == 1
    assert first == second and [r["name"] for r in first["results"]] == ["Alder Resettlement Trust"]
    OrganisationFactory(name="Alder Housing Project")
    names = [r["name"] for r in client_for(None).get(url).json()["results"]]
    assert names == ["Alder Housing Project", "Alder Resettlement Trust"]


def test_the_search_api_is_not_served_from_the_cache_to_signed_in_or_token_callers() -> None:
    OrganisationFactory(name="Alder Resettlement Trust")
    url = "/api/organisations" + "?q=Alder"
    search = "commissioning.directory.queries.search_organisations"
    client_for(None).get(url)
    with mock.patch(search, side_effect=_original(search)) as query:
        assert client_for(member_of(OrganisationFactory())).get(url).status_code == 200
        client_for(None).get(url, HTTP_AUTHORIZATION="Bearer some-token")
    assert query.call_count == 2
    bad = client_for(None).get("/api/organisations" + "?area=nowhere")
    assert bad.status_code == 400


def test_the_market_map_shows_a_renamed_provider_at_once() -> None:
    """The market map is cached whole for visitors, and its figures per state of the records
    they are computed from (MKT-1)."""
    contract = ContractFactory(title="Through the gate")
    prime = contract.prime
    url = _market_url()
    assert prime.name in _get(url)
    prime.name = "Rowan Resettlement Partnership"  # as the directory's administrators do
    prime.save()
    assert "Rowan Resettlement Partnership" in _get(url)


@pytest.mark.usefixtures("shared_cache")
def test_a_page_this_process_served_costs_one_cache_read() -> None:
    """The process's own copy, under the same key: only the token is read from the cache."""
    contract = ContractFactory(title="Through the gate")
    detail = reverse("contracts:detail", args=[contract.reference])
    _get(detail)
    with mock.patch.object(pagecache.cache, "get", wraps=pagecache.cache.get) as read:
        assert "Through the gate" in _get(detail)
    assert [c.args[0] for c in read.call_args_list] == [GENERATION]
    Contract.objects.filter(pk=contract.pk).update(title="Beyond the gate")
    assert "Beyond the gate" in _get(detail)


@pytest.mark.usefixtures("shared_cache")
def test_another_process_takes_the_shared_copy_and_keeps_it_no_longer() -> None:
    """A worker that did not render the page takes it from the shared cache with its expiry: an
    open opportunity's page is not kept in the worker past the deadline."""
    deadline = timezone.now() + timedelta(minutes=10)
    opportunity = OpportunityFactory(status="open", bid_deadline=deadline)
    url = reverse("procurement:detail", args=[opportunity.reference])
    first = _get(url)
    pagecache.hot_pages.clear()  # as another worker would start
    render = "commissioning.procurement.views.render"
    with mock.patch(render, side_effect=_original(render)) as draw:
        assert _get(url) == first
        assert draw.call_count == 0
        later = pagecache.time.time() + 11 * 60
        with mock.patch.object(pagecache.time, "time", return_value=later):  # every clock
            _get(url)
        assert draw.call_count == 1


def test_the_process_copy_keeps_within_its_bound_dropping_the_least_recent() -> None:
    hot = pagecache._HotPages()
    quarter = pagecache.HOT_BYTES // 4
    for name in "abcd":
        hot.put(name, b"x" * quarter, "text/html", 60)
    assert hot.get("a") is not None  # a is now the most recent
    hot.put("e", b"x" * quarter, "text/html", 60)
    assert hot.get("b") is None and hot.get("a") is not None and hot.get("e") is not None
    hot.put("too big", b"x" * (quarter + 1), "text/html", 60)
    assert hot.get("too big") is None
    hot.put("expired", b"x", "text/html", 0)
    assert hot.get("expired") is None
