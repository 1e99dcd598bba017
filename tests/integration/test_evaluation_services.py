"""Independent evaluation, then moderation (EVA-5): assignments, conflict declarations before any
bid content, scoring alone, locked submissions, divergence with real numbers, audited moderation;
and proportionate selection questions by lot value (EVA-6)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.evaluation import services
from commissioning.evaluation.models import EvaluatorScore, ModeratedScore, SelectionResult
from tests.evaluation_factories import Evaluation, evaluation_setup
from tests.factories import UserFactory
from tests.procurement_factories import commissioner_of, open_opportunity

pytestmark = pytest.mark.django_db
WHY = "The model is coherent and evidenced against every must-have."


@pytest.fixture
def ev() -> Evaluation:
    return evaluation_setup()


def _assign_both(ev: Evaluation) -> None:
    for evaluator in ev.evaluators:
        services.assign_evaluator(ev.commissioner, ev.quality, evaluator)
        services.assign_evaluator(ev.commissioner, ev.social_value, evaluator)


def _declare_none(ev: Evaluation, evaluator: User) -> None:
    services.declare_conflicts(
        evaluator, ev.opportunity, {org.pk: (False, "") for org in ev.bidders}
    )


def _score_all(ev: Evaluation, evaluator: User, quality: list[int], social: list[int]) -> None:
    for criterion, values in ((ev.quality, quality), (ev.social_value, social)):
        assignment = criterion.evaluator_assignments.get(evaluator=evaluator)
        for bid, value in zip(ev.bids, values, strict=True):
            services.save_score(evaluator, assignment, bid, value, WHY)
        services.submit_scores(evaluator, assignment)


def test_only_the_bodys_commissioner_assigns_and_price_is_not_assigned(ev: Evaluation) -> None:
    other = commissioner_of(open_opportunity())
    provider = ev.bidder_users[0]
    for outsider in (other, provider, ev.evaluators[0]):
        with pytest.raises(PermissionDenied):
            services.assign_evaluator(outsider, ev.quality, ev.evaluators[0])
    price = ev.opportunity.criteria.get(kind="price")
    with pytest.raises(ValidationError, match="Price is scored by formula"):
        services.assign_evaluator(ev.commissioner, price, ev.evaluators[0])
    with pytest.raises(ValidationError, match="evaluator or commissioner role"):
        services.assign_evaluator(ev.commissioner, ev.quality, provider)
    services.assign_evaluator(ev.commissioner, ev.quality, ev.evaluators[0])
    assert AuditEvent.objects.filter(action="evaluation.assign").count() == 1


def test_no_bid_content_before_declaring_on_every_bidder(ev: Evaluation) -> None:
    _assign_both(ev)
    evaluator = ev.evaluators[0]
    assert services.evaluator_bids(evaluator, ev.opportunity) == []
    with pytest.raises(PermissionDenied, match="Declare your interests"):
        services.read_bid_as_evaluator(evaluator, ev.bids[0])
    with pytest.raises(ValidationError) as refused:
        services.declare_conflicts(evaluator, ev.opportunity, {ev.bidders[0].pk: (False, "")})
    assert f"org-{ev.bidders[1].pk}" in refused.value.message_dict
    assert not evaluator.conflict_declarations.exists()  # nothing half-saved
    _declare_none(ev, evaluator)
    view = services.read_bid_as_evaluator(evaluator, ev.bids[0])
    assert view.content.price == Decimal("250000")
    # An evaluator not assigned, a bidder and another body's commissioner read nothing.
    for outsider in (UserFactory(role=User.Role.EVALUATOR), ev.bidder_users[1]):
        with pytest.raises(PermissionDenied):
            services.read_bid_as_evaluator(outsider, ev.bids[0])


def test_a_declared_conflict_removes_the_bid_from_that_evaluator(ev: Evaluation) -> None:
    _assign_both(ev)
    evaluator = ev.evaluators[0]
    with pytest.raises(ValidationError) as refused:
        services.declare_conflicts(
            evaluator, ev.opportunity, {ev.bidders[0].pk: (True, ""), ev.bidders[1].pk: (False, "")}
        )
    assert f"org-{ev.bidders[0].pk}-details" in refused.value.message_dict
    services.declare_conflicts(
        evaluator,
        ev.opportunity,
        {ev.bidders[0].pk: (True, "I was a trustee until 2025."), ev.bidders[1].pk: (False, "")},
    )
    assert services.evaluator_bids(evaluator, ev.opportunity) == [ev.bids[1]]
    with pytest.raises(PermissionDenied, match="conflict"):
        services.read_bid_as_evaluator(evaluator, ev.bids[0])
    assignment = ev.quality.evaluator_assignments.get(evaluator=evaluator)
    with pytest.raises(PermissionDenied):
        services.save_score(evaluator, assignment, ev.bids[0], 75, WHY)
    event = AuditEvent.objects.get(action="evaluation.declare")
    assert "trustee" in str(event.changes)


def test_bad_scores_give_errors_and_nothing_is_saved(ev: Evaluation) -> None:
    _assign_both(ev)
    evaluator = ev.evaluators[0]
    _declare_none(ev, evaluator)
    assignment = ev.quality.evaluator_assignments.get(evaluator=evaluator)
    with pytest.raises(ValidationError) as refused:
        services.save_score(evaluator, assignment, ev.bids[0], 60, "")
    assert set(refused.value.message_dict) == {"score", "justification"}
    assert not EvaluatorScore.objects.exists()
    with pytest.raises(ValidationError, match="Score every bid"):
        services.save_score(evaluator, assignment, ev.bids[0], 75, WHY)
        services.submit_scores(evaluator, assignment)
    assert services.visible_scores(evaluator, ev.quality).count() == 1


def test_scores_alone_then_locked_then_others_visible(ev: Evaluation) -> None:
    _assign_both(ev)
    first, second = ev.evaluators
    _declare_none(ev, first)
    _declare_none(ev, second)
    _score_all(ev, first, [75, 50], [50, 50])
    a2 = ev.quality.evaluator_assignments.get(evaluator=second)
    services.save_score(second, a2, ev.bids[0], 25, WHY)
    # The second evaluator, not yet submitted, sees only their own score.
    seen = services.visible_scores(second, ev.quality)
    assert [s.assignment.evaluator for s in seen] == [second]
    # The first, submitted, sees both; and cannot change theirs.
    assert services.visible_scores(first, ev.quality).count() == 3
    a1 = ev.quality.evaluator_assignments.get(evaluator=first)
    with pytest.raises(ValidationError, match="locked"):
        services.save_score(first, a1, ev.bids[0], 100, WHY)
    assert EvaluatorScore.objects.get(assignment=a1, bid=ev.bids[0]).score == 75
    # No divergence until everyone has submitted.
    assert services.divergence_report(ev.opportunity) is None


def test_divergence_then_moderation_recorded_and_audited(ev: Evaluation) -> None:
    _assign_both(ev)
    first, second = ev.evaluators
    for evaluator in ev.evaluators:
        _declare_none(ev, evaluator)
    _score_all(ev, first, [75, 50], [50, 50])
    _score_all(ev, second, [25, 75], [75, 50])
    report = services.divergence_report(ev.opportunity)
    assert report is not None
    # Quality on bid 1: 75 vs 25 is two bands apart; bid 2 50 vs 75 and social value are not.
    assert [(f.bid_id, f.criterion_id, f.band_spread) for f in report.flags] == [
        (str(ev.bids[0].pk), str(ev.quality.pk), 2)
    ]
    assert report.compared == 4
    rows = services.moderation_rows(ev.opportunity)
    assert [r.diverges for r in rows] == [True, False, False, False]

    assert not services.moderation_complete(ev.opportunity)
    with pytest.raises(PermissionDenied):
        services.moderate(first, ev.bids[0], ev.quality, 50, "Agreed at the meeting on evidence.")
    with pytest.raises(ValidationError) as refused:
        services.moderate(ev.commissioner, ev.bids[0], ev.quality, 40, "short")
    assert set(refused.value.message_dict) == {"score", "rationale"}
    assert not ModeratedScore.objects.exists()

    agreed = {
        (ev.bids[0], ev.quality): 50,
        (ev.bids[1], ev.quality): 75,
        (ev.bids[0], ev.social_value): 50,
        (ev.bids[1], ev.social_value): 50,
    }
    for (bid, criterion), value in agreed.items():
        services.moderate(
            ev.commissioner, bid, criterion, value, "Agreed at the moderation meeting on evidence."
        )
    services.moderate(
        ev.commissioner, ev.bids[0], ev.quality, 75, "Revised: the pathway evidence is strong."
    )
    assert services.moderation_complete(ev.opportunity)
    assert services.moderated_scores(ev.opportunity) == {
        (ev.bids[0].pk, ev.quality.pk): Decimal(75),
        (ev.bids[1].pk, ev.quality.pk): Decimal(75),
        (ev.bids[0].pk, ev.social_value.pk): Decimal(50),
        (ev.bids[1].pk, ev.social_value.pk): Decimal(50),
    }
    last = AuditEvent.objects.filter(action="evaluation.moderate").order_by("-pk").first()
    assert last is not None and last.changes["score"] == {"from": 50, "to": 75}
    assert AuditEvent.objects.filter(action="evaluation.score").count() == 8
    assert AuditEvent.objects.filter(action="evaluation.submit").count() == 4


def test_selection_questions_scale_with_lot_value(ev: Evaluation) -> None:
    lots = services.selection_for_opportunity(ev.opportunity)
    lot, requirement = lots[0]
    assert lot.estimated_annual_value == Decimal("300000.00")
    assert requirement.question_ids == (
        "basic-information",
        "declarations",
        "insurance",
        "financial-standing",
    )
    services.record_selection(ev.commissioner, ev.bids[0], "insurance", True)
    with pytest.raises(ValidationError):
        services.record_selection(ev.commissioner, ev.bids[0], "carbon-reduction-plan", True)
    with pytest.raises(PermissionDenied):
        services.record_selection(ev.evaluators[0], ev.bids[0], "insurance", True)


def test_selection_is_recorded_only_for_submitted_bids_once_opened() -> None:
    sealed = evaluation_setup(open_bids=False)
    with pytest.raises(ValidationError, match="once they are opened"):
        services.record_selection(sealed.commissioner, sealed.bids[0], "insurance", True)
    assert not SelectionResult.objects.exists()
