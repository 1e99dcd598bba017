"""Award services (PRO-9, EVA-4), one import for views and other apps.

* :mod:`.adjustments` — the hidden-subsidy adjustment of public-sector prices (EVA-4);
* :mod:`.reporting` — a lot's totals, ranking and weight sensitivity (live, or as decided);
* :mod:`.decision` — the award decision, its notifications and the standstill;
* :mod:`.contract_creation` — the contract from the winning bid after the standstill.
"""

from commissioning.awards.adjustments import MIN_ADJUSTMENT_REASON, record_price_adjustment
from commissioning.awards.contract_creation import (
    contract_end,
    contract_reference,
    create_contract,
    mechanism_document,
)
from commissioning.awards.decision import (
    MIN_REASONS,
    decide_award,
    feedback_url,
    standstill_end,
    standstill_last_day,
)
from commissioning.awards.reporting import LotResults, existing_award, lot_results

__all__ = [
    "MIN_ADJUSTMENT_REASON",
    "MIN_REASONS",
    "LotResults",
    "contract_end",
    "contract_reference",
    "create_contract",
    "decide_award",
    "existing_award",
    "feedback_url",
    "lot_results",
    "mechanism_document",
    "record_price_adjustment",
    "standstill_end",
    "standstill_last_day",
]
