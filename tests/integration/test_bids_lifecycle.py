"""The bid's lifecycle module (PRO-7, PRO-8; issue 12): its transition table, the one writer of
``Bid.status``, and the one answer to "can this bid still be changed?"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from commissioning.bids import lifecycle, services, submission
from commissioning.bids.models import Bid
from tests.integration.test_bids_services import START, bidding_setup, complete_bid

pytestmark = pytest.mark.django_db

Status = Bid.Status


def test_the_table_allows_submit_withdraw_and_resubmit_only() -> None:
    assert set(lifecycle.TRANSITIONS) == {
        (Status.DRAFT, Status.SUBMITTED),
        (Status.SUBMITTED, Status.WITHDRAWN),
        (Status.WITHDRAWN, Status.SUBMITTED),
    }
    assert lifecycle.TRANSITIONS[(Status.DRAFT, Status.SUBMITTED)].action == "bid.submit"
    assert lifecycle.TRANSITIONS[(Status.SUBMITTED, Status.WITHDRAWN)].action == "bid.withdraw"
    assert not lifecycle.can_move(Status.DRAFT, Status.WITHDRAWN)
    assert not lifecycle.can_move(Status.SUBMITTED, Status.DRAFT)


def test_a_move_off_the_table_is_refused_and_nothing_is_written(clock: Any) -> None:
    s = bidding_setup()
    bid = services.start_bid(s.prime, s.lot, s.prime_org)
    with pytest.raises(ValidationError, match="draft cannot become withdrawn"):
        lifecycle.move(bid, Status.WITHDRAWN, START)
    bid.refresh_from_db()
    assert bid.status == Status.DRAFT
    assert bid.withdrawn_at is None


def test_editable_until_submitted_or_the_deadline_passes(clock: Any) -> None:
    s = bidding_setup()
    bid = complete_bid(s)
    assert lifecycle.edit_refusal(bid) is None
    assert lifecycle.is_editable(bid)
    submission.submit(s.prime, bid)
    assert bid.status == Status.SUBMITTED
    assert lifecycle.edit_refusal(bid) == lifecycle.SUBMITTED_REFUSAL
    submission.withdraw(s.prime, bid)
    assert bid.status == Status.WITHDRAWN
    assert lifecycle.is_editable(bid)
    late = s.deadline + timedelta(seconds=1)
    assert lifecycle.edit_refusal(bid, late) == lifecycle.DEADLINE_REFUSAL
    with pytest.raises(ValidationError, match="deadline has passed"):
        services.check_editable(s.prime, bid, late)


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(START + timedelta(days=1), tick=False) as traveller:
        yield traveller
