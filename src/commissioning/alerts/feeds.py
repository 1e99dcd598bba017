"""Atom feeds (issue 18, PRO-6): one per subscription at a secret address, and public ones per
area and kind (``/feeds/areas/<slug>/opportunities.atom``)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from commissioning.alerts.items import AlertItem, area_items, criteria_of, items_for
from commissioning.alerts.models import ItemKind, Subscription
from commissioning.directory.models import Area

AREA_FEED_KINDS: dict[str, ItemKind] = {
    "opportunities": ItemKind.OPPORTUNITY,
    "consultations": ItemKind.CONSULTATION,
    "events": ItemKind.EVENT,
}


class _ItemFeed(Feed):
    feed_type = Atom1Feed

    def author_name(self) -> str:
        return str(settings.SERVICE_NAME)

    def item_title(self, item: AlertItem) -> str:
        return f"{item.kind_label}: {item.title}"

    def item_description(self, item: AlertItem) -> str:
        return f"{item.body_name}. {item.summary}"

    def item_link(self, item: AlertItem) -> str:
        return item.url

    def item_guid(self, item: AlertItem) -> str:
        return f"tag:commissioning,{item.published_at:%Y-%m-%d}:{item.kind.value}/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: AlertItem) -> datetime:
        return item.published_at

    def item_updateddate(self, item: AlertItem) -> datetime:
        return item.published_at

    def item_author_name(self, item: AlertItem) -> str:
        return item.body_name


class SubscriptionFeed(_ItemFeed):
    """A subscription's own feed: whoever has the address reads it (no sign-in, so a feed
    reader can), which is why the address is a long random secret its owner can replace."""

    def get_object(self, request: HttpRequest, token: str) -> Subscription:
        subscription: Subscription = get_object_or_404(
            Subscription.objects.prefetch_related("areas", "specialisms", "cohorts"),
            feed_token=token,
        )
        return subscription

    def title(self, obj: Subscription) -> str:
        return f"Your alert: {', '.join(ItemKind(kind).label.lower() for kind in obj.kinds)}"

    def link(self, obj: Subscription) -> str:
        return reverse("alerts:list")

    def subtitle(self, obj: Subscription) -> str:
        return "New items matching an alert you set up on the platform."

    def items(self, obj: Subscription) -> list[AlertItem]:
        return items_for(criteria_of(obj))


class AreaFeed(_ItemFeed):
    """The public feed of one area and kind."""

    def get_object(self, request: HttpRequest, slug: str, kind: str) -> tuple[Area, ItemKind]:
        if kind not in AREA_FEED_KINDS:
            raise Http404("No such feed")
        return get_object_or_404(Area, slug=slug), AREA_FEED_KINDS[kind]

    def title(self, obj: tuple[Area, ItemKind]) -> str:
        area, kind = obj
        return f"{kind.label} in {area.name}"

    def link(self, obj: tuple[Area, ItemKind]) -> str:
        return reverse("alerts:feeds")

    def subtitle(self, obj: tuple[Area, ItemKind]) -> str:
        area, kind = obj
        return (
            f"{kind.label} published on the platform for {area.name}, including work across "
            "its probation region and across England and Wales."
        )

    def items(self, obj: tuple[Area, ItemKind]) -> list[AlertItem]:
        area, kind = obj
        return area_items(kind, area)
