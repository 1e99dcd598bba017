"""Social value fed to the next tender's evaluators (issue 15; EVA-3): scoring a later bid on the
social value criterion, the evaluator reads the bidder's pledged-against-delivered record from
the contracts it held as prime, read-only; other criteria and other bidders show none of it."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.procurement.models import Criterion
from commissioning.social_value import services
from tests.contract_factories import contract_with_parties
from tests.factories import member_of
from tests.integration.awards_setup import AwardSetup, award_setup

pytestmark = pytest.mark.django_db

TODAY = date(2026, 8, 15)


def _score_page(s: AwardSetup, criterion: Criterion, bid_index: int, user: User) -> tuple[int, str]:
    client = Client()
    client.force_login(user)
    assignment = criterion.evaluator_assignments.get(evaluator=s.evaluator)
    url = reverse(
        "evaluation:score", args=[s.opportunity.reference, assignment.pk, s.bids[bid_index].pk]
    )
    with time_machine.travel("2026-08-15 12:00+01:00", tick=False):
        response = client.get(url)
    return response.status_code, re.sub(r"\s+", " ", response.content.decode())


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _cells(page: str) -> list[list[str]]:
    """The track-record table's body rows, cell by cell, as text."""
    table = page.split('id="social-value-history"')[1].split("</table>")[0]
    return [
        [
            _text(cell.split(">", 1)[1].split("</t")[0])
            for cell in row.split("<t")[1:]
            if cell[:1] in "hd"
        ]
        for row in table.split("<tr")[2:]
    ]


def test_the_evaluator_of_a_later_bid_sees_the_primes_pledged_and_delivered_figures() -> None:
    s = award_setup(moderate=False)
    prime = s.bids[0].organisation
    past = contract_with_parties(prime=prime, title="Earlier resettlement contract")
    commissioner = member_of(past.commissioning_body, User.Role.COMMISSIONER)
    prime_member = member_of(prime)
    people = services.add_commitment(
        commissioner,
        past,
        measure="people_with_convictions",
        description="Employ 4 people with convictions each quarter",
        target_per_quarter=Decimal("4"),
    )
    spend = services.add_commitment(
        commissioner,
        past,
        measure="vcse_spend",
        description="Spend £12,500 a quarter with local voluntary organisations",
        target_per_quarter=Decimal("12500"),
    )
    services.report(prime_member, people, date(2026, 4, 1), Decimal("3"), today=TODAY)
    services.report(prime_member, people, date(2026, 7, 1), Decimal("5"), today=TODAY)
    services.report(prime_member, spend, date(2026, 4, 1), Decimal("10000"), today=TODAY)

    status, page = _score_page(s, s.social_value, 0, s.evaluator)
    assert status == 200
    assert f"Context: {prime.name}'s social value on earlier contracts" in page
    # Two quarters begun (April to June, July to September 2026); spend's July not reported.
    ref = past.reference
    assert _cells(page) == [
        [
            f"Earlier resettlement contract ({ref}): People with convictions employed "
            "Employ 4 people with convictions each quarter",
            "8",
            "8",
            "None",
            "2 of 2",
        ],
        [
            f"Earlier resettlement contract ({ref}): Spend with VCSE organisations (£) "
            "Spend £12,500 a quarter with local voluntary organisations",
            "£25,000.00",
            "£10,000.00",
            "£15,000.00",
            "1 of 2",
        ],
    ]
    # Read-only: no form of the social value section on the score page.
    assert "social-value/report" not in page and "commitments/add" not in page

    # Another bidder with no earlier contract has no record; the quality criterion shows none.
    status, other = _score_page(s, s.social_value, 1, s.evaluator)
    assert status == 200
    assert "has no social value commitments on earlier contracts with this platform" in other
    assert "Employ 4 people" not in other
    status, quality = _score_page(s, s.quality, 0, s.evaluator)
    assert status == 200
    assert "social value on earlier contracts" not in quality

    # The bidders themselves do not reach the evaluation page (existing rules).
    status, _ = _score_page(s, s.social_value, 0, s.bidder_users[1])
    assert status in (403, 404)
