"""Web pages for outcome studies (OUT-1, OUT-4): thin views over :mod:`.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commissioning.accounts.models import User
from commissioning.kernel.pagecache import public_page
from commissioning.kernel.pagination import paginate
from commissioning.outcomes_web import (
    access,
    areas,
    chart_tables,
    charts,
    citations,
    extracts,
    lab_results,
    pool,
    presentation,
    services,
)
from commissioning.outcomes_web.forms import (
    ExtractCohortForm,
    ExtractLoadForm,
    OutcomeUploadForm,
    UnpublishForm,
)
from commissioning.outcomes_web.models import NationalExtract, OutcomeStudy
from commissioning.permissions import signed_in_user


def _list_crumb() -> tuple[str, str]:
    return ("Your outcome studies", reverse("outcomes:list"))


@login_required
@require_http_methods(["GET", "HEAD"])
def study_list(request: HttpRequest) -> HttpResponse:
    """The viewer's organisations' studies; for commissioners, first the studies linked to
    their bodies' exercises (OUT-1)."""
    linked = services.linked_studies_for(request.user)
    own = services.studies_for(signed_in_user(request))
    is_commissioner = getattr(request.user, "role", None) == User.Role.COMMISSIONER
    context = {
        "crumbs": [("Your outcome studies", None)],
        "can_upload": services.upload_organisation(request.user) is not None,
        "current_extract": extracts.current_extract(),
        "is_steward": access.may_manage_extracts(request.user),
        "may_see_areas": areas.may_see_areas(request.user),
        "is_commissioner": is_commissioner,
        "own_studies": list(own[:50]) if is_commissioner else None,
        **paginate(request, linked if is_commissioner else own),
    }
    return render(request, "outcomes_web/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def study_upload(request: HttpRequest) -> HttpResponse:
    organisation = services.upload_organisation(request.user)
    if organisation is None:
        raise PermissionDenied("Only provider members with an approved membership can upload")
    if request.method == "POST":
        form = OutcomeUploadForm(request.POST, request.FILES)
        if form.is_valid():
            study = services.create_study(signed_in_user(request), organisation, form.study_data())
            return redirect("outcomes:detail", pk=study.pk)
    else:
        form = OutcomeUploadForm()
    context = {
        "form": form,
        "organisation": organisation,
        "pool_label": pool.POOL_LABEL,
        "retention_days": services.cohort_retention_days(),
        "cancel_url": reverse("outcomes:list"),
        "crumbs": [_list_crumb(), ("Upload a cohort", None)],
    }
    return render(request, "outcomes_web/upload.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def study_upload_by_identifier(request: HttpRequest) -> HttpResponse:
    """A cohort named by the national extract's identifiers; hashed on arrival (OUT-1)."""
    organisation = services.upload_organisation(request.user)
    if organisation is None:
        raise PermissionDenied("Only provider members with an approved membership can upload")
    extract = extracts.current_extract()
    if extract is None:
        raise Http404("No national extract is loaded yet")
    if request.method == "POST":
        form = ExtractCohortForm(request.POST, request.FILES, extract=extract)
        if form.is_valid():
            study = services.create_study(signed_in_user(request), organisation, form.study_data())
            return redirect("outcomes:detail", pk=study.pk)
    else:
        form = ExtractCohortForm(extract=extract)
    context = {
        "form": form,
        "organisation": organisation,
        "extract": extract,
        "retention_days": services.cohort_retention_days(),
        "cancel_url": reverse("outcomes:list"),
        "crumbs": [_list_crumb(), ("Start a study with the national extract", None)],
    }
    return render(
        request, "outcomes_web/upload_identifiers.html", context, status=400 if form.errors else 200
    )


def _extracts_crumb() -> tuple[str, str]:
    return ("National extract", reverse("outcomes:extracts"))


@login_required
@require_http_methods(["GET", "HEAD"])
def extract_list(request: HttpRequest) -> HttpResponse:
    """Every version of the national extract, newest first: data stewards only (OUT-1)."""
    access.require_steward(request.user)
    context = {
        "crumbs": [("National extract", None)],
        "current": extracts.current_extract(),
        **paginate(
            request,
            NationalExtract.objects.select_related("loaded_by").annotate(
                study_count=Count("studies")
            ),
        ),
    }
    return render(request, "outcomes_web/extracts.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def extract_load(request: HttpRequest) -> HttpResponse:
    """Load a new version of the national extract (one transaction; identifiers hashed)."""
    access.require_steward(request.user)
    form = ExtractLoadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            extract = extracts.load_extract(
                signed_in_user(request),
                data["people_file"].file,
                data["offences_file"].file,
                data["identifier_columns"],
            )
        except extracts.ExtractError as error:
            field = "offences_file" if str(error).startswith("offences") else "people_file"
            form.add_error(field, str(error))
        else:
            messages.success(
                request,
                f"Version {extract.version} is loaded: new studies use it from now on",
            )
            return redirect("outcomes:extracts")
    context = {
        "form": form,
        "cancel_url": reverse("outcomes:extracts"),
        "crumbs": [_extracts_crumb(), ("Load a new version", None)],
    }
    return render(
        request, "outcomes_web/extract_load.html", context, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def extract_retire(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then retire a version: no new study uses it; the studies that did keep it."""
    access.require_steward(request.user)
    try:
        extract = NationalExtract.objects.get(pk=pk)
    except NationalExtract.DoesNotExist:
        raise Http404("No version of the national extract with that number") from None
    if extract.is_retired:
        return redirect("outcomes:extracts")
    if request.method == "POST":
        try:
            extracts.retire_extract(signed_in_user(request), extract.pk)
        except extracts.RetireError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Version {extract.version} is retired")
        return redirect("outcomes:extracts")
    context = {"extract": extract, "crumbs": [_extracts_crumb(), (str(extract), None)]}
    return render(request, "outcomes_web/extract_retire.html", context)


REFRESH_SECONDS = 5


def _detail(
    request: HttpRequest,
    study: OutcomeStudy,
    full: bool,
    publish_error: str = "",
    status: int = 200,
) -> HttpResponse:
    result = presentation.shown_result(study, full)
    crumb = _list_crumb() if full else ("Published outcome studies", reverse("outcomes:published"))
    context: dict[str, Any] = {
        "study": study,
        "result": result,
        "full": full,
        "can_publish": (
            not study.is_published
            and study.status == OutcomeStudy.Status.DONE
            and access.may_publish(request.user, study)
        ),
        "can_unpublish": (study.is_published and access.may_publish(request.user, study)),
        "publish_error": publish_error,
        "can_delete": services.can_delete_study(request.user, study),
        "citing": citations.citing(study),  # PBR-2: contracts whose payments rest on it
        "pool_label": pool.POOL_LABEL,
        "crumbs": [crumb, (study.title, None)],
        # A queued or running study's page reloads itself until the analysis ends (issue 17);
        # a meta refresh, because the Content Security Policy forbids inline scripts.
        "refresh_seconds": (
            REFRESH_SECONDS
            if study.status in (OutcomeStudy.Status.QUEUED, OutcomeStudy.Status.RUNNING)
            else None
        ),
    }
    if result:
        context |= {
            "lab_headlines": lab_results.lab_headlines(result),
            "lab_caveats": lab_results.CAVEATS,
            "rows": presentation.result_rows(result),
            "balance": presentation.balance_rows(result),
            "chart": presentation.interval_chart(result),
            "love": charts.love_plot(result),
            "overlap": charts.overlap_chart(result),
            "overlap_rows": chart_tables.overlap_rows(result),
            "km": charts.km_chart(result),
            "km_rows": chart_tables.km_rows(result),
            "km_facts": chart_tables.km_facts(result),
            "survival_summary": charts.survival_summary(result.get("time_to_event") or {}),
            "forest": charts.forest_chart(result),
            "subgroup_rows": chart_tables.subgroup_rows(result),
            "intermediate": lab_results.intermediate_findings(result),
        }
    return render(request, "outcomes_web/detail.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
@public_page()  # only published studies reach anonymous visitors
def study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        study, full = access.visible_study(request.user, pk)
    except access.SignInNeeded:
        return redirect_to_login(request.get_full_path())
    return _detail(request, study, full)


@login_required
@require_http_methods(["GET", "POST"])
def study_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then publish a finished study (GOV.UK confirmation pattern; issue 17 item 8)."""
    study = access.study_or_404(pk)
    if not access.may_publish(request.user, study):
        raise PermissionDenied(access.NOT_PUBLISHER)
    if request.method == "GET":
        if study.is_published or study.status != OutcomeStudy.Status.DONE:
            return redirect("outcomes:detail", pk=study.pk)
        context = {"study": study, "crumbs": _study_crumbs(study)}
        return render(request, "outcomes_web/publish.html", context)
    try:
        services.publish_study(signed_in_user(request), study.pk)
    except services.PublishError as error:
        return _detail(request, study, True, publish_error=str(error), status=400)
    messages.success(request, "The study is published: everyone can now see its summary")
    return redirect("outcomes:detail", pk=study.pk)


@login_required
@require_http_methods(["GET", "POST"])
def study_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a published study from the public, with a reason (issue 17 item 8)."""
    study = access.study_or_404(pk)
    if not access.may_publish(request.user, study):
        raise PermissionDenied(access.NOT_UNPUBLISHER)
    if not study.is_published:
        return redirect("outcomes:detail", pk=study.pk)
    form = UnpublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unpublish_study(signed_in_user(request), study.pk, form.cleaned_data["reason"])
        except services.PublishError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "The study is unpublished: only your organisation and "
                "the related commissioners can see it",
            )
            return redirect("outcomes:detail", pk=study.pk)
    context = {
        "study": study,
        "form": form,
        "crumbs": _study_crumbs(study),
        "cancel_url": reverse("outcomes:detail", args=[study.pk]),
    }
    return render(
        request, "outcomes_web/unpublish.html", context, status=400 if form.errors else 200
    )


def _study_crumbs(study: OutcomeStudy) -> list[tuple[str, str | None]]:
    return [_list_crumb(), (study.title, reverse("outcomes:detail", args=[study.pk]))]


@login_required
@require_http_methods(["GET", "POST"])
def study_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then delete a study with its cohort and result (the uploading organisation only)."""
    study = access.study_or_404(pk)
    if not services.can_delete_study(request.user, study):
        raise PermissionDenied("Only members of the uploading organisation can delete its study")
    if request.method == "POST":
        services.delete_study(signed_in_user(request), study.pk)
        messages.success(request, f"The study “{study.title}” is deleted")
        return redirect("outcomes:list")
    context = {"study": study, "crumbs": _study_crumbs(study)}
    return render(request, "outcomes_web/delete.html", context)


@require_http_methods(["GET", "HEAD"])
@public_page()
def published_list(request: HttpRequest) -> HttpResponse:
    """Published outcome studies (OUT-1): public, newest first, paginated."""
    context = {
        "crumbs": [("Published outcome studies", None)],
        **paginate(request, services.published_studies()),
    }
    return render(request, "outcomes_web/published.html", context)


def _download(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    try:
        study, full = access.visible_study(request.user, pk)
    except access.SignInNeeded:
        return redirect_to_login(request.get_full_path())
    result = presentation.shown_result(study, full)
    if result is None:
        raise Http404("This study has no result yet")
    if extension == "json":
        body, content_type = presentation.result_json(result), "application/json"
    else:
        body, content_type = presentation.result_csv(result), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="outcome-study-{study.pk}.{extension}"'
    return response


@require_http_methods(["GET", "HEAD"])
def study_json(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "json")


@require_http_methods(["GET", "HEAD"])
def study_csv(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "csv")
