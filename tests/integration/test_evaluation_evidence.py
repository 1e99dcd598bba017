"""Supply-chain evidence on the evaluator's score page (EVA-3, PRO-7, SUP-2): computed by the
analytics core from the supply chain the bid names and the directory, shown beside the answer."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.integration.awards_setup import AwardSetup, award_setup

pytestmark = pytest.mark.django_db


def _score_page(s: AwardSetup, bid_index: int) -> str:
    client = Client()
    client.force_login(s.evaluator)
    assignment = s.social_value.evaluator_assignments.get(evaluator=s.evaluator)
    url = reverse(
        "evaluation:score",
        args=[s.opportunity.reference, assignment.pk, s.bids[bid_index].pk],
    )
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_evaluator_sees_who_is_in_the_bids_supply_chain_and_the_value_promised() -> None:
    s = award_setup(moderate=False)

    page = _score_page(s, 0)

    # Northshire's bid: £250,000 a year, £60,000 promised to one women-led sub-contractor.
    assert "Evidence: the proposed supply chain" in page
    assert "1 named sub-contractor, promised £60,000.00 a year" in page
    assert "the prime keeps £190,000.00 (76%)" in page
    # HHI by hand: (0.76² + 0.24²) × 10,000 = 5,776 + 576 = 6,352.
    assert "Concentration (HHI, 0–10,000): 6,352" in page
    women_led = re.search(r"Women-led</th>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>£([\d,.]+)</td>", page)
    assert women_led is not None and women_led.groups() == ("1", "60,000.00")
    assert "bid candy" not in page  # 40 referrals and 24% of the value are no token promise


def test_a_bid_naming_no_sub_contractor_says_the_prime_keeps_everything() -> None:
    s = award_setup(moderate=False)

    page = _score_page(s, 1)

    assert "0 named sub-contractors, promised £0.00 a year" in page
    assert "the prime keeps £300,000.00 (100%)" in page
    assert "Who is in the supply chain" not in page
