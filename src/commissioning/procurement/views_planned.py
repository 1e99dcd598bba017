"""The commissioner's page for the planned procurement notice (UK3, issue 11 item 9; LAW-1,
PRO-3): what it does, what still stops it, and the button. Thin: the rules are in
:mod:`commissioning.procurement.services_planned`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from commissioning.permissions import signed_in_user
from commissioning.procurement.services_planned import (
    planned_notice_problems,
    publish_planned_notice,
)
from commissioning.procurement.views_common import crumbs_for, managed


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def planned_notice(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = managed(request, reference)
    problems = planned_notice_problems(opportunity)
    if request.method == "POST":
        try:
            publish_planned_notice(signed_in_user(request), opportunity)
        except ValidationError as error:
            problems = [str(message) for message in error.messages]
        else:
            messages.success(request, "The planned procurement notice is published.")
            return HttpResponseRedirect(opportunity.get_absolute_url())
    context = {
        "opportunity": opportunity,
        "problems": problems,
        "attempted": request.method == "POST",
        "crumbs": crumbs_for(opportunity, "Planned procurement notice"),
    }
    return render(request, "procurement/planned_notice.html", context)
