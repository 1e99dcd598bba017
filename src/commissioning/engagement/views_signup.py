"""Signing up to a market engagement event (CYC-3): signed-in members of an organisation take a
place at a published, upcoming event and may give it up; the body's commissioners see who is
coming on the event page. Thin: parse, call :mod:`.events`, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.timezone import now
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.engagement import access, events, rules
from commissioning.engagement.forms import EventSignUpForm
from commissioning.engagement.models import MarketEvent
from commissioning.engagement.services import EngagementError
from commissioning.engagement.views import list_crumb, posted
from commissioning.permissions import Visitor, signed_in_user


def visible_event(request: HttpRequest, pk: int) -> MarketEvent:
    event = get_object_or_404(
        MarketEvent.objects.select_related("exercise", "exercise__commissioning_body"), pk=pk
    )
    if not access.can_view_event(request.user, event):
        raise Http404("No event here")
    return event


def signup_context(user: Visitor, event: MarketEvent) -> dict[str, Any]:
    """What the event page shows about places: the viewer's own place, whether they can sign
    up (and why not), places left and, for the body's commissioners, who is coming."""
    see_attendees = access.can_see_attendees(user, event)
    registration = events.registration_for(user, event)
    return {
        "registration": registration,
        "can_cancel": registration is not None and rules.can_sign_up(event.starts_at, now()),
        "can_sign_up": access.can_sign_up(user, event),
        "signup_problem": events.signup_problem(event),
        "places_left": events.places_left(event),
        "places_taken": events.places_taken(event),
        "see_attendees": see_attendees,
        "attendees": list(events.attendees(event)) if see_attendees else [],
    }


@login_required
@require_http_methods(["GET", "POST"])
def event_sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    if not access.can_sign_up(request.user, event):
        raise PermissionDenied("Sign-up is for approved members of an organisation.")
    if events.registration_for(request.user, event) is not None:
        messages.info(request, "You have already signed up to this event")
        return redirect(event)
    form = EventSignUpForm(
        posted(request), organisations=access.signup_organisations(request.user, event)
    )
    if request.method == "POST" and form.is_valid():
        try:
            events.sign_up(signed_in_user(request), event, form.chosen_organisation())
        except EngagementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"You have a place at {event.title}")
            return redirect(event)
    context = {
        "form": form,
        "event": event,
        "problem": events.signup_problem(event),
        "crumbs": [list_crumb(), (event.title, event.get_absolute_url()), ("Sign up", None)],
    }
    return render(request, "engagement/event_sign_up.html", context)


@login_required
@require_POST
def event_cancel_sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    try:
        events.cancel_registration(signed_in_user(request), event)
    except EngagementError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Your place is cancelled")
    return redirect(event)
