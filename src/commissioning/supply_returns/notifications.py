"""Who hears about a supply-chain return (SUP-1): each sub-contractor's members when the prime
submits it (their line awaits their confirmation); the prime's members and the contract's
commissioners when a sub-contractor disputes its line. In-app, each also emailed after commit."""

from __future__ import annotations

from commissioning.accounts.models import User
from commissioning.notifications.services import notify
from commissioning.permissions import approved_members
from commissioning.supply_returns.models import ReturnLine, SupplyReturn
from commissioning.supply_returns.quarters import label_of

KIND = "supply_return"


def submitted(supply_return: SupplyReturn, lines: list[ReturnLine]) -> int:
    contract = supply_return.contract
    quarter = label_of(supply_return.quarter_start)
    sent = 0
    for line in lines:
        sent += notify(
            approved_members([line.organisation_id]),
            subject=f"Confirm your supply-chain return line for {contract.reference}",
            body=f"{contract.prime.name} submitted the supply-chain return for {quarter} under "
            f"{contract.reference}. Your line shows {line.referrals_received} referrals received, "
            f"{line.referrals_started} started, {line.referrals_completed} completed and "
            f"£{line.amount_paid:,} paid to you. Confirm it or dispute it with your reason.",
            url=supply_return.get_absolute_url(),
            kind=KIND,
        )
    return sent


def disputed(line: ReturnLine) -> int:
    supply_return = line.supply_return
    contract = supply_return.contract
    body_members = approved_members([contract.commissioning_body_id]).filter(
        role=User.Role.COMMISSIONER
    )
    recipients = [*approved_members([contract.prime_id]), *body_members]
    return notify(
        recipients,
        subject=f"{line.organisation.name} disputes its supply-chain return line",
        body=f"{line.organisation.name} disputes its line of the supply-chain return for "
        f"{label_of(supply_return.quarter_start)} under {contract.reference}: "
        f"{line.dispute_reason}",
        url=supply_return.get_absolute_url(),
        kind=KIND,
    )
