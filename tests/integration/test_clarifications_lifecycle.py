"""The clarification question's lifecycle module (PRO-3, PRO-4; issue 12): every move leaves
"awaiting", each is audited under the table's action, and nothing else writes the status."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from commissioning.audit.models import AuditEvent
from commissioning.clarifications import lifecycle, services
from commissioning.clarifications.models import Question
from commissioning_analytics.timelines.working_days import LONDON
from tests.factories import OrganisationFactory, member_of
from tests.procurement_factories import commissioner_of, open_opportunity

pytestmark = pytest.mark.django_db

Status = Question.Status
ASKED = datetime(2027, 3, 15, 10, 0, tzinfo=LONDON)


def test_every_move_leaves_awaiting_and_every_other_state_is_final() -> None:
    assert {source for source, _ in lifecycle.TRANSITIONS} == {Status.AWAITING}
    assert {target for _, target in lifecycle.TRANSITIONS} == {
        Status.ANSWERED,
        Status.WITHDRAWN,
        Status.DUPLICATE,
    }
    assert lifecycle.CLOSING == (Status.WITHDRAWN, Status.DUPLICATE)


@time_machine.travel(ASKED, tick=False)
def test_moves_are_audited_under_the_tables_action_and_a_second_move_is_refused() -> None:
    opportunity = open_opportunity(published_at=datetime(2027, 3, 1, 9, 0, tzinfo=LONDON))
    commissioner = commissioner_of(opportunity)
    asker = member_of(OrganisationFactory())
    answered = services.ask_question(asker, opportunity, text="Q?")
    closed = services.ask_question(asker, opportunity, text="Gone?")
    services.publish_answer(commissioner, answered, answer="A.", text="Q?")
    services.close_question(
        commissioner, closed, outcome="duplicate", reason="Asked twice.", duplicate_of=answered
    )
    actions = list(
        AuditEvent.objects.filter(action__startswith="clarification.")
        .values_list("action", flat=True)
        .order_by("pk")
    )
    assert actions[-2:] == ["clarification.answer", "clarification.close"]
    answered.refresh_from_db()
    closed.refresh_from_db()
    assert (answered.status, closed.status) == (Status.ANSWERED, Status.DUPLICATE)
    with pytest.raises(ValidationError) as info:
        lifecycle.move(closed, Status.ANSWERED, field="answer", answer="Late.")
    assert info.value.message_dict == {"answer": ["This question is already duplicate"]}
    closed.refresh_from_db()
    assert closed.answer == ""
