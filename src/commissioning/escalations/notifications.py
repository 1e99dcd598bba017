"""Notices about escalations (REF-2), in-app and by email after commit. They never carry what
happened (an email leaves the platform): only the reference, category, urgency and a link."""

from __future__ import annotations

from commissioning.escalations import access
from commissioning.escalations.models import Escalation
from commissioning.notifications.services import notify


def raised(escalation: Escalation) -> int:
    """Tell the probation practitioners serving the contract a provider has raised an
    escalation."""
    contract = escalation.contract
    return notify(
        access.practitioners_serving(contract),
        subject=f"{escalation.get_urgency_display()} escalation {escalation.reference} from "
        f"{escalation.organisation.name}",
        body=f"{escalation.organisation.name} has raised an escalation under {contract.reference} "
        f"({escalation.get_category_display().lower()}). Open it to read what happened, then "
        "acknowledge it and respond.",
        url=escalation.get_absolute_url(),
        kind="escalation.raised",
    )


def responded(escalation: Escalation) -> int:
    """Tell the person who raised it that probation has responded."""
    return notify(
        [escalation.raised_by],
        subject=f"Probation has responded to escalation {escalation.reference}",
        body=f"{access.probation_names(escalation.contract)} has responded to the escalation you "
        "raised. Open it to read the response.",
        url=escalation.get_absolute_url(),
        kind="escalation.responded",
    )
