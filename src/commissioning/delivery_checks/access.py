"""Who may rate a prime against the code of conduct (SUP-3; ADR 0007), on the building blocks of
:mod:`commissioning.permissions`. Who sees the evidence is the contract's rule
(:func:`commissioning.contracts.access.can_see_code_of_conduct`); the published ratings are
public."""

from __future__ import annotations

from commissioning import permissions
from commissioning.contracts.models import Contract


def can_rate_code_of_conduct(user: permissions.Visitor, contract: Contract) -> bool:
    """The independent reviewer, and no party to the contract: neither the commissioners who
    let it nor the prime it judges."""
    return permissions.is_independent_reviewer(user)
