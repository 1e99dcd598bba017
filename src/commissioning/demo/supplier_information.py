"""The demo charity's core supplier information (LAW-5): one synthetic version, recorded by its
administrator (the demo user ``provider``), so its bids and share codes have something to show.
Everything in it is made up and says so."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from commissioning.accounts.models import User
from commissioning.demo.users import demo_organisations
from commissioning.supplier_information import grounds, services


def load_demo_supplier_information() -> int:
    """Record the demo charity's first version (none if it has one); how many were recorded."""
    charity = demo_organisations()["charity"]
    administrator = User.objects.filter(username="provider").first()
    if administrator is None or services.current_version(charity) is not None:
        return 0
    income = charity.annual_income or Decimal("250000")
    months = charity.reserves_months or Decimal("3")
    reserves = (income * months / 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    services.save_version(
        administrator,
        charity,
        services.CoreInformation(
            legal_name=charity.name,
            legal_form="cio",
            charity_number=charity.charity_number or "1999999",
            registered_address="Synthetic demo address: 1 Example Street, Newcastle NE1 1AA",
            accounts_year_end=date(2026, 3, 31),
            turnover=income,
            reserves=reserves,
            connected_persons=(
                services.ConnectedPerson(
                    "Sam Example (synthetic)", "Chair of trustees", "Votes on the board"
                ),
                services.ConnectedPerson(
                    "Jo Example (synthetic)", "Treasurer and trustee", "Votes on the board"
                ),
            ),
            declarations={
                ground.key: services.Declaration(applies=False) for ground in grounds.ALL
            },
        ),
    )
    return 1
