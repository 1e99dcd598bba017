"""Evaluation helpers for issue 4, framework-free (no Django).

* :mod:`.selection` — proportionate pass/fail selection questions by lot value (EVA-6).
* :mod:`.supply_chain` — supply-chain diversity evidence and the bid-time "bid candy"
  indicator (EVA-3, PRO-7, SUP-2).
* :mod:`.feedback` — per-bidder feedback against the winner (PRO-9).

See docs/evaluation-evidence.md for the policy table and formulas.
"""
