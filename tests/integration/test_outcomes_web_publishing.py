"""Related exercises and publishing of outcome studies (OUT-1, OUT-4; issue 6): the uploading
organisation and the commissioners of the related exercise's body see the unpublished result;
a published study is public, with every count under the core's suppression rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.outcomes_web.models import OutcomeStudy
from commissioning_analytics.outcomes.safeguards import publish_count
from tests.factories import (
    CommissioningBodyFactory,
    ExerciseFactory,
    OrganisationFactory,
    member_of,
)
from tests.integration.test_outcomes_web_helpers import (
    COVARIATES_TEXT,
    TEST_POOL_SIZE,
    resettlement_csv,
)

pytestmark = pytest.mark.django_db

PERSON_ROW = "P-SECRET-0001,34,1"


def small_result() -> dict[str, Any]:
    """A stored result (as :func:`run_study` stores ``Evaluation.to_dict()``) in which some
    counts are under 5: 3 matched cohort members had the outcome, 4 comparison people matched."""
    return {
        "outcome": "reoffended",
        "outcome_type": "binary",
        "n_treated": 62,
        "n_pool": 5000,
        "n_matched_treated": 61,
        "n_matched_comparison": 4,
        "share_matched": 61 / 62,
        "caliper_width_logit": 0.4,
        "treated_mean": 3 / 61,
        "comparison_mean": 0.25,
        "effect": 3 / 61 - 0.25,
        "standard_error": 0.1,
        "ci_low": -0.4,
        "ci_high": -0.01,
        "confidence": 0.95,
        "p_value": 0.04,
        "balance": [
            {
                "covariate": "age",
                "smd_before": 0.3,
                "smd_after": 0.02,
                "variance_ratio_before": 1.1,
                "variance_ratio_after": 1.0,
            }
        ],
        "propensity_model": {
            "terms": ["(intercept)", "age"],
            "coefficients": [0.1, 0.2],
            "converged": True,
            "iterations": 5,
        },
        "published_counts": {
            "matched_treated": publish_count(61),
            "matched_comparison": publish_count(4),
            "treated_with_outcome": publish_count(3),
            "comparison_with_outcome_weighted": publish_count(1.2),
        },
        "statement": "For 100 typical people who receive support, the number could be lower.",
        "warnings": [],
        "comparison_pool": {"label": "synthetic comparison pool", "seed": 2026, "size": 5000},
    }


@pytest.fixture
def setting() -> dict[str, Any]:
    provider = OrganisationFactory(name="Study Owner Trust")
    body = CommissioningBodyFactory(name="Related Body PCC")
    exercise = ExerciseFactory(commissioning_body=body)
    return {
        "provider": provider,
        "exercise": exercise,
        "member": member_of(provider),
        "other_member": member_of(OrganisationFactory()),
        "commissioner": member_of(body, role=User.Role.COMMISSIONER),
        "evaluator_of_body": member_of(body, role=User.Role.EVALUATOR),
        "other_commissioner": member_of(CommissioningBodyFactory(), role=User.Role.COMMISSIONER),
        "anonymous": None,
    }


def _client(setting: dict[str, Any], who: str) -> Client:
    client = Client()
    if setting[who] is not None:
        client.force_login(setting[who])
    return client


def _study(
    setting: dict[str, Any],
    *,
    status: str = OutcomeStudy.Status.DONE,
    published: bool = False,
    title: str = "Owner's study",
) -> OutcomeStudy:
    done = status == OutcomeStudy.Status.DONE
    study = OutcomeStudy.objects.create(
        organisation=setting["provider"],
        created_by=setting["member"],
        title=title,
        outcome="reoffended",
        covariates=["age"],
        options={"caliper": 0.2, "replace": False, "ratio": 1},
        cohort_csv=f"person_id,age,reoffended\n{PERSON_ROW}\n",
        cohort_filename="cohort_secret.csv",
        status=status,
        result=small_result() if done else None,
        error="" if done else "the cohort has 12 people; at least 60 are needed",
        exercise=setting["exercise"],
    )
    if published:
        client = _client(setting, "member")
        assert client.post(reverse("outcomes:publish", kwargs={"pk": study.pk})).status_code == 302
        study.refresh_from_db()
    return study


NAMES = ["outcomes:detail", "outcomes:download-json", "outcomes:download-csv"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("commissioner", 200),
        ("member", 200),
        ("other_commissioner", 403),
        ("evaluator_of_body", 403),
        ("other_member", 403),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize("name", NAMES)
def test_unpublished_study_is_seen_by_owner_and_related_commissioners(
    setting: dict[str, Any], who: str, expected: int, name: str
) -> None:
    study = _study(setting)
    response = _client(setting, who).get(reverse(name, kwargs={"pk": study.pk}))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("accounts:sign-in"))
    if expected == 200 and name == "outcomes:download-json":
        assert json.loads(response.content)["n_matched_comparison"] == 4  # the full result


def test_study_without_related_exercise_is_hidden_from_commissioners(
    setting: dict[str, Any],
) -> None:
    study = _study(setting)
    OutcomeStudy.objects.filter(pk=study.pk).update(exercise=None)
    response = _client(setting, "commissioner").get(reverse("outcomes:detail", args=[study.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["anonymous", "other_commissioner", "other_member"])
@pytest.mark.parametrize("name", NAMES)
def test_published_study_is_public(setting: dict[str, Any], who: str, name: str) -> None:
    study = _study(setting, published=True)
    response = _client(setting, who).get(reverse(name, kwargs={"pk": study.pk}))
    assert response.status_code == 200


def test_publishing_by_a_member_is_audited(setting: dict[str, Any]) -> None:
    study = _study(setting)
    client = _client(setting, "member")
    page = client.get(reverse("outcomes:detail", args=[study.pk])).content.decode()
    assert "Publish this study" in page

    response = client.post(reverse("outcomes:publish", args=[study.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("outcomes:detail", args=[study.pk])
    study.refresh_from_db()
    assert study.is_published and study.published_by == setting["member"]
    event = AuditEvent.objects.get(action="publish", target_id=str(study.pk))
    assert event.actor == setting["member"]
    assert event.changes["published_at"]["to"] == study.published_at.isoformat()
    page = client.get(response["Location"]).content.decode()
    assert "Published" in page and "Publish this study" not in page


@pytest.mark.parametrize(
    ("who", "expected"),
    [("other_member", 403), ("commissioner", 403), ("other_commissioner", 403)],
)
def test_publishing_by_a_non_member_is_refused(
    setting: dict[str, Any], who: str, expected: int
) -> None:
    study = _study(setting)
    response = _client(setting, who).post(reverse("outcomes:publish", args=[study.pk]))
    assert response.status_code == expected
    study.refresh_from_db()
    assert not study.is_published
    assert not AuditEvent.objects.filter(action="publish").exists()


def test_publishing_needs_sign_in(setting: dict[str, Any]) -> None:
    study = _study(setting)
    response = _client(setting, "anonymous").post(reverse("outcomes:publish", args=[study.pk]))
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    study.refresh_from_db()
    assert not study.is_published


@pytest.mark.parametrize(
    ("status", "word"),
    [(OutcomeStudy.Status.FAILED, "failed"), (OutcomeStudy.Status.QUEUED, "queued")],
)
def test_unfinished_study_cannot_be_published(
    setting: dict[str, Any], status: str, word: str
) -> None:
    study = _study(setting, status=status)
    client = _client(setting, "member")
    assert (
        "Publish this study"
        not in client.get(reverse("outcomes:detail", args=[study.pk])).content.decode()
    )

    response = client.post(reverse("outcomes:publish", args=[study.pk]))

    assert response.status_code == 400
    page = response.content.decode()
    assert "The study could not be published" in page
    assert "<title>Error: Owner&#x27;s study" in page
    assert f"Only a finished study can be published: this study is {word}" in page
    study.refresh_from_db()
    assert not study.is_published
    assert not AuditEvent.objects.filter(action="publish").exists()


def test_publishing_twice_is_refused(setting: dict[str, Any]) -> None:
    study = _study(setting, published=True)
    response = _client(setting, "member").post(reverse("outcomes:publish", args=[study.pk]))
    assert response.status_code == 400
    assert "This study is already published" in response.content.decode()
    assert AuditEvent.objects.filter(action="publish").count() == 1


def test_published_view_suppresses_every_count(setting: dict[str, Any]) -> None:
    study = _study(setting, published=True)
    client = _client(setting, "anonymous")

    page = client.get(reverse("outcomes:detail", args=[study.pk])).content.decode()
    assert "published summary" in page
    assert page.count("&lt;5") >= 3  # matched comparison, cohort with the outcome, weighted
    assert PERSON_ROW not in page and "P-SECRET" not in page
    assert "cohort_secret.csv" not in page

    published = json.loads(client.get(reverse("outcomes:download-json", args=[study.pk])).content)
    assert published["n_matched_comparison"] == "<5"
    assert published["n_treated"] == 62
    assert published["published_counts"]["treated_with_outcome"] == "<5"
    assert "propensity_model" not in published
    assert "P-SECRET" not in json.dumps(published)

    csv_text = client.get(reverse("outcomes:download-csv", args=[study.pk])).content.decode()
    assert "result,n_matched_comparison,<5" in csv_text
    assert "P-SECRET" not in csv_text


def test_owner_still_sees_the_full_result_after_publishing(setting: dict[str, Any]) -> None:
    study = _study(setting, published=True)
    full = json.loads(
        _client(setting, "member").get(reverse("outcomes:download-json", args=[study.pk])).content
    )
    assert full["n_matched_comparison"] == 4


def test_public_list_shows_only_published_studies(setting: dict[str, Any]) -> None:
    _study(setting, published=True, title="Published resettlement study")
    _study(setting, title="Private draft study")
    response = _client(setting, "anonymous").get(reverse("outcomes:published"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("outcomes:published") == "/outcomes/published/"
    assert "Published resettlement study" in page
    assert "Private draft study" not in page
    assert "Study Owner Trust" in page and "reoffended" in page
    assert "the number could be lower" in page


def test_public_list_paginates(setting: dict[str, Any]) -> None:
    for number in range(26):
        _study(setting, published=True, title=f"Published study {number:02d}")
    client = _client(setting, "anonymous")
    first = client.get(reverse("outcomes:published")).content.decode()
    second = client.get(reverse("outcomes:published"), {"page": 2}).content.decode()
    shown = [f"Published study {n:02d}" for n in range(26)]
    on_first = {title for title in shown if title in first}
    on_second = {title for title in shown if title in second}
    assert on_first and on_second and not on_first & on_second
    assert on_first | on_second == set(shown)


@pytest.fixture
def _small_pool(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    settings.OUTCOMES_POOL_SIZE = TEST_POOL_SIZE
    settings.OUTCOMES_POOL_DIR = Path(tmp_path_factory.getbasetemp()) / "outcomes-pool"


def _upload_data(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "Resettlement 2024",
        "cohort_file": SimpleUploadedFile(
            "cohort_resettlement.csv", resettlement_csv().encode(), "text/csv"
        ),
        "outcome": "reoffended",
        "covariates": COVARIATES_TEXT,
        "replace": "yes",
        "ratio": "1",
        "caliper": "0.2",
        **overrides,
    }


@pytest.mark.usefixtures("_small_pool")
def test_upload_with_a_related_exercise(
    setting: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = _client(setting, "member")
    exercise = setting["exercise"]
    form_page = client.get(reverse("outcomes:upload")).content.decode()
    assert f'<option value="{exercise.pk}">{exercise.reference}' in form_page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outcomes:upload"), _upload_data(exercise=exercise.pk))

    assert response.status_code == 302
    study = OutcomeStudy.objects.get()
    assert study.exercise == exercise
    event = AuditEvent.objects.get(action="create", target_id=str(study.pk))
    assert event.changes["exercise"]["to"] == exercise.reference
    commissioner = _client(setting, "commissioner")
    assert commissioner.get(reverse("outcomes:detail", args=[study.pk])).status_code == 200


@pytest.mark.usefixtures("_small_pool")
def test_upload_with_an_unknown_exercise_is_refused(setting: dict[str, Any]) -> None:
    client = _client(setting, "member")
    response = client.post(reverse("outcomes:upload"), _upload_data(exercise="999999"))
    assert response.status_code == 200
    assert "Select a commissioning exercise from the list" in response.content.decode()
    assert not OutcomeStudy.objects.exists()


def test_publishing_asks_for_confirmation_first(setting: dict[str, Any]) -> None:
    """Issue 17 item 8: publishing is not one click; a confirmation page comes first (OUT-4)."""
    study = _study(setting)
    client = _client(setting, "member")
    publish_url = reverse("outcomes:publish", args=[study.pk])
    page = client.get(reverse("outcomes:detail", args=[study.pk])).content.decode()
    assert f'<a href="{publish_url}" role="button"' in page
    assert f'action="{publish_url}"' not in page

    confirm = client.get(publish_url)

    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "Are you sure you want to publish Owner&#x27;s study?" in text
    assert "You can unpublish the study later" in text
    study.refresh_from_db()
    assert not study.is_published
    assert client.post(publish_url).status_code == 302
    study.refresh_from_db()
    assert study.is_published


def test_unpublishing_needs_a_reason_and_is_audited(setting: dict[str, Any]) -> None:
    """Issue 17 item 8: a published study can be withdrawn, with a reason, through the
    study's lifecycle module; the public loses sight of it (OUT-4)."""
    study = _study(setting, published=True)
    client = _client(setting, "member")
    url = reverse("outcomes:unpublish", args=[study.pk])
    detail = reverse("outcomes:detail", args=[study.pk])
    assert url in client.get(detail).content.decode()
    assert client.get(url).status_code == 200

    refused = client.post(url, {"reason": "  "})

    assert refused.status_code == 400
    assert "Enter why the study is being unpublished" in refused.content.decode()
    study.refresh_from_db()
    assert study.is_published
    assert not AuditEvent.objects.filter(action="unpublish").exists()

    response = client.post(url, {"reason": "An error was found in the uploaded cohort"})

    assert response.status_code == 302 and response["Location"] == detail
    study.refresh_from_db()
    assert not study.is_published and study.published_by is None
    event = AuditEvent.objects.get(action="unpublish", target_id=str(study.pk))
    assert event.actor == setting["member"]
    assert event.changes["reason"] == "An error was found in the uploaded cohort"
    assert event.changes["published_at"]["to"] is None
    assert _client(setting, "other_member").get(detail).status_code == 403
    assert "Publish this study" in client.get(detail).content.decode()


@pytest.mark.parametrize("who", ["commissioner", "other_member"])
def test_unpublishing_by_a_non_member_is_refused(setting: dict[str, Any], who: str) -> None:
    study = _study(setting, published=True)
    url = reverse("outcomes:unpublish", args=[study.pk])
    response = _client(setting, who).post(url, {"reason": "Not mine to withdraw"})
    assert response.status_code == 403
    study.refresh_from_db()
    assert study.is_published
