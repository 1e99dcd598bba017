"""Who may do what with a contract's social value commitments (EVA-3, LAW-1; ADR 0007), on the
building blocks of :mod:`commissioning.permissions`.

* The contract's commissioners record the commitments and accept or query each quarter's figure.
* The prime's approved members report what was delivered each quarter; a sub-contractor does not:
  the promise is the prime's.
* Everyone sees the pledged-against-delivered figures (contracts are public, SUP-1); the prime's
  notes and the commissioners' questions are for those two alone.
"""

from __future__ import annotations

from commissioning import permissions
from commissioning.contracts.models import Contract


def can_manage(user: permissions.Visitor, contract: Contract) -> bool:
    return permissions.is_commissioner_of(user, contract.commissioning_body_id)


def can_report(user: permissions.Visitor, contract: Contract) -> bool:
    return permissions.is_approved_member(user, contract.prime_id)


def sees_notes(user: permissions.Visitor, contract: Contract) -> bool:
    return can_manage(user, contract) or can_report(user, contract)
