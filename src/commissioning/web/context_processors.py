"""Context every page needs: service name, navigation by role, whether synthetic data is shown."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from commissioning.web.navigation import navigation_for, synthetic_data_present


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": settings.SERVICE_NAME,
        "navigation": navigation_for(request),
        "demo_data_present": synthetic_data_present(),
    }
