"""Pages for grant rounds (CYC-6): thin over :mod:`commissioning.grants.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from commissioning import permissions
from commissioning.exercises.models import CommissioningExercise
from commissioning.grants import access, giving360, services
from commissioning.grants.forms import (
    AgreementForm,
    ApplicationForm,
    DecisionForm,
    DeclarationForm,
    MonitoringForm,
    RoundForm,
    ScoresForm,
)
from commissioning.grants.models import (
    GrantAgreement,
    GrantApplication,
    GrantRound,
    InterestDeclaration,
)
from commissioning.grants.publication import PUBLISHER, awarded_grants
from commissioning.kernel.forms import apply_validation_error
from commissioning.monitoring.queries import grant_monitoring
from commissioning.permissions import signed_in_user
from commissioning.supplier_information import services as supplier_information

LIST_CRUMB = ("Grant rounds", "/grants/")


def _round(request: HttpRequest, reference: str) -> GrantRound:
    grant_round = get_object_or_404(
        GrantRound.objects.select_related(
            "exercise", "exercise__commissioning_body", "contract__prime"
        ),
        reference=reference,
    )
    if not access.can_see_round(request.user, grant_round):
        raise Http404("No such grant round")
    return grant_round


def _application(request: HttpRequest, pk: int) -> GrantApplication:
    application = get_object_or_404(
        GrantApplication.objects.select_related(
            "grant_round", "grant_round__exercise", "organisation"
        ),
        pk=pk,
    )
    if not access.can_see_application(request.user, application):
        raise PermissionDenied(
            "Only the applicant, the round's commissioners and its panel see this."
        )
    return application


def _form_page(request: HttpRequest, form: Any, **context: Any) -> HttpResponse:
    return render(request, "grants/form_page.html", {"form": form, **context})


def round_list(request: HttpRequest) -> HttpResponse:
    rounds = services.open_rounds()
    return render(
        request,
        "grants/list.html",
        {"rounds": rounds, "crumbs": [("Grant rounds", None)]},
    )


def round_detail(request: HttpRequest, reference: str) -> HttpResponse:
    grant_round = _round(request, reference)
    user = request.user
    manages = access.can_manage_round(user, grant_round)
    assesses = access.is_assessor(user, grant_round)
    applications = []
    if manages or assesses:
        applications = [
            (application, services.moderated_total(application))
            for application in services.submitted_applications(grant_round)
        ]
    own = []
    if permissions.is_signed_in(user):
        own = list(services.applications_of(user).filter(grant_round=grant_round))
    context = {
        "round": grant_round,
        "criteria": grant_round.criteria.all(),
        "manages": manages,
        "assesses": assesses,
        "applications": applications,
        "own": own,
        "awarded_total": services.awarded_total(grant_round),
        "crumbs": [LIST_CRUMB, (grant_round.reference, None)],
    }
    return render(request, "grants/round.html", context)


@login_required
def round_create(request: HttpRequest, reference: str) -> HttpResponse:
    exercise = get_object_or_404(CommissioningExercise, reference=reference)
    actor = signed_in_user(request)
    if not access.can_create_round(actor, exercise):
        raise PermissionDenied("Only the exercise's commissioners can run a grant round.")
    people = list(
        permissions.approved_members([exercise.commissioning_body_id]).filter(
            role__in=access.ASSESSOR_ROLES
        )
    )
    form = RoundForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        grant_round = form.save_round(actor, exercise, people)
        if grant_round is not None:
            messages.success(request, f"Grant round {grant_round.reference} saved as a draft.")
            return redirect(grant_round)
    return _form_page(
        request,
        form,
        heading="Run a grant round",
        caption=f"{exercise.reference}: {exercise.title}",
        intro="The call is saved as a draft. You publish it from its page.",
        submit_label="Save the round",
        cancel_url=exercise.get_absolute_url(),
        crumbs=[LIST_CRUMB, ("New round", None)],
    )


@require_POST
@login_required
def round_move(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    grant_round = _round(request, reference)
    actor = signed_in_user(request)
    moves = {"open": services.open_round, "close": services.close_round}
    if action not in moves:
        raise Http404("No such action")
    try:
        moves[action](actor, grant_round)
    except ValidationError as problem:
        for message in problem.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"The round is now {grant_round.get_status_display().lower()}.")
    return redirect(grant_round)


@login_required
def apply(request: HttpRequest, reference: str) -> HttpResponse:
    grant_round = _round(request, reference)
    actor = signed_in_user(request)
    organisations = [
        o for o in permissions.member_organisations(actor) if access.can_apply_for(actor, o)
    ]
    if not organisations:
        raise PermissionDenied("Apply as an approved member of a registered organisation.")
    existing = services.applications_of(actor).filter(grant_round=grant_round).first()
    initial: dict[str, Any] = {}
    if existing is not None:
        if existing.status != GrantApplication.Status.DRAFT:
            return redirect(existing)
        initial = {
            field: getattr(existing, field)
            for field in services.SHORT_FIELDS + services.LONG_FIELDS
        }
        initial["organisation"] = str(existing.organisation_id)
    form = ApplicationForm(
        request.POST or None,
        initial=initial,
        organisations=organisations,
        grant_round=grant_round,
    )
    if request.method == "POST" and form.is_valid():
        organisation = next(
            o for o in organisations if str(o.pk) == form.cleaned_data["organisation"]
        )
        submit = request.POST.get("send") == "yes"
        try:
            application = services.save_application(
                actor, grant_round, organisation, form.cleaned_data, submit=submit
            )
        except ValidationError as problem:
            apply_validation_error(form, problem)
        else:
            messages.success(
                request,
                "Your application has been sent." if submit else "Your draft has been saved.",
            )
            return redirect(application)
    return render(
        request,
        "grants/apply.html",
        {
            "form": form,
            "round": grant_round,
            # What goes with the application instead of asking again (LAW-5).
            "supplier_information": [
                (o, supplier_information.current_version(o.pk)) for o in organisations
            ],
            "crumbs": [
                LIST_CRUMB,
                (grant_round.reference, grant_round.get_absolute_url()),
                ("Apply", None),
            ],
        },
    )


def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    grant_round = application.grant_round
    user = request.user
    agreement = (
        GrantAgreement.objects.filter(application=application)
        .prefetch_related("instalments", "monitoring_reports")
        .first()
    )
    declared = None
    if permissions.is_signed_in(user):
        declared = InterestDeclaration.objects.filter(
            application=application, assessor=user
        ).first()
    context = {
        "application": application,
        "round": grant_round,
        "agreement": agreement,
        # Report once (SUP-7): the holder's quarterly monitoring returns, reused for the grant.
        "report_once": grant_monitoring(user, agreement) if agreement else None,
        "manages": access.can_manage_round(user, grant_round),
        "assesses": access.is_assessor(user, grant_round),
        "holds": access.can_edit_application(user, application),
        "declared": declared,
        "rows": services.score_rows(application)
        if access.can_manage_round(user, grant_round)
        else [],
        "crumbs": [
            LIST_CRUMB,
            (grant_round.reference, grant_round.get_absolute_url()),
            (application.organisation.name, None),
        ],
    }
    return render(request, "grants/application.html", context)


def _crumbs(application: GrantApplication, last: str) -> list[tuple[str, str | None]]:
    return [
        LIST_CRUMB,
        (application.grant_round.reference, application.grant_round.get_absolute_url()),
        (application.organisation.name, application.get_absolute_url()),
        (last, None),
    ]


@login_required
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    """An assessor declares interests first; with no conflict, scores each criterion."""
    application = _application(request, pk)
    actor = signed_in_user(request)
    if not access.is_assessor(actor, application.grant_round):
        raise PermissionDenied("Only the round's assessors assess applications.")
    declared = InterestDeclaration.objects.filter(application=application, assessor=actor).first()
    if declared is None:
        form: Any = DeclarationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.declare_interest(
                    actor,
                    application,
                    has_conflict=form.cleaned_data["has_conflict"] == "yes",
                    details=form.cleaned_data["details"],
                )
            except ValidationError as problem:
                apply_validation_error(form, problem)
            else:
                return redirect("grants:assess", pk=application.pk)
        return _form_page(
            request,
            form,
            heading=f"Declare your interests: {application.organisation.name}",
            caption=application.grant_round.title,
            intro="Declare before you read the application. "
            "If you have a conflict, you will not score it.",
            submit_label="Declare",
            cancel_url=application.get_absolute_url(),
            crumbs=_crumbs(application, "Declare interests"),
        )
    if declared.has_conflict:
        messages.info(request, "You declared a conflict, so you do not score this application.")
        return redirect(application)
    criteria = list(application.grant_round.criteria.all())
    form = ScoresForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            for criterion in criteria:
                services.score(
                    actor,
                    application,
                    criterion,
                    value=form.cleaned_data[f"score_{criterion.pk}"],
                    comment=form.cleaned_data[f"reason_{criterion.pk}"],
                )
        except ValidationError as problem:
            apply_validation_error(form, problem)
        else:
            messages.success(request, f"Your scores for {application.organisation.name} are saved.")
            return redirect(application.grant_round)
    return _form_page(
        request,
        form,
        heading=f"Score {application.organisation.name}",
        caption=application.grant_round.title,
        application=application,
        submit_label="Save scores",
        cancel_url=application.get_absolute_url(),
        crumbs=_crumbs(application, "Score"),
    )


@login_required
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    actor = signed_in_user(request)
    if not access.can_manage_round(actor, application.grant_round):
        raise PermissionDenied("Only the round's commissioners moderate scores.")
    criteria = list(application.grant_round.criteria.all())
    form = ScoresForm(request.POST or None, criteria=criteria, agreed=True)
    if request.method == "POST" and form.is_valid():
        try:
            for criterion in criteria:
                services.moderate(
                    actor,
                    application,
                    criterion,
                    value=form.cleaned_data[f"score_{criterion.pk}"],
                    note=form.cleaned_data[f"reason_{criterion.pk}"],
                )
        except ValidationError as problem:
            apply_validation_error(form, problem)
        else:
            messages.success(request, f"Agreed scores for {application.organisation.name} saved.")
            return redirect(application.grant_round)
    return _form_page(
        request,
        form,
        heading=f"Moderate: {application.organisation.name}",
        caption=application.grant_round.title,
        rows=services.score_rows(application),
        submit_label="Save agreed scores",
        cancel_url=application.get_absolute_url(),
        crumbs=_crumbs(application, "Moderate"),
    )


@login_required
def decide(request: HttpRequest, reference: str) -> HttpResponse:
    grant_round = _round(request, reference)
    actor = signed_in_user(request)
    if not access.can_manage_round(actor, grant_round):
        raise PermissionDenied("Only the round's commissioners decide it.")
    applications = list(
        services.submitted_applications(grant_round).filter(
            status=GrantApplication.Status.SUBMITTED
        )
    )
    form = DecisionForm(request.POST or None, applications=applications)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decisions = {
            a.pk: services.Decision(
                awarded=data[f"decision_{a.pk}"] == "award",
                feedback=data[f"feedback_{a.pk}"],
                amount=data[f"amount_{a.pk}"],
            )
            for a in applications
        }
        try:
            services.decide_round(actor, grant_round, decisions)
        except ValidationError as problem:
            apply_validation_error(form, _decision_fields(problem))
        else:
            messages.success(request, "The decisions are made and every applicant has been told.")
            return redirect(grant_round)
    return _form_page(
        request,
        form,
        heading=f"Decide: {grant_round.title}",
        caption=grant_round.reference,
        intro=f"£{grant_round.amount_available:,} is available. Every applicant is told the "
        "decision and reads your feedback.",
        submit_label="Make the decisions",
        cancel_url=grant_round.get_absolute_url(),
        crumbs=[
            LIST_CRUMB,
            (grant_round.reference, grant_round.get_absolute_url()),
            ("Decide", None),
        ],
    )


def _decision_fields(problem: ValidationError) -> ValidationError:
    """The service names ``application_<id>_amount``; the form's field is ``amount_<id>``."""
    renamed: dict[str, Any] = {}
    for key, value in problem.message_dict.items():
        parts = key.split("_")
        if key.startswith("application_") and len(parts) == 3:
            renamed[f"{parts[2]}_{parts[1]}"] = value
        elif key.startswith("application_"):
            renamed[f"decision_{parts[1]}"] = value
        else:
            renamed[key] = value
    return ValidationError(renamed)


@login_required
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    actor = signed_in_user(request)
    if not access.can_manage_round(actor, application.grant_round):
        raise PermissionDenied("Only the round's commissioners make grant agreements.")
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.make_agreement(
                actor,
                application,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                instalments=form.instalments(),
                monitoring_note=form.cleaned_data["monitoring_note"],
            )
        except ValidationError as problem:
            apply_validation_error(form, problem)
        else:
            messages.success(request, "The grant agreement is made.")
            return redirect(application)
    return _form_page(
        request,
        form,
        heading=f"Grant agreement: {application.organisation.name}",
        caption=f"£{application.amount_awarded:,} awarded",
        intro="The payments must add up to the amount awarded.",
        submit_label="Make the agreement",
        cancel_url=application.get_absolute_url(),
        crumbs=_crumbs(application, "Agreement"),
    )


@login_required
def monitoring(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    actor = signed_in_user(request)
    made = get_object_or_404(GrantAgreement, application=application)
    form = MonitoringForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_monitoring(actor, made, **form.cleaned_data)
        except ValidationError as problem:
            apply_validation_error(form, problem)
        else:
            messages.success(request, "Thank you: your report is sent.")
            return redirect(application)
    return _form_page(
        request,
        form,
        heading="Tell us how the grant is going",
        caption=application.title,
        intro=made.monitoring_note,
        submit_label="Send the report",
        cancel_url=application.get_absolute_url(),
        crumbs=_crumbs(application, "Report"),
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    applications = services.applications_of(signed_in_user(request)).prefetch_related(
        Prefetch("grant_round")
    )
    return render(
        request,
        "grants/mine.html",
        {"applications": applications, "crumbs": [LIST_CRUMB, ("Your grant applications", None)]},
    )


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def giving360_json(request: HttpRequest) -> JsonResponse:
    grants = awarded_grants(_site(request))
    if not grants:
        return JsonResponse(
            {
                "detail": "No grant has been awarded yet, so there is nothing to download",
                "errors": {},
            },
            status=404,
        )
    package = giving360.grants_package(
        grants, title="Grants awarded through Commissioning", publisher_name=PUBLISHER
    )
    return JsonResponse(package, json_dumps_params={"ensure_ascii": False})


def giving360_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        giving360.grants_csv(awarded_grants(_site(request))), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="grants-360giving.csv"'
    return response


def exercise_rounds_url(exercise: CommissioningExercise) -> str:
    return reverse("grants:create", args=[exercise.reference])
