"""“Test this offer” (PBR-7): the named sub-contractor runs the offer against its own figures,
and the test is private — the prime, the commissioner and a site administrator cannot see that
it was run or what it said, on pages, the API or the admin, and nothing is written anywhere."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.bids.models import Subcontractor
from commissioning.notifications.models import Notification
from commissioning.procurement.models import TransferringStaff
from tests.factories import UserFactory, client_for
from tests.integration.test_bids_services import Setting, complete_bid, name_sub
from tests.integration.test_bids_services import clock as clock
from tests.integration.test_bids_services import s as s

pytestmark = pytest.mark.django_db

RESERVES = "4917"
"""A figure found nowhere else, to look for after the test."""
FIGURES = {
    "value_per_year": "45000",
    "referrals_per_year": "120",
    "upfront_percent": "0",
    "at_risk_percent": "30",
    "payment_terms_days": "30",
    "outcome_lag_months": "12",
    "months": "36",
    "transfer_percent": "0",
    "income_per_year": "120000",
    "reserves": RESERVES,
    "monthly_costs": "11800",
    "outcome_rate_percent": "50",
}


@pytest.fixture
def sub(s: Setting) -> Subcontractor:
    s.sub_org.annual_income = Decimal("240000")
    s.sub_org.reserves_months = Decimal("1.5")
    s.sub_org.save()
    TransferringStaff.objects.create(
        opportunity=s.opportunity,
        role="Caseworker",
        headcount=2,
        annual_salary=30000,
        weekly_hours=37.5,
        pension="defined_contribution",
        employer_pension_percent=5,
        years_of_service=4,
        age=35,
    )
    return name_sub(s, complete_bid(s))


def _row_counts() -> dict[str, int]:
    return {
        model._meta.db_table: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def _cache_keys() -> set[str]:
    return set(getattr(caches["default"], "_cache", {}).keys())


def test_the_charity_tests_the_offer_and_nothing_is_kept(
    s: Setting, sub: Subcontractor, caplog: Any
) -> None:
    client = client_for(s.sub_user)
    url = reverse("bids:test-offer", args=[sub.pk])
    request_page = client.get(reverse("bids:request", args=[sub.pk])).content.decode()
    assert url in request_page

    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    # Starting values: the request's terms and the organisation's profile.
    assert 'value="45000.00"' in html and 'value="120"' in html
    assert 'value="240000"' in html and 'value="30000"' in html  # 1.5 months of income
    assert "2 people expected to transfer under TUPE" in html

    before = (_row_counts(), _cache_keys(), len(mail.outbox), dict(client.session.items()))
    with caplog.at_level(logging.DEBUG):
        response = client.post(url, FIGURES)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your free reserves could run out" in html
    assert "of the fee paid up front would bring the chance of running out below 5%" in html
    assert "Month " in html
    assert "no-store" in response["Cache-Control"]
    after = (_row_counts(), _cache_keys(), len(mail.outbox), dict(client.session.items()))
    assert after == before
    assert not AuditEvent.objects.filter(actor=s.sub_user).exclude(action__startswith="bid")
    assert RESERVES not in caplog.text

    # A transfer share adds the staff's cost, and the page says so.
    with_staff = client.post(url, {**FIGURES, "transfer_percent": "50"}).content.decode()
    # Half of 2 × (30,000 + 3,750 NI + 1,500 pension).
    assert "add £35,250 a year to your costs" in with_staff


def test_bad_figures_are_refused_with_a_clear_error(s: Setting, sub: Subcontractor) -> None:
    client = client_for(s.sub_user)
    url = reverse("bids:test-offer", args=[sub.pk])
    html = client.post(url, {**FIGURES, "upfront_percent": "80"}).content.decode()
    assert "must not add up to more than 100%" in html
    assert "Chance of running out" not in html
    html = client.post(url, {**FIGURES, "reserves": ""}).content.decode()
    assert "Enter your free reserves" in html


def test_the_prime_commissioner_and_admin_cannot_see_the_test(
    s: Setting, sub: Subcontractor
) -> None:
    client_for(s.sub_user).post(reverse("bids:test-offer", args=[sub.pk]), FIGURES)
    admin = UserFactory(role=User.Role.ADMIN, is_superuser=True, is_staff=True)
    url = reverse("bids:test-offer", args=[sub.pk])
    for user in (s.prime, s.commissioner, admin):
        client = client_for(user)
        for response in (client.get(url), client.post(url, FIGURES)):
            assert response.status_code == 403, user.role
            assert RESERVES not in response.content.decode()
    # The prime's own pages show its bid, never that a test was run.
    prime = client_for(s.prime)
    bid_page = prime.get(reverse("bids:bid", args=[sub.bid_id])).content.decode()
    assert "Test this offer" not in bid_page and RESERVES not in bid_page
    for user in (s.prime, s.commissioner):
        notices = Notification.objects.filter(user=user)
        assert not [n for n in notices if "test" in n.subject.lower()]
    # No API route serves it.
    schema = Client().get("/api/openapi.json").json()
    assert not [path for path in schema["paths"] if "offer" in path]
    # The admin holds no record of it and its audit trail says nothing of it.
    admin_client = client_for(admin)
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "offer" not in index.lower()
    trail = admin_client.get(reverse("admin:audit_auditevent_changelist")).content.decode()
    assert RESERVES not in trail and "test-offer" not in trail
    assert not AuditEvent.objects.filter(action__icontains="offer").exists()
