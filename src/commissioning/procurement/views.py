"""Public opportunity pages: the list (filters: status, area, q) and the opportunity page with
lots, timeline and change log, criteria and weights, specification, contact and status.
Drafts are seen only by the exercise's commissioners (404 for everyone else)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from commissioning.clarifications.queries import clarifications_for
from commissioning.kernel.pagecache import cache_until, public_page
from commissioning.kernel.pagination import paginate
from commissioning.procurement import access, services, services_tupe
from commissioning.procurement.forms import OpportunityFilterForm
from commissioning.procurement.lifecycle import Status, can_cancel, dates_changeable, is_editable
from commissioning.procurement.models import Opportunity


def get_visible(request: HttpRequest, reference: str) -> Opportunity:
    return access.visible_opportunity(request.user, reference)


@public_page("procurement", "directory", "exercises")
def opportunity_list(request: HttpRequest) -> HttpResponse:
    form = OpportunityFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    context = paginate(request, services.filter_opportunities(request.user, filters))
    context.update(
        {
            "form": form,
            "filtered": bool(filters and any(filters.values())),
            "crumbs": [("Opportunities", None)],
        }
    )
    return render(request, "procurement/list.html", context)


@public_page()
def opportunity_detail(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = get_visible(request, reference)
    status = Status(opportunity.status)
    can_manage = access.can_manage_opportunity(request.user, opportunity)
    context = {
        "opportunity": opportunity,
        "lots": opportunity.lots.prefetch_related("areas", "specialisms").select_related(
            "award__winning_bid__organisation", "award__contract"
        ),
        "sections": opportunity.spec_sections.all(),
        "people_served": opportunity.cohorts.all(),
        "transferring_staff": opportunity.transferring_staff.all(),
        "tupe": services_tupe.tupe_estimate(opportunity),
        "criteria": opportunity.criteria.all(),
        "date_changes": opportunity.date_changes.all(),
        "open_for_bids": services.is_open_for_bids(opportunity),
        "can_manage": can_manage,
        "editable": can_manage and is_editable(status),
        "dates_changeable": can_manage and dates_changeable(status),
        "can_cancel": can_manage and can_cancel(status),
        "crumbs": [
            ("Opportunities", reverse("procurement:list")),
            (opportunity.reference, None),
        ],
        **clarifications_for(request.user, opportunity),
    }
    response = render(request, "procurement/detail.html", context)
    # Whether bids and questions are still taken depends on the clock as well as the records.
    return cache_until(
        response,
        opportunity.planned_notice_at,
        opportunity.question_deadline,
        opportunity.answers_by,
        opportunity.bid_deadline,
    )
