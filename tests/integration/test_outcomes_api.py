"""The JSON API of outcome studies (OUT-1, OUT-4; issue 17): the list shows published studies to
everyone and unpublished ones only to the uploading organisation's members; results carry the
page's figures with the same suppression of counts under 5; publishing and unpublishing refuse
what the pages refuse, writing nothing."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.outcomes_web import services
from commissioning.outcomes_web.models import OutcomeStudy
from tests.factories import (
    CommissioningBodyFactory,
    ExerciseFactory,
    OrganisationFactory,
    member_of,
)
from tests.integration.test_outcomes_web_helpers import TEST_POOL_SIZE, resettlement_csv
from tests.integration.test_outcomes_web_publishing import small_result

pytestmark = pytest.mark.django_db

API = "/api/outcome-studies"


@pytest.fixture
def people() -> dict[str, Any]:
    provider = OrganisationFactory(name="Study Owner Trust")
    body = CommissioningBodyFactory(name="Related Body PCC")
    return {
        "provider": provider,
        "exercise": ExerciseFactory(commissioning_body=body),
        "member": member_of(provider),
        "other_member": member_of(OrganisationFactory()),
        "commissioner": member_of(body, role=User.Role.COMMISSIONER),
        "anonymous": None,
    }


def _client(people: dict[str, Any], who: str) -> Client:
    client = Client()
    if people[who] is not None:
        client.force_login(people[who])
    return client


def _study(
    people: dict[str, Any],
    title: str,
    *,
    status: str = OutcomeStudy.Status.DONE,
    published: bool = False,
) -> OutcomeStudy:
    done = status == OutcomeStudy.Status.DONE
    return OutcomeStudy.objects.create(
        organisation=people["provider"],
        created_by=people["member"],
        title=title,
        outcome="reoffended",
        covariates=["age"],
        options={"caliper": 0.2, "replace": False, "ratio": 1},
        cohort_csv="person_id,age,reoffended\nP-SECRET-0001,34,1\n",
        cohort_filename="cohort_secret.csv",
        status=status,
        result=small_result() if done else None,
        published_at=timezone.now() if published else None,
        exercise=people["exercise"],
    )


def _titles(client: Client) -> set[str]:
    response = client.get(API, {"page_size": 100})
    assert response.status_code == 200
    return {study["title"] for study in response.json()["results"]}


def test_the_list_shows_drafts_only_to_the_owners_members(people: dict[str, Any]) -> None:
    _study(people, "Published study", published=True)
    _study(people, "Finished draft")
    _study(people, "Queued draft", status=OutcomeStudy.Status.QUEUED)
    everything = {"Published study", "Finished draft", "Queued draft"}

    assert _titles(_client(people, "anonymous")) == {"Published study"}
    assert _titles(_client(people, "other_member")) == {"Published study"}
    assert _titles(_client(people, "member")) == everything
    assert _titles(_client(people, "commissioner")) == everything  # the related exercise's body

    body = _client(people, "member").get(API, {"page": 2, "page_size": 2}).json()
    assert (body["count"], body["page"], len(body["results"])) == (3, 2, 1)


def test_the_detail_of_a_draft_is_hidden_from_everyone_else(people: dict[str, Any]) -> None:
    draft = _study(people, "Finished draft")
    for who in ("anonymous", "other_member"):
        for suffix in ("", "/results"):
            response = _client(people, who).get(f"{API}/{draft.pk}{suffix}")
            assert response.status_code == 404, (who, suffix)
            assert response.json() == {"detail": "No outcome study with that number", "errors": {}}

    detail = _client(people, "member").get(f"{API}/{draft.pk}").json()
    assert detail["status"] == "done" and detail["finished"] is True
    assert detail["cohort_size"] == 62 and detail["outcome"] == "reoffended"
    assert detail["is_published"] is False and detail["published_at"] is None
    assert detail["comparison_pool"] == "synthetic comparison pool"
    assert detail["exercise"] == people["exercise"].reference
    assert "P-SECRET" not in json.dumps(detail)


def test_results_are_refused_until_the_study_is_done(people: dict[str, Any]) -> None:
    queued = _study(people, "Queued draft", status=OutcomeStudy.Status.QUEUED)
    response = _client(people, "member").get(f"{API}/{queued.pk}/results")
    assert response.status_code == 409
    assert response.json()["detail"] == "This study has no results yet: it is queued"
    assert _client(people, "member").get(f"{API}/{queued.pk}").json()["cohort_size"] is None


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_suppressed_counts_stay_suppressed_in_json(people: dict[str, Any], who: str) -> None:
    study = _study(people, "Published study", published=True)
    body = _client(people, who).get(f"{API}/{study.pk}/results").json()
    assert body["counts"] == {
        "cohort": 62,
        "matched_treated": 61,
        "matched_comparison": "<5",
        "treated_with_outcome": "<5",
        "comparison_with_outcome_weighted": "<5",
    }
    assert body["full_view"] is (who == "member")
    rows = {row["label"]: row["value"] for row in body["rows"]}
    assert rows["Comparison people matched"] == "<5"
    assert rows["Matched cohort members with the outcome"] == "<5"
    assert body["significant"] is True  # −40 to −1 points excludes no difference
    assert "P-SECRET" not in json.dumps(body)


def _page_rows(client: Client, study: OutcomeStudy) -> dict[str, str]:
    """The results table of the study page, label to value, as the reader sees it."""
    page = client.get(reverse("outcomes:detail", args=[study.pk])).content.decode()
    cells = re.findall(
        r'<th scope="row" class="govuk-table__header">([^<]*)</th>'
        r'<td class="govuk-table__cell">([^<]*)</td>',
        page,
    )
    return {html.unescape(label): html.unescape(value) for label, value in cells}


@pytest.fixture
def _small_pool(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    settings.OUTCOMES_POOL_SIZE = TEST_POOL_SIZE
    settings.OUTCOMES_POOL_DIR = Path(tmp_path_factory.getbasetemp()) / "outcomes-pool"


@pytest.mark.usefixtures("_small_pool")
@pytest.mark.parametrize("who", ["member", "anonymous"])
def test_results_match_the_page_for_a_finished_study(people: dict[str, Any], who: str) -> None:
    study = OutcomeStudy.objects.create(
        organisation=people["provider"],
        created_by=people["member"],
        title="Resettlement 2024",
        outcome="reoffended",
        covariates=["age", "prior_offences", "custody_index", "ogrs_score"],
        options={"caliper": 0.2, "replace": True, "ratio": 1},
        cohort_csv=resettlement_csv(),
        cohort_filename="cohort_resettlement.csv",
    )
    assert services.run_study(study.pk) == OutcomeStudy.Status.DONE
    study.refresh_from_db()
    if who == "anonymous":
        services.publish_study(people["member"], study.pk)
    client = _client(people, who)

    body = client.get(f"{API}/{study.pk}/results").json()

    result = study.result
    api_rows = {row["label"]: row["value"] for row in body["rows"]}
    page_rows = _page_rows(client, study)  # the results table and the survival facts
    assert len(api_rows) == 10 and api_rows.items() <= page_rows.items()
    assert page_rows["People in the cohort"] == "400"
    assert body["counts"]["cohort"] == 400
    assert body["counts"]["matched_treated"] == result["published_counts"]["matched_treated"]
    assert (body["effect"], body["ci_low"], body["ci_high"], body["p_value"]) == (
        result["effect"],
        result["ci_low"],
        result["ci_high"],
        result["p_value"],
    )
    assert body["significant"] is (result["ci_low"] > 0 or result["ci_high"] < 0)
    assert body["statement"] == result["statement"] and body["statement"] in html.unescape(
        client.get(reverse("outcomes:detail", args=[study.pk])).content.decode()
    )


def test_publish_by_a_non_member_is_refused_and_writes_nothing(people: dict[str, Any]) -> None:
    draft = _study(people, "Finished draft")
    published = _study(people, "Published study", published=True)

    for who in ("other_member", "commissioner"):
        refused = _client(people, who).post(f"{API}/{draft.pk}/publish")
        assert refused.status_code == 403, who
        assert refused.json() == {
            "detail": "Only members of the uploading organisation can publish its study",
            "errors": {},
        }
    refused = _client(people, "other_member").post(
        f"{API}/{published.pk}/unpublish", {"reason": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert _client(people, "anonymous").post(f"{API}/{draft.pk}/publish").status_code == 401

    draft.refresh_from_db()
    published.refresh_from_db()
    assert not draft.is_published and published.is_published
    assert not AuditEvent.objects.filter(action__in=["publish", "unpublish"]).exists()


def test_a_member_publishes_a_finished_study_once(people: dict[str, Any]) -> None:
    draft = _study(people, "Finished draft")
    queued = _study(people, "Queued draft", status=OutcomeStudy.Status.QUEUED)
    client = _client(people, "member")

    published = client.post(f"{API}/{draft.pk}/publish")
    assert published.status_code == 200
    assert published.json()["is_published"] is True
    again = client.post(f"{API}/{draft.pk}/publish")
    assert again.status_code == 409
    assert again.json()["detail"] == "This study is already published"
    unfinished = client.post(f"{API}/{queued.pk}/publish")
    assert unfinished.status_code == 409
    assert unfinished.json()["detail"] == (
        "Only a finished study can be published: this study is queued"
    )

    queued.refresh_from_db()
    assert not queued.is_published
    event = AuditEvent.objects.get(action="publish")
    assert (event.target_id, event.actor) == (str(draft.pk), people["member"])
    assert "Finished draft" in _titles(_client(people, "anonymous"))


def test_unpublish_needs_a_reason(people: dict[str, Any]) -> None:
    study = _study(people, "Published study", published=True)
    client = _client(people, "member")
    url = f"{API}/{study.pk}/unpublish"

    for body in ({}, {"reason": "   "}):
        refused = client.post(url, body, content_type="application/json")
        assert refused.status_code == 400, body
        assert refused.json() == {
            "detail": "Enter why the study is being unpublished",
            "errors": {"reason": ["Enter why the study is being unpublished"]},
        }
    study.refresh_from_db()
    assert study.is_published

    done = client.post(url, {"reason": "The cohort file was the wrong year"}, "application/json")
    assert done.status_code == 200 and done.json()["is_published"] is False
    event = AuditEvent.objects.get(action="unpublish")
    assert event.changes["reason"] == "The cohort file was the wrong year"
    assert _titles(_client(people, "anonymous")) == set()
    again = client.post(url, {"reason": "Again"}, "application/json")
    assert again.status_code == 409 and again.json()["detail"] == "This study is not published"
