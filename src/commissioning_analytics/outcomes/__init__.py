"""Outcomes engine: Justice-Data-Lab-style impact measurement with a matched comparison group
(OUT-1, OUT-2, OUT-4, PBR-2, EQU-2). Framework-free: numpy, scipy and pandas only.

One module per method: :mod:`.propensity` (logistic regression), :mod:`.matching`
(nearest-neighbour matching on the logit of the score), :mod:`.balance` (standardised mean
differences), :mod:`.effects` (effect, confidence interval, p-value), :mod:`.statement`
(plain-English statement), :mod:`.survival` (Kaplan–Meier, log-rank), :mod:`.cox` (Cox
proportional hazards), :mod:`.time_to_event` (both on the matched sample), :mod:`.overlap`
(score histogram), :mod:`.numbers` (JSON-safe numbers),
:mod:`.subgroups` (results by area or protected characteristic), :mod:`.safeguards`
(small-number rules), :mod:`.measures` (proven-reoffending
measures), :mod:`.io` (CSV reading and validation), :mod:`.evaluation` (the whole
pipeline) and :mod:`.report` (CLI output).
"""
