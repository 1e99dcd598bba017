"""Who may do what with clarification questions (PRO-4), on the procurement rules in
:mod:`commissioning.procurement.access` and the building blocks of
:mod:`commissioning.permissions` (ADR 0007):

* approved members of a provider organisation (any organisation that is not a commissioning
  body) ask questions, on behalf of one of those organisations;
* the opportunity's managers (commissioners of the body, and site administrators) answer,
  edit the published wording and close questions;
* only the commissioners of the body see who asked — not the public, not other providers and
  not other commissioners (site administrators read it in the database, not on pages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from commissioning.permissions import Visitor, is_commissioner_of, speaks_for
from commissioning.procurement import access as procurement_access

if TYPE_CHECKING:
    from commissioning.directory.models import Organisation
    from commissioning.procurement.models import Opportunity


def asking_organisations(user: Visitor) -> list[Organisation]:
    """The provider organisations ``user`` is an approved member of (may ask on their behalf)."""
    return speaks_for(user)


def can_ask(user: Visitor, opportunity: Opportunity) -> bool:
    """Someone who may speak for a provider organisation and may see the opportunity."""
    if not procurement_access.can_view_opportunity(user, opportunity):
        return False
    return bool(asking_organisations(user))


def can_answer(user: Visitor, opportunity: Opportunity) -> bool:
    """Answer, publish, edit the published wording and close: the opportunity's managers."""
    return procurement_access.can_manage_opportunity(user, opportunity)


def can_see_asker(user: Visitor, opportunity: Opportunity) -> bool:
    """Only approved commissioners of the opportunity's commissioning body (PRO-4: questions
    are published anonymised)."""
    return is_commissioner_of(user, opportunity.exercise.commissioning_body_id)
