"""Alerts hang on the publishing signals of procurement and engagement, which know nothing of
alerts (they sit below it in the layers)."""

from __future__ import annotations

from typing import Any

from commissioning.alerts import items, services
from commissioning.engagement import signals as engagement_signals
from commissioning.engagement.models import Consultation, MarketEvent
from commissioning.procurement import signals as procurement_signals
from commissioning.procurement.models import Opportunity


def opportunity_published(sender: Any, opportunity: Opportunity, **kwargs: Any) -> None:
    fresh = items.published_opportunities().get(pk=opportunity.pk)
    services.send_alerts(items.opportunity_item(fresh))


def consultation_published(sender: Any, consultation: Consultation, **kwargs: Any) -> None:
    fresh = items.published_consultations().get(pk=consultation.pk)
    services.send_alerts(items.consultation_item(fresh))


def market_event_published(sender: Any, event: MarketEvent, **kwargs: Any) -> None:
    fresh = items.published_events().get(pk=event.pk)
    services.send_alerts(items.event_item(fresh))


def connect() -> None:
    procurement_signals.opportunity_published.connect(
        opportunity_published, dispatch_uid="alerts.opportunity_published"
    )
    engagement_signals.consultation_published.connect(
        consultation_published, dispatch_uid="alerts.consultation_published"
    )
    engagement_signals.market_event_published.connect(
        market_event_published, dispatch_uid="alerts.market_event_published"
    )
