"""The prime's sub-contract request says how the sub-contractor is paid — the share of its fee
paid up front and the days the prime takes to pay its invoices (PBR-7, PRO-7; issue 18) — the
charity sees them on the request and “Test this offer” starts from them, so the test is of the
offer it was made, not of defaults."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commissioning.bids import services
from commissioning.bids.content import Terms
from commissioning.bids.models import Subcontractor
from tests.factories import client_for
from tests.integration.test_bids_services import ROLE, Setting, complete_bid
from tests.integration.test_bids_services import clock as clock
from tests.integration.test_bids_services import s as s

pytestmark = pytest.mark.django_db

OWN_FIGURES = {
    "outcome_lag_months": "12",
    "months": "12",
    "at_risk_percent": "0",
    "transfer_percent": "0",
    "income_per_year": "0",
    "reserves": "7500",
    "monthly_costs": "5000",
    "outcome_rate_percent": "50",
}


def _request(s: Setting, **terms: str) -> dict[str, str]:
    return {
        "organisation": s.sub_org.slug,
        "role": ROLE,
        "services": "One-to-one support",
        "referrals_per_year": "0",
        "value_per_year": "60000",
        "upfront_percent": "25",
        "payment_terms_days": "60",
        **terms,
    }


def _prefilled(html: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
    assert found, name
    return found.group(1)


def test_the_offer_test_starts_from_the_requests_payment_terms_and_its_result_follows_them(
    s: Setting,
) -> None:
    bid = complete_bid(s)
    prime = client_for(s.prime)
    named = prime.post(reverse("bids:subcontractor-add", args=[bid.pk]), _request(s))
    assert named.status_code == 302, named.content.decode()[:3000]
    sub = Subcontractor.objects.get(bid=bid)

    charity = client_for(s.sub_user)
    request_page = charity.get(reverse("bids:request", args=[sub.pk])).content.decode()
    assert "Share of the fee paid up front" in request_page and "25%" in request_page
    assert "Your invoices paid within" in request_page and "60 days" in request_page

    url = reverse("bids:test-offer", args=[sub.pk])
    page = charity.get(url).content.decode()
    offered = {
        name: _prefilled(page, name)
        for name in (
            "value_per_year",
            "referrals_per_year",
            "upfront_percent",
            "payment_terms_days",
        )
    }
    assert offered == {
        "value_per_year": "60000",
        "referrals_per_year": "0",
        "upfront_percent": "25",
        "payment_terms_days": "60",
    }

    # By hand: a fee of £5,000 a month against £5,000 of costs and £7,500 of reserves. Paid
    # 60 days after each month, the delay is 60 / 30.4375 = 1.9713 months: by the end of month
    # 2 only 0.0287 of one month's fee has come in, so cash is 7,500 − 10,000 + 143.74 =
    # −£2,356.26, and stays there (a fee in, a month's costs out). It runs out, every time.
    slow = charity.post(url, {**offered, **OWN_FIGURES}).content.decode()
    assert "−£2,356 (overdrawn)" in slow
    assert "100%" in slow
    # Paid within 30 days (0.9856 months), 0.0144 of the first fee lands in month 1:
    # 7,500 − 5,000 + 71.87 = £2,571.87 at worst, and it never runs out.
    prompt = charity.post(
        url, {**offered, **OWN_FIGURES, "payment_terms_days": "30"}
    ).content.decode()
    assert "overdrawn" not in prompt and "£2,572" in prompt
    assert "−£2,356" not in prompt


def test_a_request_made_before_the_terms_were_asked_starts_from_the_defaults(s: Setting) -> None:
    bid = complete_bid(s)
    terms = Terms(
        role=ROLE, services="Support", referrals_per_year=120, value_per_year=Decimal("45000")
    )
    sub = services.add_subcontractor(s.prime, bid, s.sub_org, terms)
    charity = client_for(s.sub_user)
    request_page = charity.get(reverse("bids:request", args=[sub.pk])).content.decode()
    assert request_page.count("Not stated: ask before you answer") == 2
    page = charity.get(reverse("bids:test-offer", args=[sub.pk])).content.decode()
    assert _prefilled(page, "upfront_percent") == "0"
    assert _prefilled(page, "payment_terms_days") == "30"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("upfront_percent", "101", "Enter a percentage from 0 to 100"),
        ("upfront_percent", "-5", "Enter a percentage from 0 to 100"),
        ("upfront_percent", "", "Enter the share of its fee paid up front (%)"),
        ("payment_terms_days", "-1", "Enter 0 days or more"),
        ("payment_terms_days", "400", "Enter 365 days or fewer"),
        ("payment_terms_days", "thirty", "Enter the days as a whole number, like 30"),
        # The lot pays 10% of the fee on outcomes, so at most 90% can be paid up front.
        (
            "upfront_percent",
            "95",
            "The share paid up front and the lot's share paid on outcomes (10%) must not add up "
            "to more than 100%",
        ),
    ],
)
def test_bad_payment_terms_are_refused_and_nothing_is_named(
    s: Setting, field: str, value: str, message: str
) -> None:
    bid = complete_bid(s)
    assert s.lot.outcome_payment_percent == Decimal("10.00")
    response = client_for(s.prime).post(
        reverse("bids:subcontractor-add", args=[bid.pk]), _request(s, **{field: value})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'")
    assert not Subcontractor.objects.filter(bid=bid).exists()


def test_the_service_refuses_bad_payment_terms_whatever_calls_it(s: Setting) -> None:
    bid = complete_bid(s)
    terms = Terms(
        role=ROLE,
        services="Support",
        referrals_per_year=12,
        value_per_year=Decimal("45000"),
        upfront_percent=Decimal("150"),
        payment_terms_days=-3,
    )
    with pytest.raises(ValidationError) as refused:
        services.add_subcontractor(s.prime, bid, s.sub_org, terms)
    assert refused.value.message_dict == {
        "upfront_percent": ["Enter a percentage from 0 to 100"],
        "payment_terms_days": ["Enter from 0 to 365 days"],
    }
    assert not Subcontractor.objects.filter(bid=bid).exists()


def test_the_api_names_a_sub_contractor_with_its_payment_terms_or_refuses_as_the_form(
    s: Setting,
) -> None:
    bid = complete_bid(s)
    prime = client_for(s.prime)
    url = f"/api/bids/{bid.pk}/supply-chain"
    body = _request(s)
    over = prime.post(url, {**body, "upfront_percent": "95"}, content_type="application/json")
    assert over.status_code == 400
    assert over.json()["errors"] == {
        "upfront_percent": [
            "The share paid up front and the lot's share paid on outcomes (10%) must not add up "
            "to more than 100%"
        ]
    }
    late_payer = prime.post(
        url, {**body, "payment_terms_days": "400"}, content_type="application/json"
    )
    assert late_payer.status_code == 400
    assert late_payer.json()["errors"] == {"payment_terms_days": ["Enter 365 days or fewer"]}
    assert not Subcontractor.objects.filter(bid=bid).exists()
    outsider = client_for(s.sub_user).post(url, body, content_type="application/json")
    assert outsider.status_code == 403

    named = prime.post(url, body, content_type="application/json")
    assert named.status_code == 201, named.json()
    assert named.json()["supply_chain"] == [
        {"organisation": s.sub_org.slug, "consent": "requested"}
    ]
    content = prime.get(f"/api/bids/{bid.pk}/content").json()["supply_chain"][0]
    assert (content["upfront_percent"], content["payment_terms_days"]) == ("25", 60)
