"""Alert pages (issue 18, PRO-6): a person's own alerts with their feed addresses, the form,
stopping emails from the link in one, and the index of public area feeds. Thin views over
:mod:`.services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.alerts import access, services
from commissioning.alerts.feeds import AREA_FEED_KINDS
from commissioning.alerts.forms import SubscriptionForm, initial_for
from commissioning.alerts.models import ItemKind, Subscription
from commissioning.directory.forms import areas_in_order
from commissioning.kernel.forms import apply_validation_error
from commissioning.permissions import signed_in_user


def _crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    if not extra:
        return [("Your alerts", None)]
    return [("Your alerts", reverse("alerts:list")), *extra]


def _own(request: HttpRequest, pk: int) -> Subscription:
    subscription = get_object_or_404(Subscription, pk=pk)
    if not access.can_manage_subscription(request.user, subscription):
        raise Http404("No alert of yours with that number")  # others' alerts are not confirmed
    return subscription


def _describe(subscription: Subscription) -> dict[str, object]:
    return {
        "subscription": subscription,
        "kinds": [ItemKind(kind).label for kind in subscription.kinds],
        "areas": [area.name for area in subscription.areas.all()],
        "specialisms": [item.name for item in subscription.specialisms.all()],
        "cohorts": [item.name for item in subscription.cohorts.all()],
        "feed_url": reverse("alerts:feed", args=[subscription.feed_token]),
    }


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def subscription_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    rows = [_describe(subscription) for subscription in services.subscriptions_of(user)]
    for row in rows:
        row["feed_url"] = request.build_absolute_uri(str(row["feed_url"]))
    return render(
        request,
        "alerts/list.html",
        {"rows": rows, "crumbs": _crumbs(), "max_alerts": services.MAX_SUBSCRIPTIONS},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def subscription_new(request: HttpRequest) -> HttpResponse:
    form = SubscriptionForm(request.POST or None, initial={"by_email": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.subscribe(signed_in_user(request), form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Your alert has been set up.")
            return redirect("alerts:list")
    return render(
        request,
        "alerts/form.html",
        {"form": form, "heading": "Set up an alert", "crumbs": _crumbs(("New alert", None))},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def subscription_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _own(request, pk)
    form = SubscriptionForm(request.POST or None, initial=initial_for(subscription))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_subscription(signed_in_user(request), subscription, form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Your alert has been changed.")
            return redirect("alerts:list")
    return render(
        request,
        "alerts/form.html",
        {"form": form, "heading": "Change an alert", "crumbs": _crumbs(("Change", None))},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _own(request, pk)
    if request.method == "POST":
        services.delete_subscription(signed_in_user(request), subscription)
        messages.success(request, "Your alert has been deleted. Its feed address no longer works.")
        return redirect("alerts:list")
    return render(
        request,
        "alerts/delete.html",
        {**_describe(subscription), "crumbs": _crumbs(("Delete", None))},
    )


@login_required
@require_POST
def feed_address_renew(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _own(request, pk)
    try:
        services.renew_feed_address(signed_in_user(request), subscription)
    except PermissionDenied:
        raise Http404("No alert of yours with that number") from None
    messages.success(request, "The alert has a new feed address. The old address no longer works.")
    return redirect("alerts:list")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an alert email: a page to confirm, then no more emails for that alert."""
    subscription = services.subscription_for_unsubscribe(token)
    if subscription is None:
        raise Http404("This link does not work: the alert may have been deleted")
    done = False
    if request.method == "POST":
        services.stop_emails(subscription)
        done = True
    return render(
        request,
        "alerts/unsubscribe.html",
        {**_describe(subscription), "done": done, "crumbs": [("Stop alert emails", None)]},
    )


@require_http_methods(["GET", "HEAD"])
def feed_index(request: HttpRequest) -> HttpResponse:
    """Every public area feed, for a feed reader."""
    return render(
        request,
        "alerts/feeds.html",
        {
            "areas": areas_in_order(),
            "kinds": [(name, kind.label) for name, kind in AREA_FEED_KINDS.items()],
            "crumbs": [("Feeds", None)],
        },
    )
