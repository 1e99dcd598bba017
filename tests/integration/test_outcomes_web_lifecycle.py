"""The outcome study's lifecycle module (OUT-1; issue 12): queued → running → done | failed, each
move a guarded conditional update, so a study another worker has started, or one already
finished, is never run again."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.outcomes_web import lifecycle, services
from commissioning.outcomes_web.models import OutcomeStudy
from tests.factories import OrganisationFactory, member_of
from tests.integration.test_outcomes_web_helpers import TEST_POOL_SIZE, resettlement_csv

pytestmark = pytest.mark.django_db

Status = OutcomeStudy.Status


@pytest.fixture(autouse=True)
def _small_pool(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    settings.OUTCOMES_POOL_SIZE = TEST_POOL_SIZE
    settings.OUTCOMES_POOL_DIR = tmp_path_factory.getbasetemp() / "outcomes-pool"


def _too_small_study() -> OutcomeStudy:
    study: OutcomeStudy = OutcomeStudy.objects.create(
        organisation=OrganisationFactory(),
        title="Too small",
        outcome="reoffended",
        covariates=["age"],
        options={"caliper": 0.2, "replace": False, "ratio": 1},
        cohort_csv="\n".join(resettlement_csv().splitlines()[:30]) + "\n",
        cohort_filename="small.csv",
    )
    return study


def test_the_table() -> None:
    assert set(lifecycle.TRANSITIONS) == {
        (Status.QUEUED, Status.RUNNING),
        (Status.RUNNING, Status.DONE),
        (Status.RUNNING, Status.FAILED),
    }


def test_a_study_another_worker_started_is_not_run_again() -> None:
    study = _too_small_study()
    assert lifecycle.start(study.pk)
    assert not lifecycle.start(study.pk)
    assert services.run_study(study.pk) == Status.RUNNING
    study.refresh_from_db()
    assert (study.status, study.error) == (Status.RUNNING, "")


def test_a_finished_study_is_left_as_it_is() -> None:
    study = _too_small_study()
    assert services.run_study(study.pk) == Status.FAILED
    study.refresh_from_db()
    error = study.error
    assert error.startswith("the cohort (small.csv) has 29 people")
    assert not lifecycle.finish(study.pk, Status.DONE, {"x": 1}, "")
    assert services.run_study(study.pk) == Status.FAILED
    study.refresh_from_db()
    assert (study.status, study.error, study.result) == (Status.FAILED, error, None)


def test_the_study_page_refreshes_itself_only_while_queued_or_running(client: Client) -> None:
    """Issue 17: the queued page reloads itself (a meta refresh: no inline script under the
    Content Security Policy) and stops once the analysis has ended (OUT-1)."""
    study = _too_small_study()
    client.force_login(member_of(study.organisation))
    url = reverse("outcomes:detail", kwargs={"pk": study.pk})
    refresh = '<meta http-equiv="refresh" content="5">'

    queued = client.get(url).content.decode()
    assert refresh in queued
    assert "This page refreshes itself every 5 seconds until the result is ready" in queued
    assert lifecycle.start(study.pk)
    assert refresh in client.get(url).content.decode()
    assert lifecycle.finish(study.pk, Status.FAILED, None, "the cohort has 29 people")

    finished = client.get(url).content.decode()
    assert refresh not in finished and "http-equiv" not in finished
    assert "the cohort has 29 people" in finished
