"""Alert subscriptions and sending alerts (issue 18, PRO-6).

A person keeps their own subscriptions (:mod:`.access`); each change is one transaction. When
an opportunity, consultation or market engagement event is published, :func:`send_alerts` tells
every person with a matching subscription once, in the platform's notifications and, if any of
their matching subscriptions asks for it, by email with a link to stop those emails.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse

from commissioning.alerts import access
from commissioning.alerts.items import AlertItem, criteria_of
from commissioning.alerts.models import AlertSent, ItemKind, Subscription, new_feed_token
from commissioning.directory.models import Area
from commissioning.notifications.links import absolute_url
from commissioning.notifications.services import notify
from commissioning.permissions import User

MAX_SUBSCRIPTIONS = 20
_UNSUBSCRIBE_SALT = "commissioning.alerts.unsubscribe"


def subscriptions_of(user: User) -> QuerySet[Subscription]:
    return Subscription.objects.filter(user=user).prefetch_related(
        "areas", "specialisms", "cohorts"
    )


def _check_kinds(kinds: Iterable[str]) -> list[str]:
    chosen = set(kinds)
    if not chosen:
        raise ValidationError(
            {"kinds": "Select at least one of opportunities, consultations or events"}
        )
    unknown = chosen - set(ItemKind.values)
    if unknown:
        raise ValidationError({"kinds": "Select what to hear about from the list"})
    return [kind for kind in ItemKind.values if kind in chosen]


def _apply(subscription: Subscription, data: Mapping[str, Any]) -> None:
    subscription.kinds = _check_kinds(data.get("kinds") or ())
    subscription.by_email = bool(data.get("by_email"))
    subscription.save()
    subscription.areas.set(list(data.get("areas") or ()))
    subscription.specialisms.set(list(data.get("specialisms") or ()))
    subscription.cohorts.set(list(data.get("cohorts") or ()))


def subscribe(user: User, data: Mapping[str, Any]) -> Subscription:
    """A new subscription for ``user`` themselves (``data`` as the form cleans it)."""
    with transaction.atomic():
        if Subscription.objects.select_for_update().filter(user=user).count() >= MAX_SUBSCRIPTIONS:
            raise ValidationError(
                f"You have {MAX_SUBSCRIPTIONS} alerts, the most one person can have: "
                "change or delete one first"
            )
        subscription = Subscription(user=user)
        _apply(subscription, data)
    return subscription


def _owned(user: User, subscription: Subscription) -> Subscription:
    if not access.can_manage_subscription(user, subscription):
        raise PermissionDenied("Only the person an alert belongs to can change it.")
    return Subscription.objects.select_for_update().get(pk=subscription.pk)


def update_subscription(user: User, subscription: Subscription, data: Mapping[str, Any]) -> None:
    with transaction.atomic():
        _apply(_owned(user, subscription), data)


def delete_subscription(user: User, subscription: Subscription) -> None:
    with transaction.atomic():
        _owned(user, subscription).delete()


def renew_feed_address(user: User, subscription: Subscription) -> str:
    """Replace the feed's secret address: the old one stops working at once."""
    with transaction.atomic():
        stored = _owned(user, subscription)
        stored.feed_token = new_feed_token()
        stored.save(update_fields=["feed_token"])
    subscription.feed_token = stored.feed_token
    return stored.feed_token


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps(subscription.pk, salt=_UNSUBSCRIBE_SALT)


def subscription_for_unsubscribe(token: str) -> Subscription | None:
    """The subscription an email's "stop these emails" link names, or None for a link that was
    altered or whose alert was deleted."""
    try:
        pk = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Subscription.objects.filter(pk=pk).first()


def stop_emails(subscription: Subscription) -> None:
    """From the link in an email (no sign-in: the signed link is the proof): the alert stays on
    the platform and in its feed, but sends no more email."""
    with transaction.atomic():
        Subscription.objects.filter(pk=subscription.pk).update(by_email=False)
    subscription.by_email = False


def send_alerts(item: AlertItem) -> int:
    """Tell every person whose subscription matches ``item``, once each; returns how many were
    told. Runs inside the publishing transaction, so a rolled-back publication tells nobody."""
    matched: dict[int, list[Subscription]] = {}
    all_areas = list(Area.objects.only("id", "kind", "parent_id"))
    for subscription in Subscription.objects.select_related("user").prefetch_related(
        "areas", "specialisms", "cohorts"
    ):
        if subscription.user.is_active and criteria_of(subscription, all_areas).matches(item):
            matched.setdefault(subscription.user_id, []).append(subscription)
    told = 0
    for subscriptions in matched.values():
        user = subscriptions[0].user
        try:
            with transaction.atomic():
                AlertSent.objects.create(user=user, item_kind=item.kind, item_id=item.pk)
        except IntegrityError:
            continue  # told already
        emailed = [s for s in subscriptions if s.by_email]
        body = f"{item.body_name}: {item.title}\n\n{item.summary}".strip()
        if emailed:
            stop = reverse("alerts:unsubscribe", args=[unsubscribe_token(emailed[0])])
            body += (
                "\n\nYou asked for this alert on the platform. To stop these emails, "
                f"visit {absolute_url(stop)}"
            )
        told += notify(
            [user],
            subject=f"{item.kind_label}: {item.title}",
            body=body,
            url=item.url,
            kind=f"alerts.{item.kind.value}",
            email=bool(emailed),
        )
    return told
