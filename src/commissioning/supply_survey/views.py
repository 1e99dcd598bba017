"""Web pages of the supply-chain survey (SUP-4): thin views over :mod:`.services` and
:mod:`.access`. The index lists the published results per prime (and, for the independent
reviewer, every round and the form to open one); a round's page shows its results as
:func:`.services.results` allows; members of a prime's sub-contractors answer from it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from commissioning import permissions
from commissioning.directory.models import Organisation
from commissioning.kernel.forms import apply_validation_error
from commissioning.supply_survey import access, lifecycle, services
from commissioning.supply_survey.forms import AnswerForm, MoveForm, OpenRoundForm
from commissioning.supply_survey.models import Agreement, SurveyRound

TITLE = "Supply-chain surveys"


def _crumbs(
    survey_round: SurveyRound, *last: tuple[str, str | None]
) -> list[tuple[str, str | None]]:
    return [
        (TITLE, reverse("supply_survey:index")),
        (survey_round.prime.name, reverse("supply_survey:prime", args=[survey_round.prime.slug])),
        (
            str(survey_round.year),
            survey_round.get_absolute_url() if last else None,
        ),
        *last,
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    form = None
    if access.can_manage(request.user):
        form = OpenRoundForm(request.POST or None)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only the independent reviewer opens a supply-chain survey.")
        if form.is_valid():
            try:
                opened = services.open_round(
                    permissions.signed_in_user(request),
                    form.cleaned_data["prime"],
                    form.cleaned_data["year"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, "Survey opened: its sub-contractors can now answer.")
                return redirect(opened.get_absolute_url())
    return render(
        request,
        "supply_survey/index.html",
        {
            "rounds": list(access.visible_rounds(request.user)),
            "to_answer": services.to_answer(request.user),
            "form": form,
            "title": TITLE,
        },
    )


@require_http_methods(["GET", "HEAD"])
def prime_rounds(request: HttpRequest, prime: str) -> HttpResponse:
    """A prime's surveys, newest first: what its sub-contractors say about it, year by year."""
    organisation = get_object_or_404(Organisation, slug=prime)
    rows = [
        {"round": r, "results": services.results(request.user, r)}
        for r in access.prime_rounds(request.user, organisation)
    ]
    context = {
        "crumbs": [(TITLE, reverse("supply_survey:index")), (organisation.name, None)],
        "prime": organisation,
        "rows": rows,
        "min_respondents": access.MIN_RESPONDENTS,
    }
    return render(request, "supply_survey/prime.html", context)


@require_http_methods(["GET", "HEAD"])
def round_detail(request: HttpRequest, prime: str, year: int) -> HttpResponse:
    survey_round = access.round_or_404(request.user, prime, year)
    user = request.user
    answering = [
        {"organisation": o, "answered": services.has_answered(survey_round, o)}
        for o in access.answers_for(user, survey_round)
    ]
    moves = []
    if access.can_manage(user):
        moves = [
            name
            for name, target in lifecycle.MOVES.items()
            if target in lifecycle.allowed_next(survey_round.status)
        ]
    context = {
        "crumbs": _crumbs(survey_round),
        "survey_round": survey_round,
        "results": services.results(user, survey_round),
        "scale": [label for _, label in Agreement.choices],
        "min_respondents": access.MIN_RESPONDENTS,
        "is_open": lifecycle.is_open(survey_round),
        "is_published": lifecycle.is_published(survey_round),
        "answering": answering,
        "may_answer": lifecycle.is_open(survey_round)
        and any(not item["answered"] for item in answering),
        "moves": moves,
    }
    return render(request, "supply_survey/round.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, prime: str, year: int) -> HttpResponse:
    survey_round = access.round_or_404(request.user, prime, year)
    organisations = [
        o
        for o in access.answers_for(request.user, survey_round)
        if not services.has_answered(survey_round, o)
    ]
    if not access.answers_for(request.user, survey_round):
        raise PermissionDenied("Only a sub-contractor of this prime answers its survey.")
    if not organisations or not lifecycle.is_open(survey_round):
        messages.info(request, "There is nothing for you to answer in this survey.")
        return redirect(survey_round.get_absolute_url())
    form = AnswerForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer(
                permissions.signed_in_user(request),
                survey_round,
                form.organisation(),
                form.ratings(),
                form.cleaned_data["comments"],
                may_quote=form.cleaned_data["may_quote"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Thank you: your answers were recorded without your name.")
            return redirect(survey_round.get_absolute_url())
    context = {
        "crumbs": _crumbs(survey_round, ("Answer the survey", None)),
        "survey_round": survey_round,
        "form": form,
        "cancel_url": survey_round.get_absolute_url(),
    }
    return render(request, "supply_survey/answer.html", context)


@login_required
@require_POST
def move(request: HttpRequest, prime: str, year: int) -> HttpResponse:
    survey_round = access.round_or_404(request.user, prime, year)
    form = MoveForm(request.POST)
    target = form.cleaned_data["move"] if form.is_valid() else ""
    try:
        services.move(permissions.signed_in_user(request), survey_round, target)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        done = "closed" if target == "close" else "published"
        messages.success(request, f"Survey {done}.")
    return redirect(survey_round.get_absolute_url())
