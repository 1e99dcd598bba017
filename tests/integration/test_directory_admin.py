"""The directory in the Django admin (MKT-1): registered, searchable, and every change audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from commissioning.audit.models import AuditEvent
from commissioning.directory.models import Organisation
from tests.integration.test_directory_support import Market, build_market, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def market() -> Market:
    return build_market()


@pytest.fixture
def admin_client_() -> Client:
    client = Client()
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/admin/directory/area/",
        "/admin/directory/specialism/",
        "/admin/directory/cohort/",
        "/admin/directory/organisation/",
        "/admin/directory/organisation/?q=alpha&is_commissioning_body__exact=0",
        "/admin/directory/organisation/?size_band__exact=major",
        "/admin/directory/area/?kind__exact=probation_region",
    ],
)
def test_admin_lists_load(admin_client_: Client, market: Market, path: str) -> None:
    response = admin_client_.get(path)
    assert response.status_code == 200


def test_admin_search_finds_by_charity_number(admin_client_: Client, market: Market) -> None:
    html = admin_client_.get("/admin/directory/organisation/?q=1234567").content.decode()
    assert "Alpha Housing Trust" in html
    assert "Beta Employment CIC" not in html


def _admin_form(organisation: Organisation, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": organisation.name,
        "slug": organisation.slug,
        "org_type": organisation.org_type,
        "public_body_kind": organisation.public_body_kind,
        "commissioning_tier": organisation.commissioning_tier,
        "charity_number": organisation.charity_number,
        "company_number": organisation.company_number,
        "description": organisation.description,
        "annual_income": str(organisation.annual_income),
        "reserves_months": str(organisation.reserves_months),
        "areas": [area.pk for area in organisation.areas.all()],
        "specialisms": [item.pk for item in organisation.specialisms.all()],
        "cohorts": [item.pk for item in organisation.cohorts.all()],
        "website": organisation.website,
        "contact_name": organisation.contact_name,
        "contact_email": organisation.contact_email,
        "contact_phone": organisation.contact_phone,
    }
    for flag in ("is_commissioning_body", "is_prime", "bame_led", "women_led",
                 "lived_experience_led", "user_led", "is_synthetic"):  # fmt: skip
        if getattr(organisation, flag):
            data[flag] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_admin_change_is_audited_with_many_to_many(admin_client_: Client, market: Market) -> None:
    alpha = market.alpha
    response = admin_client_.post(
        f"/admin/directory/organisation/{alpha.pk}/change/",
        _admin_form(
            alpha,
            name="Alpha Housing Trust (North)",
            annual_income="2000000.00",
            areas=[market.northumbria.pk, market.durham.pk],
            is_prime="on",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    alpha.refresh_from_db()
    assert alpha.name == "Alpha Housing Trust (North)"
    assert alpha.annual_income == Decimal("2000000.00")
    event = AuditEvent.objects.get()
    assert event.actor_label == "root"
    assert event.target_id == str(alpha.pk)
    assert event.changes == {
        "name": {"from": "Alpha Housing Trust", "to": "Alpha Housing Trust (North)"},
        "annual_income": {"from": "50000.00", "to": "2000000.00"},
        "size_band": {"from": "small", "to": "large"},
        "areas": {"from": ["Northumbria"], "to": ["Durham", "Northumbria"]},
        "is_prime": {"from": False, "to": True},
    }


def test_admin_delete_is_audited(admin_client_: Client, market: Market) -> None:
    response = admin_client_.post(
        f"/admin/directory/organisation/{market.epsilon.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=market.epsilon.pk).exists()
    event = AuditEvent.objects.get()
    assert "delete" in event.action
    assert event.target_label == "Epsilon London Link"
