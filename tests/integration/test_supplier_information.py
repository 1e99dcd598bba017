"""Core supplier information, told once (LAW-5; Procurement Regulations 2024 reg. 6, issue 18):
an organisation's administrators save dated, immutable versions; members read them; a share code
made out to one commissioning body lets its commissioners read the current version until it is
revoked; nobody else (other organisations, the public, a provider or another body's commissioner
with the code) sees anything, in the pages or the API."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.supplier_information import grounds, services
from commissioning.supplier_information.models import ShareCode, SupplierInformationVersion
from tests.factories import (
    CommissioningBodyFactory,
    OrganisationFactory,
    UserFactory,
    client_for,
    member_of,
)
from tests.supplier_information_factories import admin_of, charity_information, recorded

pytestmark = pytest.mark.django_db

T0 = "2026-06-01 09:30:00+00:00"


def test_each_save_makes_a_new_dated_version_and_keeps_the_old_one_as_it_was() -> None:
    charity = OrganisationFactory(name="Northshire Resettlement Trust")
    treasurer = admin_of(charity)
    with time_machine.travel(T0, tick=False):
        first = recorded(charity, treasurer)
    with time_machine.travel("2026-09-15 14:00:00+00:00", tick=False):
        second = recorded(charity, treasurer, turnover=Decimal("455000"), ppon="PVWX-1234-ABCD")

    assert (first.number, second.number) == (1, 2)
    assert first.created_at.isoformat() == "2026-06-01T09:30:00+00:00"
    assert second.created_at.date() == date(2026, 9, 15)
    assert first.created_by == second.created_by == treasurer
    assert services.current_version(charity) == second
    first.refresh_from_db()
    assert first.turnover == Decimal("412500.00") and first.ppon == ""
    assert second.turnover == Decimal("455000.00") and second.ppon == "PVWX-1234-ABCD"
    assert second.connected_persons == [
        {"name": "Alex Moreno", "role": "Chair of trustees", "control": "Votes on the board"}
    ]
    assert second.declarations["fraud_theft"] == {"applies": False, "details": ""}
    # Saved versions never change and are never deleted.
    first.turnover = Decimal("1")
    with pytest.raises(ValidationError, match="cannot be changed"):
        first.save()
    with pytest.raises(ValidationError, match="cannot be deleted"):
        first.delete()
    assert list(services.versions_of(treasurer, charity).values_list("number", flat=True)) == [2, 1]
    assert AuditEvent.objects.filter(action="supplier_information.save").count() == 2


def test_a_save_missing_anything_is_refused_whole_with_every_reason() -> None:
    charity = OrganisationFactory()
    treasurer = admin_of(charity)
    declarations = dict(charity_information().declarations or {})
    declarations["insolvency"] = services.Declaration(applies=True, details=" ")
    del declarations["tax"]
    information = charity_information(
        charity_number="", registered_address="", declarations=declarations
    )
    with pytest.raises(ValidationError) as refused:
        services.save_version(treasurer, charity, information)
    assert refused.value.message_dict == {
        "charity_number": ["Enter your charity number: a registered charity has one"],
        "registered_address": ["Enter your registered address"],
        "ground_tax": ["Say whether “Tax offences and tax avoidance schemes” applies"],
        "ground_insolvency_details": [
            "Give the details of “Insolvency or bankruptcy”, and what you have done about it"
        ],
    }
    assert not SupplierInformationVersion.objects.exists()


def test_only_the_organisations_administrators_record_and_only_its_members_read() -> None:
    charity = OrganisationFactory()
    recorded(charity)
    member = member_of(charity)
    outsider = member_of(OrganisationFactory())
    body = CommissioningBodyFactory()
    commissioner = member_of(body, role=User.Role.COMMISSIONER)
    site_admin = UserFactory(role=User.Role.ADMIN)
    for user in (member, outsider, commissioner, site_admin):
        with pytest.raises(PermissionDenied):
            services.save_version(user, charity, charity_information())
    assert services.versions_of(member, charity).count() == 1
    for user in (outsider, commissioner, site_admin):
        with pytest.raises(PermissionDenied):
            services.versions_of(user, charity)

    overview = reverse("supplier_information:overview", args=[charity.slug])
    version = reverse("supplier_information:version", args=[charity.slug, 1])
    assert "Chair of trustees" in client_for(member).get(overview).content.decode()
    for user in (outsider, commissioner, site_admin):
        assert client_for(user).get(overview).status_code == 403
        assert client_for(user).get(version).status_code == 403
    assert Client().get(overview).status_code == 302  # to sign in

    api = f"/api/supplier-information/organisations/{charity.slug}"
    answer = client_for(member).get(api)
    assert answer.status_code == 200
    body_json = answer.json()
    assert (body_json["version"], body_json["turnover"], body_json["charity_number"]) == (
        1,
        "412500.00",
        "1187654",
    )
    assert len(body_json["declarations"]) == 17
    for user in (outsider, commissioner, site_admin):
        assert client_for(user).get(api).status_code == 403
    assert Client().get(api).status_code == 401


def _share(charity: Any, body: Any) -> tuple[User, ShareCode]:
    treasurer = admin_of(charity)
    recorded(charity, treasurer)
    return treasurer, services.create_share_code(treasurer, charity, body)


def test_a_share_code_shows_its_body_the_current_version_until_revoked() -> None:
    charity = OrganisationFactory(name="Northshire Resettlement Trust")
    body = CommissioningBodyFactory(name="Northshire PCC")
    treasurer, share_code = _share(charity, body)
    commissioner = member_of(body, role=User.Role.COMMISSIONER)
    assert share_code.code.startswith("SI-") and len(share_code.code) == 17

    assert services.version_for_code(commissioner, share_code.code.lower()).number == 1
    recorded(charity, treasurer, reserves=Decimal("70000"))
    assert services.version_for_code(commissioner, share_code.code).number == 2  # current

    look_up = reverse("supplier_information:look-up")
    page = client_for(commissioner).post(look_up, {"code": share_code.code}).content.decode()
    assert "Northshire Resettlement Trust" in page and "£70,000.00" in page
    api = f"/api/supplier-information/share-codes/{share_code.code}"
    assert client_for(commissioner).get(api).json()["reserves"] == "70000.00"

    services.revoke_share_code(treasurer, share_code)
    with pytest.raises(ValidationError, match="No information was found"):
        services.version_for_code(commissioner, share_code.code)
    page = client_for(commissioner).post(look_up, {"code": share_code.code}).content.decode()
    assert "No information was found" in page and "£70,000.00" not in page
    assert "Alex Moreno" not in page
    assert client_for(commissioner).get(api).status_code == 404
    assert ShareCode.objects.get().revoked_by == treasurer
    with pytest.raises(ValidationError, match="already been revoked"):
        services.revoke_share_code(treasurer, share_code)


def test_nobody_but_the_bodys_commissioners_gets_anything_from_a_code() -> None:
    charity = OrganisationFactory()
    body = CommissioningBodyFactory()
    _, share_code = _share(charity, body)
    other_commissioner = member_of(CommissioningBodyFactory(), role=User.Role.COMMISSIONER)
    provider = member_of(OrganisationFactory())
    charity_member = member_of(charity)
    site_admin = UserFactory(role=User.Role.ADMIN)
    api = f"/api/supplier-information/share-codes/{share_code.code}"
    look_up = reverse("supplier_information:look-up")

    # Another body's commissioner: the same answer as an unknown code.
    with pytest.raises(ValidationError, match="No information was found"):
        services.version_for_code(other_commissioner, share_code.code)
    assert client_for(other_commissioner).get(api).status_code == 404
    page = client_for(other_commissioner).post(look_up, {"code": share_code.code})
    assert "No information was found" in page.content.decode()
    # Providers (the organisation's own members too), site administrators, the public.
    for user in (provider, charity_member, site_admin):
        with pytest.raises(PermissionDenied):
            services.version_for_code(user, share_code.code)
        assert client_for(user).get(api).status_code == 403
        assert client_for(user).post(look_up, {"code": share_code.code}).status_code == 403
    assert Client().get(api).status_code == 401
    assert Client().post(look_up, {"code": share_code.code}).status_code == 302
    # A commissioner without a code sees nothing.
    commissioner = member_of(body, role=User.Role.COMMISSIONER)
    assert "Alex Moreno" not in client_for(commissioner).get(look_up).content.decode()
    overview = reverse("supplier_information:overview", args=[charity.slug])
    assert client_for(commissioner).get(overview).status_code == 403


def test_codes_are_made_and_revoked_through_the_page_by_administrators_only() -> None:
    charity = OrganisationFactory()
    body = CommissioningBodyFactory(name="Northshire PCC")
    treasurer = admin_of(charity)
    member = member_of(charity)
    overview = reverse("supplier_information:overview", args=[charity.slug])
    # Nothing to share before anything is recorded.
    with pytest.raises(ValidationError, match="Record your core supplier information"):
        services.create_share_code(treasurer, charity, body)
    recorded(charity, treasurer)
    assert client_for(member).post(overview, {"commissioning_body": body.pk}).status_code == 403
    response = client_for(treasurer).post(overview, {"commissioning_body": body.pk})
    assert response.status_code == 302
    share_code = ShareCode.objects.get()
    assert share_code.commissioning_body == body and share_code.created_by == treasurer
    page = client_for(member).get(overview).content.decode()
    assert share_code.code in page and "Northshire PCC" in page
    revoke = reverse("supplier_information:revoke", args=[charity.slug, share_code.pk])
    assert client_for(member).post(revoke).status_code == 403
    assert client_for(treasurer).post(revoke).status_code == 302
    share_code.refresh_from_db()
    assert share_code.revoked_at is not None
    # A provider is not a commissioning body.
    with pytest.raises(ValidationError):
        services.create_share_code(treasurer, charity, OrganisationFactory())


def test_the_update_page_saves_a_new_version_from_the_form() -> None:
    charity = OrganisationFactory(charity_number="1187654")
    treasurer = admin_of(charity)
    update = reverse("supplier_information:update", args=[charity.slug])
    form = client_for(treasurer).get(update).content.decode()
    assert 'value="1187654"' in form  # prefilled from the directory
    data: dict[str, str] = {
        "legal_name": "Northshire Resettlement Trust",
        "legal_form": "cio",
        "charity_number": "1187654",
        "registered_address": "12 Mill Lane",
        "accounts_year_end_0": "31",
        "accounts_year_end_1": "3",
        "accounts_year_end_2": "2026",
        "turnover": "412500",
        "reserves": "-1500.5",
        "person_1_name": "Alex Moreno",
        "person_1_role": "Chair of trustees",
    }
    data.update({f"ground_{g.key}": "no" for g in grounds.ALL})
    data["ground_poor_performance"] = "yes"
    refused = client_for(treasurer).post(update, data)
    assert refused.status_code == 200
    assert "Give the details of “A past contract ended early or badly”" in refused.content.decode()
    assert not SupplierInformationVersion.objects.exists()
    data["ground_poor_performance_details"] = "A 2023 contract ended early; we changed manager."
    assert client_for(treasurer).post(update, data).status_code == 302
    version = SupplierInformationVersion.objects.get()
    assert version.reserves == Decimal("-1500.50")
    assert version.declarations["poor_performance"]["applies"] is True
    assert version.connected_persons == [
        {"name": "Alex Moreno", "role": "Chair of trustees", "control": ""}
    ]
    page = (
        client_for(treasurer)
        .get(reverse("supplier_information:overview", args=[charity.slug]))
        .content.decode()
    )
    assert "−£1,500.50" in page and "version 1, dated" in page


def test_the_accounts_year_end_must_be_past() -> None:
    charity = OrganisationFactory()
    with time_machine.travel(T0, tick=False):
        tomorrow = date(2026, 6, 1) + timedelta(days=1)
        with pytest.raises(ValidationError, match="must be in the past"):
            recorded(charity, accounts_year_end=tomorrow)


def test_the_demo_charity_has_one_synthetic_version_recorded_by_its_administrator(
    settings: Any,
) -> None:
    from commissioning.demo.services import create_demo_users, load_market
    from commissioning.demo.supplier_information import load_demo_supplier_information
    from commissioning.demo.users import demo_organisations
    from commissioning_analytics.market.synthetic import generate_market

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_market(generate_market(11, 0.05), replace=False)
    create_demo_users()
    assert load_demo_supplier_information() == 1
    assert load_demo_supplier_information() == 0  # once
    charity = demo_organisations()["charity"]
    version = services.current_version(charity)
    assert version is not None and version.number == 1
    assert version.created_by is not None and version.created_by.username == "provider"
    assert version.registered_address.startswith("Synthetic demo address")
    assert version.turnover == charity.annual_income
