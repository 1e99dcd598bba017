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


def can_see_model_subcontract(
    user: permissions.Visitor, contract: Contract, organisation_id: int | None
) -> bool:
    """A sub-contractor's model sub-contract (SUP-3): the two parties who sign it (the prime's
    and that sub-contractor's approved members) and the contract's commissioners. The figures
    are on the public contract pages, but the open data publishes no sub-contractor's terms
    and the document is the parties' draft agreement, so nobody else, site administrators
    included, sees it."""
    return (
        permissions.is_commissioner_of(user, contract.commissioning_body_id)
        or permissions.is_approved_member(user, contract.prime_id)
        or (organisation_id is not None and permissions.is_approved_member(user, organisation_id))
    )


def can_see_code_of_conduct(user: permissions.Visitor, contract: Contract) -> bool:
    """The evidence of how the prime treats its supply chain (SUP-3) puts each sub-contractor's
    payment times and disputes side by side: it is for the people who see every invoice under
    the contract — its commissioners and the prime's approved members — and for the independent
    reviewer, who rates the prime on it; the reviewer's published rating is public, the evidence
    is not."""
    return (
        permissions.is_commissioner_of(user, contract.commissioning_body_id)
        or permissions.is_approved_member(user, contract.prime_id)
        or permissions.is_independent_reviewer(user)
    )
