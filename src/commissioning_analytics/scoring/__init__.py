"""Bid scoring for evaluation and award (issue 4: EVA-1 … EVA-5, PRO-9), framework-free.

* :mod:`.criteria` — criteria, scales, weights and their validation (EVA-1, EVA-2).
* :mod:`.library` — ready-made criteria with guidance (EVA-2, EVA-3).
* :mod:`.price` — level-playing-field adjustment and price scoring methods (EVA-4).
* :mod:`.totals` — totals, threshold disqualification and ranking (PRO-9).
* :mod:`.sensitivity` — does the winner change as the weights move? (PRO-9).
* :mod:`.divergence` — where independent evaluators disagree by more than a band (EVA-5).

See docs/scoring.md for the formulas.
"""
