"""The signed-in person's notifications: a list, and marking them read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from commissioning.kernel.pagination import paginate
from commissioning.notifications import services
from commissioning.permissions import signed_in_user


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    context = paginate(request, services.notifications_for(signed_in_user(request)))
    context["crumbs"] = [("Notifications", None)]
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (``id`` in the POST) or all of them (no ``id``) as read."""
    raw = request.POST.get("id", "")
    ids = [int(raw)] if raw.isdigit() else None
    services.mark_read(signed_in_user(request), ids)
    return HttpResponseRedirect(reverse("notifications:list"))
