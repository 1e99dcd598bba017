"""Market engagement event pages (CYC-3): the public event page with its agenda, notes and
places (sign-up lives in :mod:`.views_signup`); commissioners record, edit and publish events
and their notes, and see who signed up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.audit.versions import StaleEdit, page_status
from commissioning.engagement import access, events, rules
from commissioning.engagement.forms import EventForm, NotesForm
from commissioning.engagement.models import MarketEvent
from commissioning.engagement.services import EngagementError
from commissioning.engagement.views import list_crumb, managed_exercise, posted
from commissioning.engagement.views_signup import signup_context
from commissioning.permissions import signed_in_user


def _managed_event(request: HttpRequest, pk: int) -> MarketEvent:
    event = get_object_or_404(MarketEvent.objects.select_related("exercise"), pk=pk)
    if not access.can_manage_engagement(request.user, event.exercise):
        raise PermissionDenied("Only commissioners of the commissioning body manage this event.")
    return event


def _crumbs(event: MarketEvent, tail: str) -> list[tuple[str, str | None]]:
    return [list_crumb(), (event.title, event.get_absolute_url()), (tail, None)]


@require_http_methods(["GET", "HEAD"])
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(
        MarketEvent.objects.select_related("exercise", "exercise__commissioning_body"), pk=pk
    )
    if not access.can_view_event(request.user, event):
        raise Http404("No event here")
    can_manage = access.can_manage_engagement(request.user, event.exercise)
    context = {
        "event": event,
        "can_manage": can_manage,
        "can_write_notes": can_manage
        and not event.is_draft
        and rules.can_publish_notes(event.starts_at, timezone.now()),
        "crumbs": [list_crumb(), (event.title, None)],
        **signup_context(request.user, event),
    }
    return render(request, "engagement/event.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest, reference: str) -> HttpResponse:
    exercise = managed_exercise(request, reference)
    form = EventForm(posted(request))
    if request.method == "POST" and form.is_valid():
        event = events.create_event(signed_in_user(request), exercise, form.cleaned_data)
        messages.success(request, "Event recorded as a draft")
        return redirect(event)
    context = {
        "form": form,
        "exercise": exercise,
        "heading": "Record a market engagement event",
        "submit_label": "Save draft event",
        "cancel_url": reverse("engagement:exercise", args=[exercise.reference]),
        "crumbs": [list_crumb(), ("Record an event", None)],
    }
    return render(request, "engagement/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    form = EventForm(posted(request), initial=events.event_initial(event), versioned=event)
    if request.method == "POST" and form.is_valid():
        try:
            events.update_event(signed_in_user(request), event, form.cleaned_data)
        except StaleEdit as stale:
            form.refuse_stale(stale)
        else:
            messages.success(request, "Event updated")
            return redirect(event)
    context = {
        "form": form,
        "exercise": event.exercise,
        "heading": "Edit the event",
        "submit_label": "Save changes",
        "cancel_url": event.get_absolute_url(),
        "crumbs": _crumbs(event, "Edit"),
    }
    return render(request, "engagement/form.html", context, status=page_status(form))


@login_required
@require_POST
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    try:
        events.publish_event(signed_in_user(request), event)
    except EngagementError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Event published")
    return redirect(event)


@login_required
@require_http_methods(["GET", "POST"])
def event_notes(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    form = NotesForm(posted(request), initial={"notes": event.notes})
    if request.method == "POST" and form.is_valid():
        try:
            events.publish_notes(signed_in_user(request), event, form.cleaned_data["notes"])
        except EngagementError as error:
            form.add_error("notes", str(error))
        else:
            messages.success(request, "Meeting notes published")
            return redirect(event)
    context = {
        "form": form,
        "exercise": event.exercise,
        "heading": "Publish the meeting notes",
        "submit_label": "Publish notes",
        "cancel_url": event.get_absolute_url(),
        "crumbs": _crumbs(event, "Meeting notes"),
    }
    return render(request, "engagement/form.html", context)
