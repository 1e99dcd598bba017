"""Organisation profile pages /directory/<slug>/ (MKT-1)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import Membership
from commissioning.exercises.models import CommissioningExercise
from tests.factories import ExerciseFactory, OrganisationFactory, client_for
from tests.integration.test_directory_support import (
    ROLES,
    Market,
    add_users,
    build_market,
    make_member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def market() -> Market:
    return add_users(build_market())


def profile_url(slug: str) -> str:
    return reverse("directory:organisation", args=[slug])


def test_anonymous_visitor_sees_the_whole_public_profile(client: Client, market: Market) -> None:
    market.alpha.contact_email = "hello@alpha.example"
    market.alpha.company_number = "09876543"
    market.alpha.save()
    response = client.get(profile_url("alpha-housing-trust"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "<title>Alpha Housing Trust",
        '<h1 class="govuk-heading-l">Alpha Housing Trust</h1>',
        "Voluntary or community sector charity",
        "Small (£10,000 to £100,000)",
        "£50,000",
        "6.5 months",
        "Northumbria",
        "Accommodation",
        "Women",
        "Women-led",
        "Supported housing for women leaving prison.",
        "Ada Lovelace",
        'href="mailto:hello@alpha.example"',
        "0191 496 0000",
        'href="https://alpha.example"',
        "1234567",
        "09876543",
    ):
        assert text in html, text
    assert "Edit profile" not in html
    assert "Manage members" not in html
    assert "Synthetic</strong>" not in html.split('id="main-content"')[1].split("<h1")[0]


def test_prime_flag_and_synthetic_tag(client: Client, market: Market) -> None:
    gamma = client.get(profile_url("gamma-national-services")).content.decode()
    assert "Prime contractor</strong>" in gamma
    assert "£20,000,000" in gamma
    epsilon = client.get(profile_url("epsilon-london-link")).content.decode()
    assert '<strong class="govuk-tag govuk-tag--orange">Synthetic</strong>' in epsilon


def test_unknown_slug_is_404(client: Client, market: Market) -> None:
    assert client.get(profile_url("no-such-organisation")).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_edit_link_only_for_those_who_can_edit(market: Market, role: str) -> None:
    html = client_for(market.users[role]).get(profile_url(market.alpha.slug)).content.decode()
    edit_url = reverse("directory:edit", args=[market.alpha.slug])
    assert (edit_url in html) is (role in {"member", "site_admin"})


def test_members_link_for_organisation_administrators(market: Market) -> None:
    members_url = reverse("accounts:members", args=[market.alpha.slug])
    site_admin = client_for(market.users["site_admin"])
    # The support team verifies the first member only of an organisation that never had one
    # (ADR 0009); this one has an approved member, though no administrator ...
    assert members_url not in site_admin.get(profile_url("alpha-housing-trust")).text
    Membership.objects.filter(organisation=market.alpha).delete()
    assert members_url not in site_admin.get(profile_url("alpha-housing-trust")).text
    never_had_one = OrganisationFactory(name="Never Had One Trust")
    assert members_url.replace("alpha-housing-trust", never_had_one.slug) in (
        site_admin.get(profile_url(never_had_one.slug)).text
    )
    org_admin = make_member(market.alpha, "orgadmin", is_org_admin=True)
    assert members_url in client_for(org_admin).get(profile_url("alpha-housing-trust")).text
    # ... then only its own administrators decide who joins (issue 11 item 2).
    assert members_url not in site_admin.get(profile_url("alpha-housing-trust")).text
    assert (
        members_url
        not in client_for(market.users["member"]).get(profile_url("alpha-housing-trust")).text
    )


def test_commissioning_body_shows_tier_and_its_exercises(client: Client, market: Market) -> None:
    led = ExerciseFactory(
        reference="CX-NB-0001",
        title="Women's centre services",
        commissioning_body=market.body,
        service_area=market.accommodation,
        areas=[market.northumbria],
        stage="procure",
    )
    other_body = ExerciseFactory(reference="CX-OTHER-0001", service_area=market.employment)
    other_body.partners.add(market.body)
    html = client.get(profile_url(market.body.slug)).content.decode()
    assert "Commissioning body" in html
    assert "Local" in html  # the tier
    assert "Police and Crime Commissioner" in html  # the kind of public body
    assert f'href="{reverse("exercises:detail", args=[led.reference])}"' in html
    assert "Women&#x27;s centre services" in html
    assert "Procure" in html
    assert "Exercises it joins as a commissioning partner" in html
    assert f'href="{reverse("exercises:detail", args=["CX-OTHER-0001"])}"' in html


def test_commissioning_body_without_exercises(client: Client, market: Market) -> None:
    assert not CommissioningExercise.objects.exists()
    html = client.get(profile_url(market.body.slug)).content.decode()
    assert "does not run any commissioning exercises" in html


def test_provider_profile_has_no_exercises_section(client: Client, market: Market) -> None:
    assert "Commissioning exercises</h2>" not in client.get(profile_url("beta-employment-cic")).text


def test_zero_income_and_pence_are_formatted(client: Client, market: Market) -> None:
    market.beta.annual_income = Decimal("1234.50")
    market.beta.reserves_months = Decimal("1.0")
    market.beta.save()
    html = client.get(profile_url("beta-employment-cic")).content.decode()
    assert "£1,234.50" in html
    assert "1 month of expenditure<" in html


def test_pending_member_sees_no_edit_link(market: Market) -> None:
    membership = Membership.objects.get(user=market.users["pending_member"])
    assert membership.status == Membership.Status.PENDING
    html = client_for(market.users["pending_member"]).get(profile_url("alpha-housing-trust")).text
    assert "Edit profile" not in html
