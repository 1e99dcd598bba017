"""Every bid reuses the bidder's core supplier information (LAW-5, issue 18): the bid page shows
the version current now with a link to update it; submission records the version current at that
moment; the commissioner opening the bid reads that version, not one saved later."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from commissioning.audit.models import AuditEvent
from commissioning.bids import submission
from commissioning.supplier_information import services as supplier_information
from tests.factories import client_for
from tests.integration.test_bids_services import START, Setting, bidding_setup, complete_bid
from tests.supplier_information_factories import admin_of, recorded

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(START + timedelta(days=1), tick=False) as traveller:
        yield traveller


@pytest.fixture
def s() -> Setting:
    return bidding_setup()


def test_the_bid_records_the_version_at_submission_and_the_commissioner_reads_it(
    s: Setting, clock: Any
) -> None:
    treasurer = admin_of(s.prime_org)
    first = recorded(s.prime_org, treasurer, turnover=Decimal("412500"))
    bid = complete_bid(s)
    bid_page = reverse("bids:bid", args=[bid.pk])
    html = client_for(s.prime).get(bid_page).content.decode()
    assert "Your core supplier information (version 1, dated" in html
    assert "£412,500.00" in html  # prefilled: nothing to enter again
    assert reverse("supplier_information:overview", args=[s.prime_org.slug]) in html

    clock.shift(timedelta(hours=1))
    second = recorded(s.prime_org, treasurer, turnover=Decimal("455000"))
    confirm = client_for(s.prime).get(reverse("bids:submit", args=[bid.pk])).content.decode()
    assert "Your core supplier information goes with it: version 2, dated" in confirm
    submission.submit(s.prime, bid)
    bid.refresh_from_db()
    assert bid.supplier_information == second
    event = AuditEvent.objects.get(action="bid.submit")
    assert event.changes["supplier_information_version"] == 2
    api = client_for(s.prime).get(f"/api/bids/{bid.pk}").json()
    assert api["supplier_information_version"] == 2

    # The organisation updates its record after bidding: the bid keeps version 2.
    clock.shift(timedelta(hours=1))
    third = recorded(s.prime_org, treasurer, turnover=Decimal("999999"))
    assert supplier_information.current_version(s.prime_org) == third
    bid.refresh_from_db()
    assert bid.supplier_information == second != first
    html = client_for(s.prime).get(bid_page).content.decode()
    assert "Sent with this bid: version 2, dated" in html
    assert "You have saved a later version since" in html

    clock.move_to(s.deadline + timedelta(hours=2))
    commissioner = client_for(s.commissioner)
    commissioner.post(reverse("bids:open", args=[s.opportunity.reference]))
    opened = commissioner.get(reverse("bids:opened-bid", args=[s.opportunity.reference, bid.pk]))
    html = opened.content.decode()
    assert "As it stood when the bid was submitted: version 2, dated" in html
    assert "£455,000.00" in html
    assert "£999,999.00" not in html and "£412,500.00" not in html
    assert "Alex Moreno" in html  # connected persons, for the buyer only


def test_a_resubmission_records_the_version_current_then(s: Setting, clock: Any) -> None:
    treasurer = admin_of(s.prime_org)
    recorded(s.prime_org, treasurer)
    bid = complete_bid(s)
    submission.submit(s.prime, bid)
    submission.withdraw(s.prime, bid)
    latest = recorded(s.prime_org, treasurer, reserves=Decimal("80000"))
    submission.submit(s.prime, bid)
    bid.refresh_from_db()
    assert bid.supplier_information == latest


def test_a_bid_without_recorded_information_says_so_and_links_to_record_it(
    s: Setting, clock: Any
) -> None:
    bid = complete_bid(s)
    html = client_for(s.prime).get(reverse("bids:bid", args=[bid.pk])).content.decode()
    assert "has not recorded its core supplier information yet" in html
    assert "Record your core supplier information" in html
    submission.submit(s.prime, bid)
    bid.refresh_from_db()
    assert bid.supplier_information is None


def test_the_evaluators_scoring_page_shows_the_version_the_bid_was_submitted_with() -> None:
    from commissioning.bids.models import Bid
    from commissioning.evaluation import services as evaluation
    from tests.evaluation_factories import evaluation_setup

    ev = evaluation_setup()
    bidder = ev.bidders[0]
    treasurer = admin_of(bidder)
    sent = recorded(bidder, treasurer, turnover=Decimal("412500"))
    # As submission records it (see the first test); then the bidder updates its record.
    Bid.objects.filter(pk=ev.bids[0].pk).update(supplier_information=sent)
    recorded(bidder, treasurer, turnover=Decimal("999999"))
    evaluator = ev.evaluators[0]
    evaluation.assign_evaluator(ev.commissioner, ev.quality, evaluator)
    client = client_for(evaluator)
    reference = ev.opportunity.reference
    declared = {f"org-{org.pk}": "no" for org in ev.bidders}
    client.post(reverse("evaluation:declare", args=[reference]), declared)
    assignment = ev.quality.evaluator_assignments.get(evaluator=evaluator)
    score = reverse("evaluation:score", args=[reference, assignment.pk, ev.bids[0].pk])
    html = client.get(score).content.decode()
    assert "As it stood when the bid was submitted: version 1, dated" in html
    assert "£412,500.00" in html and "£999,999.00" not in html
    other = reverse("evaluation:score", args=[reference, assignment.pk, ev.bids[1].pk])
    assert "had not recorded its core supplier information" in client.get(other).content.decode()
