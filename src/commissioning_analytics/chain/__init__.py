"""Money and risk down the supply chain (PBR-4, PBR-6, SUP-3) and creaming and parking
detection (PBR-3). Framework-free: no Django. Documented in ``docs/chain-risk.md``.
"""

from commissioning_analytics.chain.creaming import (
    CreamingResult,
    Referral,
    TrendTest,
    cochran_armitage,
    detect_creaming,
    wilson_interval,
)
from commissioning_analytics.chain.inputs import Assumptions, OrgFinances, Policy
from commissioning_analytics.chain.risk import ChainRisk, Flag, RiskRow, chain_risk

__all__ = [
    "Assumptions",
    "ChainRisk",
    "CreamingResult",
    "Flag",
    "OrgFinances",
    "Policy",
    "Referral",
    "RiskRow",
    "TrendTest",
    "chain_risk",
    "cochran_armitage",
    "detect_creaming",
    "wilson_interval",
]
