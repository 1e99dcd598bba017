"""Core supplier information for tests (LAW-5): a complete record a small charity would give,
and an administrator of an organisation to record it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from commissioning.accounts.models import Membership, User
from commissioning.directory.models import Organisation
from commissioning.supplier_information import grounds, services
from commissioning.supplier_information.models import SupplierInformationVersion
from tests.factories import member_of

NO_GROUNDS = {ground.key: services.Declaration(applies=False) for ground in grounds.ALL}


def charity_information(**changes: Any) -> services.CoreInformation:
    """Northshire Resettlement Trust's record: a CIO with a charity number and one trustee."""
    information = services.CoreInformation(
        legal_name="Northshire Resettlement Trust",
        legal_form="cio",
        charity_number="1187654",
        registered_address="12 Mill Lane\nNorthtown\nNT1 2AB",
        accounts_year_end=date(2026, 3, 31),
        turnover=Decimal("412500.00"),
        reserves=Decimal("61250.50"),
        connected_persons=(
            services.ConnectedPerson("Alex Moreno", "Chair of trustees", "Votes on the board"),
        ),
        declarations=dict(NO_GROUNDS),
    )
    return replace(information, **changes)


def admin_of(organisation: Organisation, **kwargs: Any) -> User:
    """An approved provider member who administers ``organisation``."""
    user = member_of(organisation, **kwargs)
    Membership.objects.filter(user=user, organisation=organisation).update(is_org_admin=True)
    return user


def recorded(
    organisation: Organisation, user: User | None = None, **changes: Any
) -> SupplierInformationVersion:
    return services.save_version(
        user or admin_of(organisation), organisation, charity_information(**changes)
    )
