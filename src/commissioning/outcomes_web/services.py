"""Outcome studies (OUT-1, OUT-4): who may upload, validating a cohort with the analytics
core, creating a study (one transaction, audited, evaluated in the background) and running it.

Validation and evaluation are the core's (:mod:`commissioning_analytics.outcomes`): the web
shows the same one-line, row-level messages as the CLI.
"""

from __future__ import annotations

import csv
import logging
import re
import tempfile
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from commissioning import idempotency, permissions
from commissioning.accounts.models import User
from commissioning.audit.services import created, record
from commissioning.directory.models import Organisation
from commissioning.exercises.models import CommissioningExercise
from commissioning.outcomes_web import citations, extracts, lifecycle, pool
from commissioning.outcomes_web.models import NationalExtract, OutcomeStudy
from commissioning.permissions import Visitor
from commissioning_analytics.outcomes.evaluation import EvaluationError, evaluate
from commissioning_analytics.outcomes.intermediate import held_measures
from commissioning_analytics.outcomes.io import InputError, PeopleTable, read_people
from commissioning_analytics.outcomes.safeguards import SafeguardError, check_cohort_size

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
DEFAULT_FILENAME = "cohort.csv"
OUTCOME_LABELS = {
    "reoffended": "commit a proven reoffence within one year",
    "custodial": "get a custodial sentence for a proven reoffence within one year",
    "reoffences": "number of proven reoffences in the year",
}
"""Plain-English wording of the proven-reoffending measures in the statement."""
TIME_TO_EVENT = ("days_to_first", "first_event")
"""Time to first proven reoffence (days, and 1 or 0 for censored), when the cohort has them."""
SUBGROUP_COLUMNS = ("sex", "ethnicity", "area")
"""Results by protected characteristic (EQU-2) and by area (OUT-2), for the columns present."""
AGE_COLUMN = "age"
"""Age in whole years at the index date: results by age band (18–20, 21–24, 25+; OUT-3)."""


def upload_organisation(user: permissions.Visitor) -> Organisation | None:
    """The organisation a user uploads cohorts for: providers with an approved membership
    (the first by name when there are several); ``None`` means they may not upload."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.role != user.Role.PROVIDER:
        return None
    return permissions.member_organisations(user).first()


def studies_for(user: User) -> QuerySet[OutcomeStudy]:
    """The studies a user may see: their organisations' (all of them for site admins)."""
    studies = OutcomeStudy.objects.select_related("organisation", "created_by")
    if getattr(user, "is_site_admin", False):
        return studies
    return studies.filter(organisation_id__in=user.approved_organisation_ids())


def linked_studies_for(user: permissions.Visitor) -> QuerySet[OutcomeStudy]:
    """Studies linked to the exercises of the commissioning bodies a commissioner is an approved
    member of, unpublished ones included (the rule of
    :func:`commissioning.permissions.can_view_outcome_study`); none for anyone else."""
    if not permissions.is_signed_in(user) or user.role != User.Role.COMMISSIONER:
        return OutcomeStudy.objects.none()
    return (
        OutcomeStudy.objects.filter(
            exercise__commissioning_body_id__in=user.approved_organisation_ids()
        )
        .select_related("organisation", "exercise")
        .order_by("-created_at", "-pk")
    )


def exercise_studies(
    user: permissions.Visitor, exercise: CommissioningExercise
) -> list[OutcomeStudy]:
    """The studies linked to ``exercise`` that ``user`` may see: all of them for whoever may
    see their full result, otherwise the published ones (OUT-1)."""
    studies = OutcomeStudy.objects.filter(exercise=exercise).select_related(
        "organisation", "exercise"
    )
    return [
        study
        for study in studies.order_by("-created_at", "-pk")
        if study.is_published or permissions.can_view_outcome_study(user, study)
    ]


def published_studies() -> QuerySet[OutcomeStudy]:
    """Published studies, newest first: public, each shown with its counts suppressed."""
    return (
        OutcomeStudy.objects.filter(published_at__isnull=False)
        .select_related("organisation")
        .order_by("-published_at", "-pk")
    )


REASON_NEEDED = "Enter why the study is being unpublished"


class PublishError(ValueError):
    """The study cannot be published or withdrawn (not finished, already published, not
    published)."""


def publish_study(actor: User, study_id: int) -> OutcomeStudy:
    """Publish a finished study in one audited transaction (OUT-1, OUT-4); raise
    :class:`PublishError` with the reason when it is not finished or already published."""
    with transaction.atomic():
        study = OutcomeStudy.objects.select_for_update().get(pk=study_id)
        if study.status != OutcomeStudy.Status.DONE or not study.result:
            raise PublishError(
                f"Only a finished study can be published: this study is "
                f"{study.get_status_display().lower()}"
            )
        if not lifecycle.publish(study.pk, actor, timezone.now()):
            raise PublishError("This study is already published")
        study.refresh_from_db()
        assert study.published_at is not None
        record(
            actor,
            "publish",
            study,
            {"published_at": {"from": None, "to": study.published_at.isoformat()}},
        )
    return study


def unpublish_study(actor: User, study_id: int, reason: str) -> OutcomeStudy:
    """Withdraw a published study from the public in one audited transaction, the reason kept in
    the audit trail (OUT-4; issue 17 item 8); raise :class:`PublishError` when it is not
    published or no reason is given."""
    reason = reason.strip()
    if not reason:
        raise PublishError(REASON_NEEDED)
    with transaction.atomic():
        study = OutcomeStudy.objects.select_for_update().get(pk=study_id)
        was = study.published_at
        if was is None:
            raise PublishError("This study is not published")
        if refusal := citations.withdrawal_refusal(study, "unpublish"):
            raise PublishError(refusal)  # PBR-2: payments rest on it
        if not lifecycle.unpublish(study.pk):
            raise PublishError("This study is not published")
        study.refresh_from_db()
        record(
            actor,
            "unpublish",
            study,
            {"published_at": {"from": was.isoformat(), "to": None}, "reason": reason},
        )
    return study


def safe_filename(name: str) -> str:
    """The uploaded file's base name, reduced to safe characters (used in messages)."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name or "").name)[:100].strip("._")
    return base or DEFAULT_FILENAME


def _read(
    csv_text: str, filename: str, columns: list[str], text: list[str] | None = None
) -> PeopleTable:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / safe_filename(filename)
        path.write_text(csv_text, encoding="utf-8")
        return read_people(path, columns, text)


def _header(csv_text: str) -> list[str]:
    """The column names of a cohort file's header row."""
    first = csv_text.lstrip("\ufeff").partition("\n")[0]
    return [name.strip().strip('"') for name in next(csv.reader([first]), [])]


def validate_cohort(csv_text: str, filename: str, outcome: str, covariates: list[str]) -> None:
    """Raise :class:`InputError` or :class:`SafeguardError` with the core's one-line message
    (missing column, the row and column of a non-numeric value, a cohort under 60)."""
    table = _read(csv_text, filename, [outcome, *covariates])
    check_cohort_size(table.rows, what=f"the cohort ({table.name})")


def create_study(actor: User, organisation: Organisation, data: dict[str, Any]) -> OutcomeStudy:
    """Store a validated study and queue its evaluation once the transaction commits; the
    upload sent twice stores and evaluates one study (issue 11 item 25)."""
    return idempotency.create_keyed(
        organisation.outcome_studies.all(),
        data,
        lambda key: _create_study(actor, organisation, data, key),
    )


def _create_study(
    actor: User, organisation: Organisation, data: dict[str, Any], key: str
) -> OutcomeStudy:
    from commissioning.outcomes_web.tasks import evaluate_study

    with transaction.atomic():
        study = OutcomeStudy.objects.create(
            submission_key=key,
            organisation=organisation,
            created_by=actor,
            title=data["title"],
            outcome=data["outcome"],
            covariates=list(data["covariates"]),
            options={
                "caliper": data["caliper"],
                "replace": bool(data["replace"]),
                "ratio": int(data["ratio"]),
            },
            cohort_csv=data["cohort_csv"],
            cohort_filename=data["cohort_filename"],
            exercise=data.get("exercise"),
            extract=data.get("extract"),
        )
        record(
            actor,
            "create",
            study,
            created(
                {
                    "title": study.title,
                    "organisation": organisation.name,
                    "outcome": study.outcome,
                    "covariates": study.covariates,
                    "options": study.options,
                    "cohort_filename": study.cohort_filename,
                    "exercise": study.exercise.reference if study.exercise else None,
                    "extract_version": study.extract.version if study.extract else None,
                }
            ),
        )
        transaction.on_commit(partial(evaluate_study.enqueue, study.pk))
    return study


def run_study(study_id: int) -> str:
    """Evaluate a study against its comparison pool (the national extract version it recorded,
    or the synthetic pool); store the result or the error. Returns the final status. A study
    that is not queued (another worker started it, or it has finished) is left as it is and its
    status returned."""
    study = OutcomeStudy.objects.select_related("extract").get(pk=study_id)
    if not lifecycle.start(study.pk):
        return OutcomeStudy.Status(study.status)
    try:
        if study.extract is not None:
            result = _evaluate_against_extract(study, study.extract)
        else:
            result = _evaluate_against_synthetic_pool(study)
    except (InputError, SafeguardError, EvaluationError, extracts.ExtractError) as error:
        return _finish(study, OutcomeStudy.Status.FAILED, None, str(error))
    except Exception:
        logger.exception("outcome study %s failed", study.pk)
        return _finish(
            study,
            OutcomeStudy.Status.FAILED,
            None,
            "The analysis could not be completed because of an unexpected problem.",
        )
    return _finish(study, OutcomeStudy.Status.DONE, result, "")


def _evaluate(
    study: OutcomeStudy,
    cohort: PeopleTable,
    comparison: PeopleTable,
    time_to_event: tuple[str, str] | None,
    subgroups: list[str],
    age_bands_from: str | None,
    intermediate: list[str] | None = None,
) -> dict[str, Any]:
    options = study.options
    return evaluate(
        cohort,
        comparison,
        outcome=study.outcome,
        covariates=list(study.covariates),
        caliper=options.get("caliper"),
        replace=bool(options.get("replace")),
        ratio=int(options.get("ratio", 1)),
        outcome_label=OUTCOME_LABELS.get(study.outcome),
        time_to_event=time_to_event,
        subgroups=subgroups,
        age_bands_from=age_bands_from,
        intermediate=intermediate,
    ).to_dict()


def _evaluate_against_synthetic_pool(study: OutcomeStudy) -> dict[str, Any]:
    header = set(_header(study.cohort_csv))
    time_to_event = TIME_TO_EVENT if set(TIME_TO_EVENT) <= header else None
    subgroups = [column for column in SUBGROUP_COLUMNS if column in header]
    ages = AGE_COLUMN if AGE_COLUMN in header else None
    columns = [study.outcome, *study.covariates, *(time_to_event or ())]
    columns += [ages] if ages and ages not in columns else []
    cohort = _read(study.cohort_csv, study.cohort_filename, columns, subgroups)
    comparison = read_people(pool.pool_path(), columns, subgroups)
    result = _evaluate(study, cohort, comparison, time_to_event, subgroups, ages)
    result["comparison_pool"] = {
        "label": pool.POOL_LABEL,
        "seed": pool.POOL_SEED,
        "size": comparison.rows,
        "synthetic": True,
    }
    return result


def _evaluate_against_extract(study: OutcomeStudy, extract: NationalExtract) -> dict[str, Any]:
    """The cohort linked to the extract; measures computed from its offences; everyone else in
    the extract is the comparison pool (OUT-1, PBR-2)."""
    subgroups = [column for column in SUBGROUP_COLUMNS if column in extract.text_columns]
    ages = AGE_COLUMN if AGE_COLUMN in extract.covariates else None
    columns = list(dict.fromkeys([*study.covariates, *subgroups, *([ages] if ages else [])]))
    linked = extracts.link_cohort(extract, study.cohort_csv, study.outcome, columns)
    held = held_measures([*extract.covariates, *extract.text_columns])
    result = _evaluate(
        study, linked.cohort, linked.pool, TIME_TO_EVENT, subgroups, ages, held or None
    )
    result["comparison_pool"] = {
        "label": f"national extract, version {extract.version}",
        "extract_version": extract.version,
        "size": linked.pool_size,
        "synthetic": False,
        "cohort_found": linked.found,
        "cohort_not_found": linked.not_found,
    }
    return result


def _finish(
    study: OutcomeStudy, status: OutcomeStudy.Status, result: dict[str, Any] | None, error: str
) -> str:
    with transaction.atomic():
        if lifecycle.finish(study.pk, status, result, error) and cohort_retention_days() == 0:
            _delete_cohorts(OutcomeStudy.objects.filter(pk=study.pk), "the study finished")
    return status


# ---------------------------------------------------------------- personal data (issue 13 item 3)

FINISHED = (OutcomeStudy.Status.DONE, OutcomeStudy.Status.FAILED)


def cohort_retention_days() -> int:
    """0: a cohort is deleted when its study finishes; N: N days after upload (settings)."""
    return max(0, int(getattr(settings, "OUTCOME_COHORT_RETENTION_DAYS", 0)))


def _delete_cohorts(studies: QuerySet[OutcomeStudy], why: str) -> int:
    """Blank the cohorts of ``studies`` (still held), one audit event each, in one transaction.
    The result keeps only aggregates, so it stays."""
    now = timezone.now()
    with transaction.atomic():
        held = list(
            studies.select_for_update().filter(cohort_deleted_at__isnull=True).order_by("pk")
        )
        for study in held:
            OutcomeStudy.objects.filter(pk=study.pk).update(cohort_csv="", cohort_deleted_at=now)
            record(None, "cohort.delete", study, {"cohort": {"from": "kept", "to": why}})
    return len(held)


def purge_expired_cohorts() -> int:
    """Delete the cohorts whose keeping time is over (``commissioning outcomes purge``, run
    daily): finished studies' cohorts, at once under the default rule or once they are older
    than the retention period. Queued and running studies keep theirs. Returns how many."""
    days = cohort_retention_days()
    finished = OutcomeStudy.objects.filter(status__in=FINISHED)
    if days:
        finished = finished.filter(created_at__lte=timezone.now() - timedelta(days=days))
        return _delete_cohorts(finished, f"kept for {days} days after upload")
    return _delete_cohorts(finished, "the study finished")


def can_delete_study(user: Visitor, study: OutcomeStudy) -> bool:
    """Approved members of the uploading organisation delete its study (the same people who
    publish it), unless payments rest on it (PBR-2: a cited study stays)."""
    return permissions.can_publish_outcome_study(user, study) and not citations.citing(study)


def delete_study(actor: User, study_id: int) -> None:
    """Delete a study, its cohort and its result, in one audited transaction; raise
    ``PermissionDenied`` for anyone but the uploading organisation's members."""
    with transaction.atomic():
        study = OutcomeStudy.objects.select_for_update().get(pk=study_id)
        if not can_delete_study(actor, study):
            raise PermissionDenied(
                "Only members of the uploading organisation can delete its study"
            )
        record(
            actor,
            "delete",
            study,
            {
                "title": {"from": study.title, "to": None},
                "status": {"from": study.get_status_display(), "to": None},
                "published": {"from": study.is_published, "to": None},
            },
        )
        study.delete()
