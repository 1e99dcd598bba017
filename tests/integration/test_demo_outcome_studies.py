"""Demo outcome studies (OUT-1, OUT-2, OUT-4, EQU-2): the demo providers' synthetic cohorts,
evaluated against the synthetic pool, one published and one linked to an exercise of the demo
commissioner's body; loading again replaces them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from commissioning.accounts.models import Membership, User
from commissioning.demo.outcome_studies import commissioner_exercise, load_demo_studies
from commissioning.demo.services import create_demo_users, load_market
from commissioning.demo.users import DemoUsersError
from commissioning.outcomes_web.models import OutcomeStudy
from commissioning_analytics.market.synthetic import generate_market
from tests.integration.test_outcomes_web_helpers import TEST_POOL_SIZE

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    settings.OUTCOMES_POOL_SIZE = TEST_POOL_SIZE
    settings.OUTCOMES_POOL_DIR = Path(tmp_path_factory.getbasetemp()) / "outcomes-pool"
    load_market(generate_market(2026, 0.05), replace=False)
    create_demo_users()


def _organisation(username: str) -> int:
    return Membership.objects.get(user__username=username, status="approved").organisation_id


@pytest.mark.usefixtures("demo")
def test_demo_studies_are_evaluated_for_the_demo_providers() -> None:
    studies = load_demo_studies(seed=2026)
    assert len(studies) == 3
    assert all(s.status == OutcomeStudy.Status.DONE for s in studies), [s.error for s in studies]
    assert all(s.is_synthetic and s.title.endswith("(synthetic)") for s in studies)
    owners = {s.organisation_id for s in studies}
    assert {_organisation("provider"), _organisation("provider2")} <= owners
    for study in studies:
        assert study.result["time_to_event"]["kaplan_meier"]["treated"]
        assert {row["variable"] for row in study.result["subgroups"]} == {
            "sex",
            "ethnicity",
            "area",
            "age band",  # OUT-3: the demo cohorts carry ages
        }
    published = [s for s in studies if s.is_published]
    assert len(published) == 1
    linked = [s for s in studies if s.exercise_id is not None]
    exercise = commissioner_exercise()
    assert exercise is not None
    assert [s.exercise for s in linked] == [exercise]
    assert exercise.commissioning_body_id in {
        _organisation("commissioner"),
        _organisation("commissioner-national"),
    }
    assert not linked[0].is_published


@pytest.mark.usefixtures("demo")
def test_loading_again_replaces_the_demo_studies() -> None:
    first = load_demo_studies()
    mine = OutcomeStudy.objects.create(
        organisation_id=_organisation("provider"),
        title="A real study",
        outcome="reoffended",
        cohort_csv="person_id\n",
    )
    second = load_demo_studies()
    assert OutcomeStudy.objects.filter(is_synthetic=True).count() == 3
    assert not OutcomeStudy.objects.filter(pk__in=[s.pk for s in first]).exists()
    assert [s.title for s in second] == [s.title for s in first]
    assert [s.result["effect"] for s in second] == [s.result["effect"] for s in first]
    assert OutcomeStudy.objects.filter(pk=mine.pk).exists()


@pytest.mark.usefixtures("demo")
def test_demo_users_see_the_demo_studies() -> None:
    studies = load_demo_studies()
    published = next(s for s in studies if s.is_published)
    anonymous = Client().get(reverse("outcomes:published")).content.decode()
    assert escape(published.title) in anonymous
    page = Client().get(reverse("outcomes:detail", args=[published.pk])).content.decode()
    assert "Synthetic" in page and "Kaplan–Meier curves" in page
    linked = next((s for s in studies if s.exercise_id), None)
    assert linked is not None
    body = linked.exercise.commissioning_body_id
    username = "commissioner" if body == _organisation("commissioner") else "commissioner-national"
    assert body == _organisation(username)
    client = Client()
    client.force_login(User.objects.get(username=username))
    listing = client.get(reverse("outcomes:list")).content.decode()
    assert escape(linked.title) in listing
    exercise_page = client.get(
        reverse("exercises:detail", args=[linked.exercise.reference])
    ).content.decode()
    assert escape(linked.title) in exercise_page


def test_demo_studies_need_the_demo_users() -> None:
    with pytest.raises(DemoUsersError, match="create the demo users first"):
        load_demo_studies()
