"""Plain-English guides (issue 18 item 3; seed 003 §10.10–10.11): every guide is a page with a
contents list that leads to each of its sections, the list of guides links to them all, and
each guide is linked from the page where its question arises: the opportunity page (how
commissioning works, how to bid; TUPE beside the specification's TUPE section), the bid page,
the sub-contract request, and a contract's payment mechanism and statements."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.guides.content import GUIDES
from tests.contract_factories import contract_with_parties
from tests.factories import client_for
from tests.integration.test_bids_services import Setting, complete_bid, name_sub
from tests.integration.test_bids_services import clock as clock
from tests.integration.test_bids_services import s as s

pytestmark = pytest.mark.django_db


def _guide_links(html: str) -> list[str]:
    """The guides a page links to through the guide-link block, in page order."""
    return re.findall(r'class="govuk-body app-guide-link" data-guide="([a-z-]+)"', html)


def test_every_guide_renders_with_a_working_contents_list() -> None:
    listing = Client().get(reverse("guides:list"))
    assert listing.status_code == 200
    for guide in GUIDES:
        url = reverse("guides:detail", args=[guide.slug])
        assert f'href="{url}"' in listing.text
        page = Client().get(url)
        assert page.status_code == 200
        html = page.text
        assert f'<h1 class="govuk-heading-l">{guide.title}</h1>' in html
        contents = re.findall(r'<li><a class="govuk-link" href="#([a-z-]+)">', html)
        assert contents == [section.anchor for section in guide.sections]
        for section in guide.sections:
            assert f'id="{section.anchor}">{section.heading}</h2>' in html
            for part in section.parts:
                for text in part.get("bullets") or [part["text"]]:  # type: ignore[attr-defined]
                    assert str(text).replace("'", "&#x27;") in html
    assert Client().get("/guides/no-such-guide/").status_code == 404


def test_each_guide_is_linked_from_the_page_where_its_question_arises(s: Setting) -> None:
    opportunity = s.opportunity
    page = Client().get(opportunity.get_absolute_url()).text
    assert _guide_links(page) == [
        "how-commissioning-works",
        "how-to-bid-or-join-a-supply-chain",
        "what-tupe-means",
    ]
    # The TUPE guide sits in the specification's TUPE section.
    tupe = page.split("Staff expected to transfer (TUPE)</h3>")[1].split("<h3")[0]
    assert 'data-guide="what-tupe-means"' in tupe

    bid = complete_bid(s)
    sub = name_sub(s, bid)
    bid_page = client_for(s.prime).get(reverse("bids:bid", args=[bid.pk])).text
    assert _guide_links(bid_page) == ["how-to-bid-or-join-a-supply-chain"]
    request_page = client_for(s.sub_user).get(reverse("bids:request", args=[sub.pk])).text
    assert _guide_links(request_page) == ["what-to-ask-a-prime"]
    assert 'href="/guides/what-to-ask-a-prime/"' in request_page


def test_a_contracts_mechanism_and_statements_link_the_payment_by_results_guide() -> None:
    contract = contract_with_parties()
    for name in ("contracts:mechanism", "contracts:statements"):
        page = Client().get(reverse(name, args=[contract.reference]))
        assert page.status_code == 200, name
        assert _guide_links(page.text) == ["payment-by-results-and-cash-flow"], name


def test_the_guides_read_as_plain_english_for_a_treasurer() -> None:
    """No requirement IDs, and the technical words explained where they are first used."""
    requirement_id = re.compile(r"\b[A-Z]{3}-\d+\b")
    explained = {
        "what-tupe-means": "Transfer of Undertakings (Protection of Employment)",
        "payment-by-results-and-cash-flow": "That part is the at-risk share",
        "how-to-bid-or-join-a-supply-chain": "a sub-contractor (an organisation that delivers",
        "how-commissioning-works": "standstill",
        "what-to-ask-a-prime": "bid candy",
    }
    for guide in GUIDES:
        text = " ".join(
            str(item)
            for section in guide.sections
            for block in section.blocks
            for item in ((block,) if isinstance(block, str) else block)
        )
        assert not requirement_id.search(text), guide.slug
        assert explained[guide.slug] in text
        words = len(text.split())
        assert 200 < words < 800, (guide.slug, words)  # short enough to read in a few minutes
