"""Who may do what with awards (PRO-9, EVA-4): the awards app's own rules, beside its models and
written on the evaluation rules and the building blocks of :mod:`commissioning.permissions`
(ADR 0007: each later app keeps its rules in its ``access.py``; only a rule two apps need moves
to ``permissions.py``).

The results, the price adjustments, the award decision and the contract are the business of the
commissioners of the opportunity's commissioning body: the same people who open the bids and
moderate (they hold the released bid key). Site administrators get no exception: the sealed
prices stay with the panel.
"""

from __future__ import annotations

from typing import Any

from commissioning.evaluation import access as evaluation_access
from commissioning.permissions import Visitor


def can_manage_award(user: Visitor, opportunity: Any) -> bool:
    """See the results, adjust public-sector prices, decide the award, create the contract."""
    return evaluation_access.can_manage_evaluation(user, opportunity)
