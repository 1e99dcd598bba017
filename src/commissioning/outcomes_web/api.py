"""JSON API for outcome studies (OUT-1, OUT-4), at /api/outcome-studies.

* ``GET /api/outcome-studies`` — the studies the caller may see: published ones for everyone,
  and for members of the uploading organisation (and commissioners of a related exercise) its
  unpublished ones at any status; newest first, a page at a time.
* ``GET /api/outcome-studies/{study_id}`` — one study: status, cohort size, outcome, dates,
  whether it is published and which comparison pool it used.
* ``GET /api/outcome-studies/{study_id}/results`` — the headline results as the study page shows
  them: counts of 1 to 4 people suppressed ("<5") and weighted counts rounded, exactly as on the
  page; the results by sex, ethnicity, area and age band, and the intermediate outcomes
  (OUT-2, OUT-3); 409 until the study is done.
* ``POST /api/outcome-studies/{study_id}/publish`` and ``/unpublish`` (with a reason) — members
  of the uploading organisation, through :mod:`commissioning.outcomes_web.services` (audited,
  one transaction, nothing written on refusal).

Who sees what is :mod:`commissioning.outcomes_web.access`, as on the pages: a study the caller
may not see answers 404 to a read, so nobody learns that an unpublished study exists; a publish
or unpublish by anyone but the uploading organisation's members is refused (403), as the pages
refuse it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from commissioning.api.errors import WRITE_ERRORS, ErrorOut, error
from commissioning.api.pagination import Page, PageQuery, page_of
from commissioning.outcomes_web import access, lab_results, pool, presentation, services
from commissioning.outcomes_web.formatting import published
from commissioning.outcomes_web.models import OutcomeStudy
from commissioning.permissions import Visitor, signed_in_user

router = Router(tags=["Outcome studies"])

NO_STUDY = "No outcome study with that number"
NOT_FINISHED = "This study has no results yet: it is {status}"

#: A count as published: a whole number, or "<5" for 1 to 4 people.
Count = int | str | None


class StudyOut(Schema):
    id: int
    title: str
    organisation: str = Field(description="Slug of the uploading organisation.")
    status: str = Field(description="queued, running, done or failed")
    outcome: str = Field(description="The outcome measure, e.g. reoffended.")
    cohort_size: Count = Field(
        description="People in the uploaded cohort once the study is done (1 to 4 shown as "
        '"<5"); null before.'
    )
    created_at: datetime
    finished: bool = Field(description="The study is done and has results.")
    is_published: bool
    published_at: datetime | None
    exercise: str | None = Field(description="Reference of the related commissioning exercise.")
    comparison_pool: str = Field(description="Which comparison pool the study is matched in.")
    comparison_pool_is_synthetic: bool
    extract_version: int | None = Field(
        description="The version of the national extract the cohort was linked to, if any."
    )
    is_synthetic: bool = Field(description="A demo study of a synthetic cohort.")
    full_view: bool = Field(
        description="You see the full result (your organisation's study, or a related "
        "exercise's); otherwise the published, suppressed summary."
    )
    breakdowns: list[str] = Field(
        description='What the finished study\'s results are broken down by, e.g. "sex", '
        '"ethnicity", "area" and "age band" (18-20, 21-24, 25+); the figures are in its '
        "results."
    )
    intermediate_outcomes: list[str] | None = Field(
        description="The intermediate outcomes (accommodation, employment, education or "
        "training at set points) the finished study evaluated; null when its comparison data "
        "hold none."
    )


class StudyPageOut(Page):
    results: list[StudyOut]


class CountsOut(Schema):
    cohort: Count = Field(description="People in the cohort.")
    matched_treated: Count = Field(description="Cohort members matched.")
    matched_comparison: Count = Field(description="Comparison people matched.")
    treated_with_outcome: Count = Field(
        None, description="Matched cohort members with the outcome (binary outcomes)."
    )
    comparison_with_outcome_weighted: Count = Field(
        None, description="Matched comparison people with the outcome, weighted (binary outcomes)."
    )


class RowOut(Schema):
    label: str
    value: str


class ResultsOut(Schema):
    study: int
    outcome: str
    outcome_type: str = Field(description="binary or continuous")
    treated_mean: float | None
    comparison_mean: float | None
    effect: float | None = Field(
        description="Cohort minus matched comparison (a share for binary outcomes)."
    )
    ci_low: float | None
    ci_high: float | None
    confidence: float | None
    p_value: float | None
    significant: bool | None = Field(description="The interval excludes no difference.")
    statement: str = Field(description="The result in plain English, as on the page.")
    counts: CountsOut = Field(description='Counts as published: 1 to 4 people shown as "<5".')
    rows: list[RowOut] = Field(description="The results table exactly as the page words it.")
    warnings: list[str]
    full_view: bool
    subgroups: list[SubgroupOut] = Field(
        description="Results by sex, ethnicity, area and age band, where the data hold them."
    )
    intermediate: list[IntermediateOut] | None = Field(
        description="Intermediate outcomes evaluated the same way; null when the comparison "
        "data hold none."
    )


class SubgroupOut(Schema):
    variable: str = Field(description='sex, ethnicity, area or "age band".')
    group: str = Field(description='The group, e.g. "female" or the age band "18-20".')
    n_cohort: Count = Field(
        description='Cohort members in the group; published: 1 to 4 shown as "<5", others '
        "rounded to the nearest 5."
    )
    n_matched: Count = Field(description="Matched cohort members in the group, as n_cohort.")
    treated_mean: float | None
    comparison_mean: float | None
    effect: float | None = Field(description="null when fewer than 60 are matched.")
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    disparity: bool = Field(description="The effect differs from the rest of the cohort's.")
    disparity_p_value: float | None
    note: str


class IntermediateOut(Schema):
    measure: str = Field(description="e.g. accommodation_6w, employment_6m, education_6m")
    label: str = Field(description="What the share is of, in words.")
    n_recorded: Count = Field(
        description="Matched cohort members with the status recorded (published: suppressed "
        "and rounded as n_cohort)."
    )
    treated_mean: float | None = Field(description="Share of the cohort with the status.")
    comparison_mean: float | None
    effect: float | None = Field(description="null when fewer than 60 have it recorded.")
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    significant: bool | None = Field(description="The interval excludes no difference.")
    headline: str = Field(description="The result in plain English, as on the page.")
    note: str


class UnpublishIn(Schema):
    reason: str = Field("", description="Why the study is withdrawn from the public (required).")


def _out(study: OutcomeStudy, full: bool) -> dict[str, Any]:
    result = study.result if study.status == OutcomeStudy.Status.DONE and study.result else None
    pool_info = (result or {}).get("comparison_pool") or {}
    return {
        "id": study.pk,
        "title": study.title,
        "organisation": study.organisation.slug,
        "status": study.status,
        "outcome": study.outcome,
        "cohort_size": published(result.get("n_treated")) if result else None,
        "created_at": study.created_at,
        "finished": result is not None,
        "is_published": study.is_published,
        "published_at": study.published_at,
        "exercise": study.exercise.reference if study.exercise else None,
        "comparison_pool": pool_info.get("label", pool.POOL_LABEL),
        "comparison_pool_is_synthetic": bool(pool_info.get("synthetic", True)),
        "extract_version": study.extract.version if study.extract else None,
        "is_synthetic": study.is_synthetic,
        "full_view": full,
        "breakdowns": list(
            dict.fromkeys(row["variable"] for row in (result or {}).get("subgroups") or [])
        ),
        "intermediate_outcomes": (
            None
            if not result or result.get("intermediate") is None
            else [row["measure"] for row in result["intermediate"]]
        ),
    }


def _visible(user: Visitor, study_id: int) -> tuple[OutcomeStudy, bool]:
    """The study and whether the caller sees it in full; 404 for a study they may not see."""
    try:
        return access.visible_study(user, study_id)
    except (access.SignInNeeded, PermissionDenied):
        raise Http404(NO_STUDY) from None


@router.get("", response={200: StudyPageOut, 422: ErrorOut}, summary="Outcome studies you may see")
def list_studies(request: HttpRequest, pages: Query[PageQuery]) -> Any:
    """Published studies for everyone; signed in, also your organisations' studies (and, for
    commissioners, those linked to your body's exercises) whatever their status."""
    page = page_of(access.visible_studies(request.user), pages)
    page["results"] = [
        _out(study, access.sees_full(request.user, study)) for study in page["results"]
    ]
    return Status(200, page)


@router.get("/{study_id}", response={200: StudyOut, 404: ErrorOut}, summary="One outcome study")
def study_detail(request: HttpRequest, study_id: int) -> Any:
    study, full = _visible(request.user, study_id)
    return Status(200, _out(study, full))


@router.get(
    "/{study_id}/results",
    response={200: ResultsOut, 404: ErrorOut, 409: ErrorOut},
    summary="An outcome study's headline results",
)
def study_results(request: HttpRequest, study_id: int) -> Any:
    """The effect, its interval and significance and the matched counts, with the page's
    suppression (1 to 4 people shown as "<5") and rounding; 409 while the study is not done."""
    study, full = _visible(request.user, study_id)
    result = presentation.shown_result(study, full)
    if result is None:
        detail = NOT_FINISHED.format(status=study.get_status_display().lower())
        return error(409, detail, {"status": [detail]})
    counts = result.get("published_counts") or {}
    low, high = result.get("ci_low"), result.get("ci_high")
    return Status(
        200,
        {
            "study": study.pk,
            **{key: result.get(key) for key in RESULT_KEYS},
            "significant": _significant(low, high),
            "counts": {
                "cohort": published(result.get("n_treated")),
                **{key: counts.get(key) for key in COUNT_KEYS},
            },
            "rows": [
                {"label": row.label, "value": row.value} for row in presentation.result_rows(result)
            ],
            "statement": result.get("statement") or "",
            "warnings": list(result.get("warnings") or []),
            "full_view": full,
            "subgroups": result.get("subgroups") or [],
            "intermediate": _intermediate(result),
        },
    )


def _significant(low: float | None, high: float | None) -> bool | None:
    return None if low is None or high is None else (low > 0 or high < 0)


def _intermediate(result: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The intermediate outcomes as shown (published: counts suppressed), with the page's
    wording (OUT-3)."""
    if result.get("intermediate") is None:
        return None
    words = {row["measure"]: row for row in lab_results.intermediate_findings(result)}
    return [
        {
            **row,
            "significant": _significant(row.get("ci_low"), row.get("ci_high")),
            "headline": words[row["measure"]]["headline"],
        }
        for row in result["intermediate"]
    ]


RESULT_KEYS = (
    "outcome",
    "outcome_type",
    "treated_mean",
    "comparison_mean",
    "effect",
    "ci_low",
    "ci_high",
    "confidence",
    "p_value",
)
COUNT_KEYS = (
    "matched_treated",
    "matched_comparison",
    "treated_with_outcome",
    "comparison_with_outcome_weighted",
)


def _own_study(request: HttpRequest, study_id: int, refusal: str) -> OutcomeStudy:
    """A study the caller publishes or unpublishes: 403 for anyone but the uploading
    organisation's members, as on the pages."""
    study = access.study_or_404(study_id)
    if not access.may_publish(request.user, study):
        raise PermissionDenied(refusal)
    return study


@router.post(
    "/{study_id}/publish",
    auth=django_auth,
    response={200: StudyOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Publish a finished outcome study",
)
def publish_study(request: HttpRequest, study_id: int) -> Any:
    """Members of the uploading organisation publish a finished study: everyone then sees its
    summary, counts suppressed. 409 for a study that is not finished or already published."""
    study = _own_study(request, study_id, access.NOT_PUBLISHER)
    try:
        study = services.publish_study(signed_in_user(request), study.pk)
    except services.PublishError as refused:
        return error(409, str(refused))
    return Status(200, _out(access.study_or_404(study.pk), True))


@router.post(
    "/{study_id}/unpublish",
    auth=django_auth,
    response={200: StudyOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Withdraw a published outcome study from the public",
)
def unpublish_study(request: HttpRequest, study_id: int, payload: UnpublishIn) -> Any:
    """Members of the uploading organisation withdraw a published study, saying why (400
    without a reason); the reason is kept in the audit trail. 409 for a study not published."""
    study = _own_study(request, study_id, access.NOT_UNPUBLISHER)
    if not payload.reason.strip():
        return error(400, services.REASON_NEEDED, {"reason": [services.REASON_NEEDED]})
    try:
        services.unpublish_study(signed_in_user(request), study.pk, payload.reason)
    except services.PublishError as refused:
        return error(409, str(refused))
    return Status(200, _out(access.study_or_404(study.pk), True))
