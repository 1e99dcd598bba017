"""Who may upload cohorts and see outcome studies (OUT-1: unpublished results are seen only by
the uploading organisation; site administrators can step in)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import Membership, User
from commissioning.outcomes_web.models import OutcomeStudy
from tests.factories import (
    CommissioningBodyFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

RESULT = {
    "outcome": "reoffended",
    "outcome_type": "binary",
    "n_treated": 100,
    "n_pool": 5000,
    "n_matched_treated": 98,
    "n_matched_comparison": 97,
    "share_matched": 0.98,
    "caliper_width_logit": 0.4,
    "treated_mean": 0.3,
    "comparison_mean": 0.35,
    "effect": -0.05,
    "standard_error": 0.02,
    "ci_low": -0.09,
    "ci_high": -0.01,
    "confidence": 0.95,
    "p_value": 0.01,
    "balance": [
        {
            "covariate": "age",
            "smd_before": 0.3,
            "smd_after": 0.02,
            "variance_ratio_before": 1.1,
            "variance_ratio_after": 1.0,
        }
    ],
    "published_counts": {
        "matched_treated": 98,
        "matched_comparison": 97,
        "treated_with_outcome": 29,
        "comparison_with_outcome_weighted": "<5",
    },
    "statement": "For 100 typical people who receive support, the number could be lower.",
    "warnings": [],
    "comparison_pool": {"label": "synthetic comparison pool", "seed": 2026, "size": 5000},
}


@pytest.fixture
def people() -> dict[str, Any]:
    provider = OrganisationFactory(name="Study Owner Trust")
    pending = UserFactory()
    MembershipFactory(user=pending, organisation=provider, status=Membership.Status.PENDING)
    return {
        "provider": provider,
        "anonymous": None,
        "member": member_of(provider),
        "other_member": member_of(OrganisationFactory()),
        "pending_member": pending,
        "commissioner": member_of(CommissioningBodyFactory(), role=User.Role.COMMISSIONER),
        "admin": UserFactory(role=User.Role.ADMIN),
    }


def _client(people: dict[str, Any], who: str) -> Client:
    client = Client()
    if people[who] is not None:
        client.force_login(people[who])
    return client


def _study(people: dict[str, Any]) -> OutcomeStudy:
    return OutcomeStudy.objects.create(
        organisation=people["provider"],
        created_by=people["member"],
        title="Owner's study",
        outcome="reoffended",
        covariates=["age"],
        options={"caliper": 0.2, "replace": False, "ratio": 1},
        cohort_csv="person_id,age,reoffended\n",
        status=OutcomeStudy.Status.DONE,
        result=RESULT,
    )


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("member", 200),
        ("other_member", 200),
        ("pending_member", 403),
        ("commissioner", 403),
        ("admin", 403),
    ],
)
def test_upload_page(people: dict[str, Any], who: str, expected: int) -> None:
    response = _client(people, who).get(reverse("outcomes:upload"))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("who", ["commissioner", "admin", "pending_member"])
def test_refused_upload_posts_store_nothing(people: dict[str, Any], who: str) -> None:
    response = _client(people, who).post(reverse("outcomes:upload"), {"title": "x"})
    assert response.status_code == 403
    assert not OutcomeStudy.objects.exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("member", 200),
        ("other_member", 403),
        ("pending_member", 403),
        ("commissioner", 403),
        ("admin", 200),
    ],
)
@pytest.mark.parametrize(
    "name", ["outcomes:detail", "outcomes:download-json", "outcomes:download-csv"]
)
def test_study_and_downloads(people: dict[str, Any], who: str, expected: int, name: str) -> None:
    study = _study(people)
    response = _client(people, who).get(reverse(name, kwargs={"pk": study.pk}))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("accounts:sign-in"))
    if expected == 200 and name == "outcomes:detail":
        page = response.content.decode()
        assert "&lt;5" in page  # a suppressed count stays suppressed
        assert "−5.0 percentage points" in page


@pytest.mark.parametrize(
    ("who", "sees"), [("member", True), ("other_member", False), ("admin", True)]
)
def test_list_shows_only_own_organisations_studies(
    people: dict[str, Any], who: str, sees: bool
) -> None:
    _study(people)
    response = _client(people, who).get(reverse("outcomes:list"))
    assert response.status_code == 200
    assert ("Owner&#x27;s study" in response.content.decode()) is sees


def test_list_needs_sign_in(people: dict[str, Any]) -> None:
    response = _client(people, "anonymous").get(reverse("outcomes:list"))
    assert response["Location"].startswith(reverse("accounts:sign-in"))
