"""Deployment checks of our own, beside Django's: ``manage.py check --deploy`` also flags the
public development sealing key and a site address that is not https (docs/deployment.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_bid_sealing_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.BID_SEALING_KEY:
        return []
    return [
        Warning(
            "Bids are sealed with the development key, which is public "
            "(BID_SEALING_ALLOW_DEV_KEY is on and BID_SEALING_KEY is not set).",
            hint="Set BID_SEALING_KEY to the deployment's own key and remove "
            "BID_SEALING_ALLOW_DEV_KEY (docs/keys.md).",
            id="commissioning.W001",
        )
    ]


@register(Tags.security, deploy=True)
def check_site_url(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.SITE_URL.startswith("https://"):
        return []
    return [
        Warning(
            f"SITE_URL is {settings.SITE_URL!r}: links in emails would not use https.",
            hint="Set SITE_URL to the address people reach the platform at, such as "
            "https://commissioning.example.org.",
            id="commissioning.W002",
        )
    ]
