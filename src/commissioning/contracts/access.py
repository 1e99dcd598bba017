"""Who may do what with a contract (ADR 0007), on the building blocks of
:mod:`commissioning.permissions`. Contracts are public (SUP-1): everyone reads them."""

from __future__ import annotations

from commissioning import permissions
from commissioning.contracts.models import Contract


def can_end_contract(user: permissions.Visitor, contract: Contract) -> bool:
    """The commissioners of the contract's commissioning body (or a site administrator) record
    that it ended or was terminated early: the same people who edit its documents."""
    return permissions.can_edit_contract(user, contract)


def can_manage_performance(user: permissions.Visitor, contract: Contract) -> bool:
    """The contract's commissioners (or a site administrator) set its KPIs, record assessments,
    performance failures and changes (LAW-4): the people answerable for the contract."""
    return permissions.can_edit_contract(user, contract)
