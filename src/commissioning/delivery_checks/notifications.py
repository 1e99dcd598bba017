"""Notices of a bid-candy flag (SUP-2): the sub-contractor's approved members and the
contract's commissioners are told once, when the flag first appears."""

from __future__ import annotations

from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.contracts.models import Contract, ContractParty
from commissioning.notifications.services import notify
from commissioning.permissions import approved_members


def flag_raised(contract: Contract, party: ContractParty, name: str, words: dict[str, str]) -> int:
    subcontractor = list(approved_members([party.organisation_id])) if party.organisation_id else []
    commissioners = approved_members([contract.commissioning_body_id]).filter(
        role=User.Role.COMMISSIONER
    )
    recipients = {user.pk: user for user in [*subcontractor, *commissioners]}
    return notify(
        recipients.values(),
        subject=f"{name} received less than it was promised under {contract.reference}",
        body=f"{words['measure']}, {words['window']}: {words['explanation']} The flag is "
        "public on the contract's page.",
        url=reverse("delivery_checks:contract", args=[contract.reference]),
        kind="delivery.bid_candy",
    )
