"""Who may manage an organisation's API tokens (ADR 0007): its own administrators only, never a
site administrator, since a token speaks for the organisation (as a member would)."""

from __future__ import annotations

from typing import Any

from commissioning.permissions import Visitor, is_org_admin


def can_manage_tokens(user: Visitor, organisation: Any) -> bool:
    return is_org_admin(user, organisation)
