"""The bidder's own bid page is read in a fixed, small number of queries (issue 21; PRO-7,
PRO-8): the bid is read once with what it points to, access is decided once for the page, the
supply chain, documents, receipts, criteria and consortium are read once and serve both what
the page shows and the reasons it cannot be submitted yet. It still shows everything it showed,
and only to the bidding organisation's members."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.bids import consent, consortium, services, submission
from commissioning.bids.models import Bid
from commissioning.web import navigation
from tests.factories import OrganisationFactory, UserFactory, client_for, member_of
from tests.integration.test_bids_services import (
    ANSWER,
    ROLE,
    Setting,
    complete_bid,
    name_sub,
    pdf_bytes,
)
from tests.integration.test_bids_services import (
    clock as clock,
)
from tests.integration.test_bids_services import (
    s as s,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _banner_answer_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """The synthetic-data banner's answer is kept 30 s per process: were it to lapse between
    the warm-up request and the counted one, the count would be one more. Kept for the test."""
    monkeypatch.setattr(navigation, "_SYNTHETIC_TTL_SECONDS", float("inf"))


#: What the page reads, whatever the bid holds: the session, the user, the second factor, the
#: bid (with its lot, opportunity, exercise, organisation, consortium, key and the supplier
#: information sent with it), the user's memberships (which let them read it, and which the
#: menu shows), the sub-contractors, the documents, the receipts, the criteria, the current
#: supplier information, the consortium's members, and the menu's unread messages. Before
#: issue 21 the full draft below took 31 and the submitted one 21.
PAGE_QUERIES = 12
#: A bid that can still be submitted also checks its supply chain against the exercise's
#: joint-commissioning partners (PRO-11), in one query for the whole chain.
DRAFT_PAGE_QUERIES = PAGE_QUERIES + 1


def _full_bid(s: Setting) -> Bid:
    """A draft with everything a bid can hold: content, a sub-contractor waiting to confirm, a
    document, and a consortium with a member waiting to confirm."""
    bid = complete_bid(s)
    name_sub(s, bid)
    services.add_document(s.prime, bid, name="method.pdf", size=len(pdf_bytes()), data=pdf_bytes())
    consortium.set_lead(
        s.prime, bid, arrangement="consortium", lead_role="Case management", lead_share=Decimal(60)
    )
    partner = OrganisationFactory(name="Safe Homes for Women")
    member_of(partner)
    consortium.add_member(s.prime, bid, partner, role="Accommodation", share=Decimal(40))
    return bid


def test_the_bid_page_reads_each_thing_once(s: Setting, django_assert_num_queries: Any) -> None:
    bid = _full_bid(s)
    prime = client_for(s.prime)
    url = reverse("bids:bid", args=[bid.pk])
    prime.get(url)  # anything read once per process (the site's settings) is read now
    with django_assert_num_queries(DRAFT_PAGE_QUERIES):
        response = prime.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "£287,654.32" in html and ANSWER in html and "method.pdf" in html
    assert ROLE in html and "Women Onward CIC" in html and "Waiting for an answer" in html
    assert "Consortium led by Northshire Resettlement Trust" in html
    assert "Safe Homes for Women" in html and "Case management" in html
    assert "Women Onward CIC has not yet confirmed it agrees to be named." in html
    assert "Safe Homes for Women has not yet confirmed it agrees to bid together." in html
    assert "Check and submit" in html and "Enter the price and full-cost disclosure" in html


def test_a_submitted_bid_page_shows_its_receipts_in_as_many_queries(
    s: Setting, django_assert_num_queries: Any
) -> None:
    bid = _full_bid(s)
    sub = bid.supply_chain.get()
    consent.answer(s.sub_user, sub, confirm=True)
    member = consortium.members(bid)[0]
    consent.answer(member.organisation.memberships.get().user, member, confirm=True)
    receipt = submission.submit(s.prime, bid)
    prime = client_for(s.prime)
    url = reverse("bids:bid", args=[bid.pk])
    prime.get(url)
    with django_assert_num_queries(PAGE_QUERIES):
        html = prime.get(url).content.decode()
    assert receipt.reference in html and "Submitted" in html
    assert "Withdraw to change the bid" in html and "Check and submit" not in html
    assert "Before you can submit" not in html


def test_the_bid_page_is_refused_to_everyone_outside_the_bidding_organisation(
    s: Setting,
) -> None:
    bid = _full_bid(s)
    url = reverse("bids:bid", args=[bid.pk])
    admin = UserFactory(role=User.Role.ADMIN, is_superuser=True, is_staff=True)
    rival = member_of(OrganisationFactory(name="Second Chance Mentors"))
    for outsider in (s.commissioner, admin, s.sub_user, rival):
        assert client_for(outsider).get(url).status_code == 403
    assert client_for(s.prime).get(url).status_code == 200
