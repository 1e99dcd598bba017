"""Editing an organisation's profile on the web, /directory/<slug>/edit/ (MKT-1).

Permission matrix for every role, validation messages next to the field, nothing saved on any
error (including half-way through the save), and the audit record of a successful change.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from commissioning.audit import services as audit_services
from commissioning.audit.models import AuditEvent
from commissioning.directory import services
from commissioning.directory.forms import OrganisationProfileForm, form_data
from commissioning.directory.models import Organisation
from tests.factories import client_for
from tests.integration.test_directory_support import (
    ALLOWED_TO_EDIT,
    ROLES,
    Market,
    add_users,
    build_market,
    profile_state,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def market() -> Market:
    return add_users(build_market())


def edit_url(organisation: Organisation) -> str:
    return reverse("directory:edit", args=[organisation.slug])


def valid_post(market: Market, **changes: Any) -> dict[str, Any]:
    """The form as the page renders it for Alpha, with ``changes``."""
    data = form_data(market.alpha)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# ------------------------------------------------------------------ permissions


@pytest.mark.parametrize("role", ROLES)
def test_edit_page_permission_matrix_get(market: Market, role: str) -> None:
    response = client_for(market.users[role]).get(edit_url(market.alpha))
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))
        assert "next=/directory/alpha-housing-trust/edit/" in response["Location"]
    elif role in ALLOWED_TO_EDIT:
        assert response.status_code == 200
        assert '<h1 class="govuk-heading-l">Edit profile</h1>' in response.text
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_edit_page_permission_matrix_post(market: Market, role: str) -> None:
    before = profile_state(market.alpha)
    response = client_for(market.users[role]).post(
        edit_url(market.alpha), valid_post(market, description="Changed by someone.")
    )
    after = profile_state(market.alpha)
    if role in ALLOWED_TO_EDIT:
        assert response.status_code == 302
        assert response["Location"] == reverse("directory:organisation", args=[market.alpha.slug])
        assert after["description"] == "Changed by someone."
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert after == before
        assert not AuditEvent.objects.filter(action="update").exists()


def test_unknown_organisation_is_404_for_a_signed_in_user(market: Market) -> None:
    client = client_for(market.users["site_admin"])
    assert client.get("/directory/no-such-org/edit/").status_code == 404


def test_inactive_member_cannot_edit(market: Market) -> None:
    member = market.users["member"]
    assert member is not None
    client = client_for(member)
    member.is_active = False
    member.save()
    assert client.get(edit_url(market.alpha)).status_code in (302, 403)


# ------------------------------------------------------------------ the form


def test_form_shows_current_values_and_not_the_admin_only_fields(market: Market) -> None:
    html = client_for(market.users["member"]).get(edit_url(market.alpha)).text
    assert 'value="50000.00"' in html
    assert 'value="6.5"' in html
    northumbria = re.search(r'<input[^>]*value="northumbria"[^>]*>', html)
    assert northumbria and "checked" in northumbria.group(0)
    durham = re.search(r'<input[^>]*value="durham"[^>]*>', html)
    assert durham and "checked" not in durham.group(0)
    assert 'value="women_led"' in html
    for admin_only in ('name="name"', 'name="slug"', 'name="is_synthetic"', 'name="is_prime"'):
        assert admin_only not in html
    assert "Save changes" in html


def test_successful_edit_saves_everything_and_audits_the_diff(market: Market) -> None:
    client = client_for(market.users["member"])
    response = client.post(
        edit_url(market.alpha),
        valid_post(
            market,
            annual_income="£1,500,000",
            reserves_months="3",
            areas=["northumbria", "durham"],
            specialisms=["accommodation", "employment"],
            cohorts=[],
            led_by=["women_led", "lived_experience_led"],
            website="www.alpha.example",
            contact_email="team@alpha.example",
        ),
        follow=True,
    )
    assert response.status_code == 200
    assert "The profile of Alpha Housing Trust has been updated." in response.text
    alpha = Organisation.objects.get(pk=market.alpha.pk)
    assert alpha.annual_income == Decimal("1500000.00")
    assert alpha.size_band == "large"
    assert alpha.reserves_months == Decimal("3.0")
    assert sorted(alpha.areas.values_list("slug", flat=True)) == ["durham", "northumbria"]
    assert alpha.specialisms.count() == 2
    assert alpha.cohorts.count() == 0
    assert alpha.women_led and alpha.lived_experience_led and not alpha.user_led
    assert alpha.website == "https://www.alpha.example"

    event = AuditEvent.objects.get(action="update")
    assert event.actor == market.users["member"]
    assert event.target_type == "directory.Organisation"
    assert event.target_id == str(alpha.pk)
    assert event.changes == {
        "annual_income": {"from": "50000.00", "to": "1500000.00"},
        "size_band": {"from": "small", "to": "large"},
        "reserves_months": {"from": "6.5", "to": "3.0"},
        "areas": {"from": ["Northumbria"], "to": ["Durham", "Northumbria"]},
        "specialisms": {"from": ["Accommodation"], "to": ["Accommodation", "Employment"]},
        "cohorts": {"from": ["Women"], "to": []},
        "lived_experience_led": {"from": False, "to": True},
        "website": {"from": "https://alpha.example", "to": "https://www.alpha.example"},
        # The audit trail records that the address changed, never an address (issue 13 item 2).
        "contact_email": {
            "from": "(email address not recorded)",
            "to": "(email address not recorded)",
        },
    }


def test_saving_without_changes_writes_no_audit_record(market: Market) -> None:
    client = client_for(market.users["member"])
    response = client.post(edit_url(market.alpha), valid_post(market), follow=True)
    assert "nothing was saved" in response.text
    assert not AuditEvent.objects.exists()


def test_site_admin_edit_is_audited_as_the_admin(market: Market) -> None:
    admin = market.users["site_admin"]
    client_for(admin).post(edit_url(market.alpha), valid_post(market, contact_name="Grace"))
    event = AuditEvent.objects.get(action="update")
    assert event.actor == admin
    assert event.changes == {"contact_name": {"from": "Ada Lovelace", "to": "Grace"}}


BAD_INPUT = [
    ({"annual_income": "-1"}, "annual_income", "Annual income must be £0 or more"),
    ({"annual_income": "lots"}, "annual_income", "Enter the annual income as a number of pounds"),
    ({"annual_income": ""}, "annual_income", "Enter the annual income"),
    (
        {"annual_income": "10000000000000"},
        "annual_income",
        "Annual income must be less than £1,000,000,000,000",
    ),
    ({"annual_income": "10.123"}, "annual_income", "Annual income must be in pounds and pence"),
    ({"reserves_months": "-2"}, "reserves_months", "Months of free reserves must be 0 or more"),
    ({"reserves_months": "121"}, "reserves_months", "Months of free reserves must be 120 or fewer"),
    ({"reserves_months": "4.25"}, "reserves_months", "at most one decimal place"),
    (
        {"reserves_months": "six"},
        "reserves_months",
        "Enter the months of free reserves as a number",
    ),
    ({"contact_email": "not-an-email"}, "contact_email", "Enter an email address in the correct"),
    ({"website": "ftp://alpha.example"}, "website", "starting with http:// or https://"),
    ({"website": "javascript:alert(1)"}, "website", "starting with http:// or https://"),
    ({"contact_phone": "call me"}, "contact_phone", "Enter a telephone number"),
    ({"contact_phone": "123"}, "contact_phone", "Enter a telephone number"),
    ({"areas": []}, "areas", "Select at least one area the organisation serves"),
    ({"areas": ["atlantis"]}, "areas", "is not an area on the list"),
    ({"specialisms": ["alchemy"]}, "specialisms", "is not a specialism on the list"),
    ({"led_by": ["dragon_led"]}, "led_by", "is not one of the options"),
    ({"org_type": "guild"}, "org_type", "Select the type of organisation from the list"),
    ({"description": "x" * 5001}, "description", "Description must be 5,000 characters or fewer"),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_INPUT)
def test_bad_input_is_explained_next_to_the_field_and_nothing_is_saved(
    market: Market, changes: dict[str, Any], field: str, message: str
) -> None:
    before = profile_state(market.alpha)
    # Other, valid changes in the same submission must not be saved either.
    data = valid_post(market, contact_name="Someone Else", cohorts=["young-adults"], **changes)
    if changes.get(field) == []:
        data.pop(field)  # an empty checkbox group sends nothing
    response = client_for(market.users["member"]).post(edit_url(market.alpha), data)
    assert response.status_code == 200
    html = response.text
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Error: Edit profile" in html
    assert "govuk-error-summary" in html
    anchor = response.context["form"][field].auto_id  # checkboxes: the first option
    assert f'href="#{anchor}">' in html  # the summary links to the field…
    assert f'id="{anchor}"' in html  # …which exists…
    assert f'id="{anchor}_1_error"' in html  # …and has its message next to it
    assert message in html
    assert len(response.context["form"].errors[field]) == 1  # one clear message, not repeats
    assert profile_state(market.alpha) == before
    assert not AuditEvent.objects.exists()


def test_failure_half_way_through_the_save_leaves_no_partial_change(
    market: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The row and many-to-many values are written before the audit record: if that fails, the
    transaction rolls all of it back."""
    before = profile_state(market.alpha)

    def broken_record(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit_services, "record", broken_record)
    form = OrganisationProfileForm(
        data=valid_post(
            market, description="Half-saved?", areas=["durham"], specialisms=["employment"]
        ),
        instance=market.alpha,
    )
    assert form.is_valid(), form.errors
    with pytest.raises(RuntimeError):
        services.update_organisation(market.users["member"], market.alpha, form.service_data())
    assert profile_state(market.alpha) == before


def test_failure_half_way_through_the_web_request_saves_nothing(
    market: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = profile_state(market.alpha)

    def broken_record(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit_services, "record", broken_record)
    client = client_for(market.users["member"])
    client.raise_request_exception = False
    response = client.post(
        edit_url(market.alpha), valid_post(market, description="x", areas=["durham"])
    )
    assert response.status_code == 500
    assert profile_state(market.alpha) == before


def test_service_refuses_fields_members_cannot_change(market: Market) -> None:
    with pytest.raises(ValueError, match="is_synthetic, name"):
        services.update_organisation(
            market.users["member"], market.alpha, {"name": "Renamed", "is_synthetic": True}
        )
    assert Organisation.objects.get(pk=market.alpha.pk).name == "Alpha Housing Trust"


def test_posting_admin_only_fields_changes_nothing_of_them(market: Market) -> None:
    client = client_for(market.users["member"])
    client.post(
        edit_url(market.alpha),
        valid_post(
            market, name="Renamed", slug="renamed", is_synthetic="on", is_commissioning_body="on"
        ),
    )
    alpha = Organisation.objects.get(pk=market.alpha.pk)
    assert (alpha.name, alpha.slug, alpha.is_synthetic, alpha.is_commissioning_body) == (
        "Alpha Housing Trust",
        "alpha-housing-trust",
        False,
        False,
    )


def test_edit_page_structure_one_h1_unique_ids_labelled_fields(market: Market) -> None:
    client = client_for(market.users["member"])
    for response in (
        client.get(edit_url(market.alpha)),
        client.post(edit_url(market.alpha), valid_post(market, annual_income="-1", areas=[])),
    ):
        html = response.text
        assert html.count("<h1") == 1
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
        labels = set(re.findall(r'<label[^>]*\sfor="([^"]+)"', html))
        fields = set(re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', html))
        hidden = set(re.findall(r'<input type="hidden"[^>]*\sid="([^"]+)"', html))
        assert fields - hidden <= labels  # every input a person fills in has a label
