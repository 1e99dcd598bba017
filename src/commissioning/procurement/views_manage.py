"""Commissioners' pages for an opportunity: create, edit details, lots, specification, criteria,
timeline, the lot accessibility report, publish and cancel. Thin: parse, call a service, render.
Anonymous people are sent to sign in; others without permission get 403."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from commissioning.exercises.models import CommissioningExercise
from commissioning.permissions import signed_in_user
from commissioning.procurement import access, services, services_editing, services_reports
from commissioning.procurement.forms import (
    CancelForm,
    DateChangeForm,
    OpportunityForm,
    TimelineForm,
)
from commissioning.procurement.lifecycle import Status, TransitionError
from commissioning.procurement.models import Opportunity
from commissioning.procurement.views_common import (
    crumbs_for,
    form_page,
    managed,
    save_form,
)


@login_required
def opportunity_create(request: HttpRequest, exercise_reference: str) -> HttpResponse:
    exercise = get_object_or_404(CommissioningExercise, reference=exercise_reference)
    if not access.can_create_opportunity(request.user, exercise):
        raise PermissionDenied("Only the exercise's commissioners can create opportunities.")
    form = OpportunityForm(request.POST or None, instance=Opportunity(exercise=exercise))
    if form.is_valid():
        opportunity = services_editing.create_opportunity(
            signed_in_user(request), exercise, form.cleaned_data
        )
        messages.success(request, f"Opportunity {opportunity.reference} created as a draft.")
        return HttpResponseRedirect(opportunity.get_absolute_url())
    return form_page(
        request,
        form,
        title="Create an opportunity",
        caption=f"{exercise.reference}: {exercise.title}",
        crumbs=[
            ("Exercises", reverse("exercises:list")),
            (exercise.reference, reverse("exercises:detail", args=[exercise.reference])),
            ("Create an opportunity", None),
        ],
        submit_label="Create draft opportunity",
        cancel_url=reverse("exercises:detail", args=[exercise.reference]),
    )


@login_required
def opportunity_edit(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = managed(request, reference)
    form = OpportunityForm(
        request.POST or None, instance=copy.copy(opportunity), versioned=opportunity
    )
    url = opportunity.get_absolute_url()
    done = save_form(
        request,
        form,
        lambda: services_editing.update_details(
            signed_in_user(request), opportunity, form.cleaned_data
        ),
        "Details saved.",
        url,
    )
    return done or form_page(
        request,
        form,
        title="Edit opportunity details",
        caption=str(opportunity),
        crumbs=crumbs_for(opportunity, "Edit details"),
        submit_label="Save changes",
        cancel_url=url,
    )


def _timeline_initial(opportunity: Opportunity) -> dict[str, Any]:
    from django.utils import timezone

    initial: dict[str, Any] = {}
    for name in ("question_deadline", "answers_by", "bid_deadline"):
        value = getattr(opportunity, name)
        if value is not None:
            initial[name] = timezone.localtime(value).date()
            initial["deadline_time"] = timezone.localtime(value).time()
    return initial


@login_required
def timeline_edit(request: HttpRequest, reference: str) -> HttpResponse:
    """A draft's dates; for an open opportunity, a date change with a reason (PRO-3)."""
    opportunity = managed(request, reference)
    status = Status(opportunity.status)
    url = opportunity.get_absolute_url() + "#timeline"
    if status is Status.OPEN:
        change = DateChangeForm(request.POST or None)

        def apply() -> None:
            value = change.new_value()
            if value is None:
                raise ValidationError({"new_date": ["Enter the new date"]})
            field = change.cleaned_data["field"]
            try:
                services.apply_timeline_change(
                    signed_in_user(request),
                    opportunity,
                    field=field,
                    new_value=value,
                    reason=change.cleaned_data["reason"],
                )
            except ValidationError as error:
                mapped = {
                    ("new_date" if key == field else key): msgs
                    for key, msgs in error.message_dict.items()
                }
                raise ValidationError(mapped) from error

        done = save_form(
            request, change, apply, "Date changed and interested organisations told.", url
        )
        return done or form_page(
            request,
            change,
            title="Change a published date",
            caption=str(opportunity),
            crumbs=crumbs_for(opportunity, "Change a date"),
            submit_label="Change date",
            cancel_url=url,
            intro="The change and its reason are published in the change log and sent to every "
            "organisation that registered interest. If it leaves bidders less time than the "
            "policy allows, the bid deadline moves automatically.",
        )
    if status is not Status.DRAFT:
        raise Http404("The timeline of this opportunity can no longer change")
    form = TimelineForm(
        request.POST or None, initial=_timeline_initial(opportunity), versioned=opportunity
    )
    done = save_form(
        request,
        form,
        lambda: services_editing.set_draft_timeline(
            signed_in_user(request), opportunity, form.deadlines(), version=form.edited_version()
        ),
        "Timeline saved.",
        url,
    )
    return done or form_page(
        request,
        form,
        title="Set the timeline",
        caption=str(opportunity),
        crumbs=crumbs_for(opportunity, "Timeline"),
        submit_label="Save timeline",
        cancel_url=url,
        intro="Dates are checked against the timeline policy as if you published today: a bid "
        "window of at least 8 weeks (12 when consortium bids are encouraged), answers within "
        "the guaranteed response time, and 10 working days after answers before the deadline.",
    )


@login_required
def accessibility_report(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = managed(request, reference)
    result = services_reports.lot_accessibility(opportunity)
    lots = result.report.lots if result.report else ()
    context = {
        "opportunity": opportunity,
        "result": result,
        "lots": [(lot, services_reports.count_rows(lot)) for lot in lots],
        "budget": services_reports.budget_realism(opportunity),
        "crumbs": crumbs_for(opportunity, "Lot accessibility report"),
    }
    return render(request, "procurement/accessibility.html", context)


@login_required
def publish(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = managed(request, reference)
    if opportunity.status != Status.DRAFT:
        raise Http404("Only a draft can be published")
    problems: list[str] = []
    if request.method == "POST":
        try:
            services.publish(signed_in_user(request), opportunity)
        except TransitionError as error:
            problems = error.reasons
        else:
            messages.success(request, "Published: the opportunity is open for bids.")
            return HttpResponseRedirect(opportunity.get_absolute_url())
    else:
        problems = services.publish_problems(opportunity)
    context = {
        "opportunity": opportunity,
        "problems": problems,
        "attempted": request.method == "POST",
        "budget": services_reports.budget_realism(opportunity),
        "crumbs": crumbs_for(opportunity, "Publish"),
    }
    return render(request, "procurement/publish.html", context)


@login_required
def cancel(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = managed(request, reference)
    form = CancelForm(request.POST or None)
    url = opportunity.get_absolute_url()

    def apply() -> None:
        try:
            services.cancel(
                signed_in_user(request),
                opportunity,
                code=form.cleaned_data["cancellation_code"],
                reason=form.cleaned_data["cancellation_reason"],
            )
        except TransitionError as error:
            raise ValidationError({error.field: error.reasons}) from error

    done = save_form(request, form, apply, "The opportunity is cancelled.", url)
    return done or form_page(
        request,
        form,
        title="Cancel the opportunity",
        caption=str(opportunity),
        crumbs=crumbs_for(opportunity, "Cancel"),
        submit_label="Cancel the opportunity",
        cancel_url=url,
        intro="The coded reason and your explanation are published, and everyone who "
        "registered interest is told.",
    )
