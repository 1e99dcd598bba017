"""Who may see or change an alert subscription (ADR 0007): only the person it belongs to; not
their organisation's administrators, not a site administrator."""

from __future__ import annotations

from typing import Any

from commissioning.permissions import Visitor, is_signed_in


def can_manage_subscription(user: Visitor, subscription: Any) -> bool:
    return is_signed_in(user) and subscription.user_id == user.pk
