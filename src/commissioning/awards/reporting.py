"""A lot's results as the commissioners see them (PRO-9): live from the moderated scores and the
level-playing-field prices until the award is decided, then from the frozen snapshot the
decision was made on (ADR 0008), so the page never disagrees with the decision."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied

from commissioning.accounts.models import User
from commissioning.awards.access import can_manage_award
from commissioning.awards.models import LotAward
from commissioning.awards.results import EvaluationInputs, ResultsNotReady, lot_bids, lot_inputs
from commissioning.bids.keys import BidsSealed
from commissioning.procurement.models import Lot
from commissioning_analytics.scoring.errors import ScoringError
from commissioning_analytics.scoring.sensitivity import SensitivityResult
from commissioning_analytics.scoring.totals import BidOutcome, Evaluation


@dataclass(frozen=True)
class LotResults:
    """Totals, ranking and sensitivity of one lot, or the reasons they cannot be shown yet."""

    lot: Lot
    inputs: EvaluationInputs | None = None
    evaluation: Evaluation | None = None
    price_sensitivity: SensitivityResult | None = None
    social_value_sensitivity: SensitivityResult | None = None
    not_ready: tuple[str, ...] = ()
    award: LotAward | None = None
    has_bids: bool = True
    problems: tuple[str, ...] = field(default=())

    @property
    def ready(self) -> bool:
        return self.evaluation is not None

    @property
    def frozen(self) -> bool:
        """Shown from the decision's snapshot rather than live."""
        return self.award is not None and bool(self.award.results)

    @property
    def winner(self) -> BidOutcome | None:
        return self.evaluation.winner if self.evaluation else None

    @property
    def winner_name(self) -> str:
        winner = self.winner
        return self.inputs.bidder(winner.bid_id) if winner and self.inputs else ""


def existing_award(lot: Lot) -> LotAward | None:
    return LotAward.objects.filter(lot=lot).select_related("winning_bid", "contract").first()


def results_for(inputs: EvaluationInputs, lot: Lot, award: LotAward | None) -> LotResults:
    """Evaluate ``inputs`` with the core and both sensitivity sweeps (a sweep the core cannot
    run, e.g. social value with no other quality criterion, is left out with the reason)."""
    try:
        evaluation = inputs.evaluate()
    except ScoringError as error:
        return LotResults(lot, inputs, not_ready=(str(error),), award=award)
    problems: list[str] = []
    sweeps: list[SensitivityResult | None] = []
    for sweep in (inputs.price_sensitivity, inputs.social_value_sensitivity):
        try:
            sweeps.append(sweep())
        except ScoringError as error:
            sweeps.append(None)
            problems.append(str(error))
    return LotResults(
        lot,
        inputs,
        evaluation,
        sweeps[0],
        sweeps[1],
        award=award,
        problems=tuple(problems),
    )


def lot_results(actor: User, lot: Lot) -> LotResults:
    """The lot's results for the body's commissioners (``PermissionDenied`` for anyone else):
    from the award's snapshot once decided; otherwise live, or the reasons they are not ready
    (bids not opened, missing moderated scores or prices, criteria that do not validate)."""
    if not can_manage_award(actor, lot.opportunity):
        raise PermissionDenied("Only the commissioning body's commissioners see the results.")
    award = existing_award(lot)
    if award is not None and award.results:
        return results_for(EvaluationInputs.from_json(award.results), lot, award)
    if not lot_bids(lot):
        return LotResults(
            lot,
            not_ready=(f"No submitted bids for lot {lot.number}.",),
            award=award,
            has_bids=False,
        )
    try:
        inputs = lot_inputs(actor, lot)
    except ResultsNotReady as error:
        return LotResults(lot, not_ready=tuple(error.reasons), award=award)
    except BidsSealed as error:
        return LotResults(lot, not_ready=(str(error),), award=award)
    except ScoringError as error:
        return LotResults(lot, not_ready=(f"The criteria do not validate: {error}",), award=award)
    return results_for(inputs, lot, award)
