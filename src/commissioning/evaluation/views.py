"""Evaluation pages (EVA-5, EVA-6): thin views over :mod:`.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.bids.models import Bid
from commissioning.evaluation import access, services
from commissioning.evaluation.evidence import (
    SUPPLY_CHAIN_CRITERION,
    evidence_for,
    is_involvement_criterion,
)
from commissioning.evaluation.forms import (
    AdviserForm,
    AssignForm,
    DeclarationForm,
    ModerateForm,
    ScoreForm,
)
from commissioning.evaluation.models import EvaluatorAssignment, PanelAdviser
from commissioning.evaluation.scales import evaluator_guidance
from commissioning.kernel.forms import apply_validation_error
from commissioning.permissions import signed_in_user
from commissioning.procurement.access import published_opportunity
from commissioning.procurement.models import Opportunity


def _opportunity(request: HttpRequest, reference: str, manage: bool = False) -> Opportunity:
    allowed = access.can_manage_evaluation if manage else access.can_view_evaluation
    refusal = "Only the commissioners and assigned evaluators see evaluation."
    return published_opportunity(request.user, reference, allowed, refusal)


def _url(name: str, opportunity: Opportunity, *args: Any) -> str:
    return reverse(f"evaluation:{name}", args=[opportunity.reference, *args])


def _crumbs(opportunity: Opportunity, label: str | None = None) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [
        ("Opportunities", reverse("procurement:list")),
        (opportunity.reference, opportunity.get_absolute_url()),
        ("Evaluation", _url("opportunity", opportunity) if label else None),
    ]
    if label:
        crumbs.append((label, None))
    return crumbs


def _assign_form(opportunity: Opportunity, data: Any = None, people: Any = None) -> AssignForm:
    return AssignForm(
        data,
        criteria=services.judged_criteria(opportunity),
        evaluators=services.eligible_evaluators() if people is None else people,
    )


def _adviser_form(data: Any = None, people: Any = None) -> AdviserForm:
    return AdviserForm(data, people=services.eligible_evaluators() if people is None else people)


def _overview(
    request: HttpRequest,
    opportunity: Opportunity,
    form: AssignForm | None = None,
    adviser_form: AdviserForm | None = None,
) -> HttpResponse:
    """The opportunity's evaluation page (EVA-5, EVA-6): one's own part on the panel, and for
    the commissioners the panel, its conflicts and moderation. What only the commissioners see
    is read only for them, and one's view of the panel (opened? declared? which bids?) is read
    once, when the page first asks."""
    user = request.user
    manager = access.can_manage_evaluation(user, opportunity)
    panel = services.PanelView(user, opportunity)
    assignments: list[EvaluatorAssignment] = []
    advisers: list[tuple[PanelAdviser, bool]] = []
    people: list[User] = []
    if manager:
        assignments = list(services.assignments(opportunity))
        my_assignments = [a for a in assignments if a.evaluator_id == user.pk]
        advisers = _advisers_and_declared(opportunity)
        advising = next((place for place, _ in advisers if place.adviser_id == user.pk), None)
        people = list(services.eligible_evaluators())
    else:
        my_assignments = list(services.assignments(opportunity).filter(evaluator_id=user.pk))
        advising = services.advisers(opportunity).filter(adviser_id=user.pk).first()
    context = {
        "advising": advising,
        "adviser_bids": panel.readable_bids if advising else [],
        "advisers": advisers,
        "adviser_form": adviser_form or (_adviser_form(people=people) if manager else None),
        "adviser_url": _url("add-adviser", opportunity),
        "opportunity": opportunity,
        "manager": manager,
        "assignments": assignments,
        "my_assignments": my_assignments,
        "panel": panel,
        "all_conflicts": (
            opportunity.conflict_declarations.filter(has_conflict=True).select_related(
                "evaluator", "organisation"
            )
            if manager
            else []
        ),
        "all_submitted": manager and services.all_scores_submitted(opportunity),
        "moderation_complete": manager and services.moderation_complete(opportunity),
        "selection": services.selection_for_opportunity(opportunity),
        "assign_form": form or (_assign_form(opportunity, people=people) if manager else None),
        "form": adviser_form or form,
        "assign_url": _url("assign", opportunity),
        "crumbs": _crumbs(opportunity),
    }
    return render(request, "evaluation/opportunity.html", context)


def _advisers_and_declared(opportunity: Opportunity) -> list[tuple[PanelAdviser, bool]]:
    """Each adviser on the panel and whether they have declared their interests yet."""
    declared = set(opportunity.conflict_declarations.values_list("evaluator_id", flat=True))
    return [(place, place.adviser_id in declared) for place in services.advisers(opportunity)]


@login_required
def my_evaluations(request: HttpRequest) -> HttpResponse:
    """The opportunities the signed-in user is assigned to evaluate (EVA-5)."""
    context = {
        "opportunities": services.opportunities_to_evaluate(request.user),
        "crumbs": [("Your evaluations", None)],
    }
    return render(request, "evaluation/mine.html", context)


@login_required
def opportunity_page(request: HttpRequest, reference: str) -> HttpResponse:
    return _overview(request, _opportunity(request, reference))


@login_required
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = _opportunity(request, reference, manage=True)
    if request.method != "POST":
        return HttpResponseRedirect(_url("opportunity", opportunity))
    form = _assign_form(opportunity, request.POST)
    if form.is_valid():
        criterion = services.judged_criteria(opportunity).get(pk=form.cleaned_data["criterion"])
        evaluator = services.eligible_evaluators().get(pk=form.cleaned_data["evaluator"])
        try:
            services.assign_evaluator(signed_in_user(request), criterion, evaluator)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"{evaluator.email} assigned to {criterion.name}.")
            return HttpResponseRedirect(_url("opportunity", opportunity))
    return _overview(request, opportunity, form)


@login_required
def unassign(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    opportunity = _opportunity(request, reference, manage=True)
    assignment = get_object_or_404(EvaluatorAssignment, pk=pk, criterion__opportunity=opportunity)
    if request.method == "POST":
        try:
            services.unassign_evaluator(signed_in_user(request), assignment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Assignment removed.")
    return HttpResponseRedirect(_url("opportunity", opportunity))


@login_required
def add_adviser(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = _opportunity(request, reference, manage=True)
    if request.method != "POST":
        return HttpResponseRedirect(_url("opportunity", opportunity))
    form = _adviser_form(request.POST)
    if form.is_valid():
        adviser = services.eligible_evaluators().get(pk=form.cleaned_data["adviser"])
        try:
            services.add_adviser(
                signed_in_user(request), opportunity, adviser, form.cleaned_data["expertise"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                f"{adviser.email} added as an adviser. They see no bid until they have declared "
                "their interests.",
            )
            return HttpResponseRedirect(_url("opportunity", opportunity))
    return _overview(request, opportunity, adviser_form=form)


@login_required
def remove_adviser(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    opportunity = _opportunity(request, reference, manage=True)
    place = get_object_or_404(PanelAdviser, pk=pk, opportunity=opportunity)
    if request.method == "POST":
        services.remove_adviser(signed_in_user(request), place)
        messages.success(request, f"{place.adviser.email} is no longer an adviser.")
    return HttpResponseRedirect(_url("opportunity", opportunity))


@login_required
def read_bid(request: HttpRequest, reference: str, bid_pk: int) -> HttpResponse:
    """An opened bid as an adviser reads it: every answer, no scoring (PRO-11)."""
    opportunity = _opportunity(request, reference)
    if not access.is_adviser(request.user, opportunity):
        raise PermissionDenied("Only the panel's advisers read bids here.")
    bid = get_object_or_404(Bid, pk=bid_pk, lot__opportunity=opportunity)
    view = services.read_bid_as_evaluator(request.user, bid)
    answers = [
        (criterion, view.content.answers.get(str(criterion.pk), ""))
        for criterion in services.judged_criteria(opportunity)
    ]
    context = {
        "opportunity": opportunity,
        "bid": bid,
        "answers": answers,
        "evidence": evidence_for(view),
        "evidence_open": False,
        "crumbs": _crumbs(opportunity, str(bid.organisation)),
    }
    return render(request, "evaluation/read_bid.html", context)


@login_required
def declare(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = _opportunity(request, reference)
    if not access.is_panel_member(request.user, opportunity):
        raise PermissionDenied("Only the panel's evaluators and advisers declare interests.")
    organisations = services.bidders(opportunity)
    form = DeclarationForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_conflicts(signed_in_user(request), opportunity, form.answers())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Declarations of interest recorded.")
            return HttpResponseRedirect(_url("opportunity", opportunity))
    context = {
        "opportunity": opportunity,
        "form": form,
        "cancel_url": _url("opportunity", opportunity),
        "crumbs": _crumbs(opportunity, "Interests"),
    }
    return render(request, "evaluation/declare.html", context)


def _assignment(request: HttpRequest, opportunity: Opportunity, pk: int) -> EvaluatorAssignment:
    assignment = get_object_or_404(
        EvaluatorAssignment.objects.select_related("criterion", "evaluator"),
        pk=pk,
        criterion__opportunity=opportunity,
    )
    if not access.can_score(request.user, assignment):
        raise PermissionDenied("This is another evaluator's assignment.")
    return assignment


def _own_assignment(request: HttpRequest, reference: str, pk: int) -> EvaluatorAssignment:
    """The signed-in evaluator's assignment ``pk`` on the published opportunity ``reference``,
    with its criterion, opportunity and the opportunity's bid key, in one read. Anyone else gets
    the answers the two-step :func:`_opportunity` then :func:`_assignment` gives: 404 for a
    draft or no such opportunity, 403 unless they may see the evaluation, then 404 or 403
    (another evaluator's)."""
    assignment = (
        EvaluatorAssignment.objects.select_related(
            "criterion__opportunity__exercise", "criterion__opportunity__bid_key"
        )
        .filter(pk=pk, criterion__opportunity__reference=reference)
        .exclude(criterion__opportunity__status=Opportunity.Status.DRAFT)
        .first()
    )
    if assignment is not None and access.can_score(request.user, assignment):
        return assignment
    return _assignment(request, _opportunity(request, reference), pk)


@login_required
def assignment_page(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """An evaluator's scores on one criterion (EVA-5). Its evaluator is on the panel (they may
    score on it) and the bids' opening was read with the assignment, so their view of the panel
    reads only their declarations and the submitted bids, once each; their scores and, once
    submitted, the others' beside them are one read."""
    assignment = _own_assignment(request, reference, pk)
    opportunity = assignment.criterion.opportunity
    panel = services.PanelView.for_assignment(request.user, assignment)
    own, others = services.scores_beside(request.user, assignment, panel)
    context = {
        "opportunity": opportunity,
        "assignment": assignment,
        "rows": [(bid, own.get(bid.pk)) for bid in panel.readable_bids],
        "panel": panel,
        "others": others,
        "crumbs": _crumbs(opportunity, assignment.criterion.name),
    }
    return render(request, "evaluation/assignment.html", context)


@login_required
def score_bid(request: HttpRequest, reference: str, pk: int, bid_pk: int) -> HttpResponse:
    assignment = _own_assignment(request, reference, pk)
    opportunity = assignment.criterion.opportunity
    bid = get_object_or_404(Bid, pk=bid_pk, lot__opportunity=opportunity)
    view = services.read_bid_as_evaluator(request.user, bid)
    scale = services.scale_for(assignment.criterion)
    existing = assignment.scores.filter(bid=bid).first()
    initial = (
        {"score": str(existing.score), "justification": existing.justification}
        if existing
        else None
    )
    form = ScoreForm(request.POST or None, initial=initial, scale=scale)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_score(
                signed_in_user(request),
                assignment,
                bid,
                form.cleaned_data["score"],
                form.cleaned_data["justification"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Draft score saved for {bid.organisation}.")
            return HttpResponseRedirect(_url("assignment", opportunity, assignment.pk))
    context = {
        "opportunity": opportunity,
        "assignment": assignment,
        "bid": bid,
        "answer": view.content.answers.get(str(assignment.criterion.pk), ""),
        "evidence": evidence_for(view),
        "evidence_open": assignment.criterion.library_id == SUPPLY_CHAIN_CRITERION,
        "involvement_criterion": is_involvement_criterion(
            assignment.criterion.library_id, assignment.criterion.name
        ),
        "scale": scale,
        "guidance": evaluator_guidance(assignment.criterion),
        "form": form,
        "cancel_url": _url("assignment", opportunity, assignment.pk),
        "crumbs": _crumbs(opportunity, f"Score {bid.organisation}"),
    }
    return render(request, "evaluation/score.html", context)


@login_required
def submit(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    assignment = _own_assignment(request, reference, pk)
    opportunity = assignment.criterion.opportunity
    if request.method == "POST":
        try:
            services.submit_scores(signed_in_user(request), assignment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Scores on {assignment.criterion.name} submitted.")
    return HttpResponseRedirect(_url("assignment", opportunity, assignment.pk))


@login_required
def moderation(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = _opportunity(request, reference, manage=True)
    context = {
        "opportunity": opportunity,
        "report": services.divergence_report(opportunity),
        "rows": services.moderation_rows(opportunity),
        "crumbs": _crumbs(opportunity, "Divergence and moderation"),
    }
    return render(request, "evaluation/moderation.html", context)


@login_required
def moderate(request: HttpRequest, reference: str, bid_pk: int, criterion_pk: int) -> HttpResponse:
    opportunity = _opportunity(request, reference, manage=True)
    bid = get_object_or_404(Bid, pk=bid_pk, lot__opportunity=opportunity)
    criterion = get_object_or_404(services.judged_criteria(opportunity), pk=criterion_pk)
    row = next(
        r for r in services.moderation_rows(opportunity) if r.key == f"{bid.pk}-{criterion.pk}"
    )
    scale = services.scale_for(criterion)
    initial = (
        {"score": str(row.moderated.score), "rationale": row.moderated.rationale}
        if row.moderated
        else None
    )
    form = ModerateForm(request.POST or None, initial=initial, scale=scale)
    if request.method == "POST" and form.is_valid():
        try:
            services.moderate(
                signed_in_user(request),
                bid,
                criterion,
                form.cleaned_data["score"],
                form.cleaned_data["rationale"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Agreed score recorded for {bid.organisation}.")
            return HttpResponseRedirect(_url("moderation", opportunity))
    context = {
        "opportunity": opportunity,
        "row": row,
        "form": form,
        "crumbs": _crumbs(opportunity, "Moderate"),
    }
    return render(request, "evaluation/moderate.html", context)
