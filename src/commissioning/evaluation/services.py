"""Evaluation services (EVA-5, EVA-6), one import for views and other apps.

* :mod:`.panel` — evaluators per criterion, advisers, conflict declarations, reading bids;
* :mod:`.scoring` — each evaluator's scores, drafts and submission;
* :mod:`.moderation` — divergence, moderated scores and what award needs from them;
* :mod:`.selection` — the proportionate pass/fail selection questions per lot.
"""

from commissioning.evaluation.moderation import (
    all_scores_submitted,
    divergence_report,
    moderate,
    moderated_scores,
    moderation_complete,
    moderation_rows,
)
from commissioning.evaluation.panel import (
    PanelView,
    add_adviser,
    advisers,
    assign_evaluator,
    assignments,
    bidders,
    bids_opened,
    conflicted_organisation_ids,
    declarations,
    declarations_complete,
    declare_conflicts,
    eligible_evaluators,
    evaluated_bids,
    evaluator_bids,
    judged_criteria,
    opportunities_to_evaluate,
    read_bid_as_evaluator,
    remove_adviser,
    unassign_evaluator,
)
from commissioning.evaluation.scales import scale_for
from commissioning.evaluation.scoring import (
    save_score,
    scores_beside,
    submit_scores,
    visible_scores,
)
from commissioning.evaluation.selection import record_selection, selection_for_opportunity

__all__ = [
    "PanelView",
    "add_adviser",
    "advisers",
    "all_scores_submitted",
    "assign_evaluator",
    "assignments",
    "bidders",
    "bids_opened",
    "conflicted_organisation_ids",
    "declarations",
    "declarations_complete",
    "declare_conflicts",
    "divergence_report",
    "eligible_evaluators",
    "evaluated_bids",
    "evaluator_bids",
    "judged_criteria",
    "moderate",
    "moderated_scores",
    "moderation_complete",
    "moderation_rows",
    "opportunities_to_evaluate",
    "read_bid_as_evaluator",
    "record_selection",
    "remove_adviser",
    "save_score",
    "scale_for",
    "scores_beside",
    "selection_for_opportunity",
    "submit_scores",
    "unassign_evaluator",
    "visible_scores",
]
