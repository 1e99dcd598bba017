"""Web pages for outcome studies (OUT-1, OUT-4): thin views over :mod:`.services`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commissioning import permissions
from commissioning.outcomes_web import pool, presentation, services
from commissioning.outcomes_web.forms import OutcomeUploadForm
from commissioning.outcomes_web.models import OutcomeStudy
from commissioning.web.pagination import paginate


def _list_crumb() -> tuple[str, str]:
    return ("Your outcome studies", reverse("outcomes:list"))


def _study_or_403(request: HttpRequest, pk: int) -> OutcomeStudy:
    try:
        study = OutcomeStudy.objects.select_related("organisation").get(pk=pk)
    except OutcomeStudy.DoesNotExist:
        raise Http404("No outcome study with that number") from None
    if not permissions.can_view_outcome_study(request.user, study):
        raise PermissionDenied("Only the uploading organisation can see this study")
    return study


@login_required
@require_http_methods(["GET", "HEAD"])
def study_list(request: HttpRequest) -> HttpResponse:
    context = {
        "crumbs": [("Your outcome studies", None)],
        "can_upload": services.upload_organisation(request.user) is not None,
        **paginate(request, services.studies_for(request.user)),
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
            study = services.create_study(request.user, organisation, form.study_data())
            return redirect("outcomes:detail", pk=study.pk)
    else:
        form = OutcomeUploadForm()
    context = {
        "form": form,
        "organisation": organisation,
        "pool_label": pool.POOL_LABEL,
        "cancel_url": reverse("outcomes:list"),
        "crumbs": [_list_crumb(), ("Upload a cohort", None)],
    }
    return render(request, "outcomes_web/upload.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    study = _study_or_403(request, pk)
    result = study.result if study.status == OutcomeStudy.Status.DONE else None
    context = {
        "study": study,
        "result": result,
        "pool_label": pool.POOL_LABEL,
        "crumbs": [_list_crumb(), (study.title, None)],
    }
    if result:
        context |= {
            "rows": presentation.result_rows(result),
            "balance": presentation.balance_rows(result),
            "chart": presentation.interval_chart(result),
        }
    return render(request, "outcomes_web/detail.html", context)


def _download(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    study = _study_or_403(request, pk)
    if study.status != OutcomeStudy.Status.DONE or not study.result:
        raise Http404("This study has no result yet")
    if extension == "json":
        body, content_type = presentation.result_json(study.result), "application/json"
    else:
        body, content_type = presentation.result_csv(study.result), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="outcome-study-{study.pk}.{extension}"'
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def study_json(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "json")


@login_required
@require_http_methods(["GET", "HEAD"])
def study_csv(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "csv")
