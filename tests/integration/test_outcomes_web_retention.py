"""Personal data in outcome cohorts (issue 13 item 3; OUT-1, LAW-1): an uploaded cohort is
deleted when its study finishes, or after the retention period a deployment sets; the uploading
organisation can delete a study, nobody else can; the upload page says what is kept and why."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from commissioning.audit.models import AuditEvent
from commissioning.cli import main
from commissioning.outcomes_web import services
from commissioning.outcomes_web.models import OutcomeStudy
from tests.factories import OrganisationFactory, client_for, member_of
from tests.integration.test_outcomes_web_helpers import TEST_POOL_SIZE, resettlement_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_pool(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    settings.OUTCOMES_POOL_SIZE = TEST_POOL_SIZE
    settings.OUTCOMES_POOL_DIR = tmp_path_factory.getbasetemp() / "outcomes-pool"


def _study(organisation: Any, *, status: str = OutcomeStudy.Status.QUEUED, **fields: Any) -> Any:
    return OutcomeStudy.objects.create(
        organisation=organisation,
        title="Resettlement 2024",
        outcome="reoffended",
        covariates=["age", "prior_offences"],
        options={"caliper": 0.2, "replace": True, "ratio": 1},
        cohort_csv=resettlement_csv(),
        cohort_filename="cohort.csv",
        status=status,
        **fields,
    )


def test_the_cohort_is_deleted_when_its_study_finishes_keeping_the_result(settings: Any) -> None:
    settings.OUTCOME_COHORT_RETENTION_DAYS = 0
    study = _study(OrganisationFactory())

    assert services.run_study(study.pk) == OutcomeStudy.Status.DONE

    study.refresh_from_db()
    assert study.cohort_csv == ""
    assert study.cohort_deleted_at is not None
    assert study.result["n_treated"] == 400
    event = AuditEvent.objects.get(action="cohort.delete", target_id=str(study.pk))
    assert event.changes == {"cohort": {"from": "kept", "to": "the study finished"}}


def test_with_a_retention_period_the_cohort_is_kept_until_it_is_over(
    settings: Any, capsys: Any
) -> None:
    settings.OUTCOME_COHORT_RETENTION_DAYS = 30
    organisation = OrganisationFactory()
    study = _study(organisation)
    assert services.run_study(study.pk) == OutcomeStudy.Status.DONE
    recent = _study(organisation, status=OutcomeStudy.Status.FAILED)
    old_queued = _study(organisation)
    long_ago = timezone.now() - timedelta(days=31)
    OutcomeStudy.objects.filter(pk__in=[study.pk, old_queued.pk]).update(created_at=long_ago)
    study.refresh_from_db()
    assert study.cohort_csv != ""  # finished, but its 30 days are not over at the finish

    assert main(["outcomes", "purge"]) == 0

    assert "1 outcome cohorts deleted (cohorts are kept 30 days after upload)" in (
        capsys.readouterr().out
    )
    study.refresh_from_db()
    assert study.cohort_csv == "" and study.result["n_treated"] == 400
    assert OutcomeStudy.objects.get(pk=recent.pk).cohort_csv != ""  # 30 days not over
    assert OutcomeStudy.objects.get(pk=old_queued.pk).cohort_csv != ""  # not run yet
    assert services.purge_expired_cohorts() == 0  # nothing left to delete


def test_the_owner_deletes_a_study_others_cannot() -> None:
    owner = OrganisationFactory()
    member = member_of(owner)
    outsider = member_of(OrganisationFactory())
    study = _study(owner, status=OutcomeStudy.Status.DONE)
    url = reverse("outcomes:delete", kwargs={"pk": study.pk})

    assert client_for(outsider).post(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.delete_study(outsider, study.pk)
    assert OutcomeStudy.objects.filter(pk=study.pk).exists()
    assert client_for(None).post(url).status_code == 302  # to sign in

    client = client_for(member)
    assert (
        "Delete this study"
        in client.get(reverse("outcomes:detail", kwargs={"pk": study.pk})).content.decode()
    )
    assert "cannot be undone" in client.get(url).content.decode()
    response = client.post(url)

    assert response.status_code == 302 and response["Location"] == reverse("outcomes:list")
    assert not OutcomeStudy.objects.filter(pk=study.pk).exists()
    event = AuditEvent.objects.get(action="delete", target_type="outcomes_web.OutcomeStudy")
    assert event.actor_id == member.pk
    assert event.changes["title"] == {"from": "Resettlement 2024", "to": None}


def test_the_upload_page_says_what_is_kept_for_how_long_and_why(settings: Any) -> None:
    client = client_for(member_of(OrganisationFactory()))

    settings.OUTCOME_COHORT_RETENTION_DAYS = 0
    page = client.get(reverse("outcomes:upload")).content.decode()
    assert "What we keep, for how long and why" in page
    assert "it is deleted as soon as the comparison has finished" in page

    settings.OUTCOME_COHORT_RETENTION_DAYS = 90
    page = client.get(reverse("outcomes:upload")).content.decode()
    assert "it is deleted 90 days after you upload it" in page
