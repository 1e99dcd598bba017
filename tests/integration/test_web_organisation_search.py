"""Choosing organisations without sending the whole directory (issue 11 item 21, PRO-7, PRO-11):
the sub-contractor picker offers providers only, found by name (search, then choose) with no
<option> list; the autocomplete's suggestions come from the right set; the exercise form's
partners and areas are a compact list of public bodies and areas, not 200 checkboxes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.accounts.organisation_search import suggest
from commissioning.bids import services
from commissioning.bids.forms import SubcontractorForm
from commissioning.bids.models import Subcontractor
from commissioning.directory.models import Organisation
from commissioning.exercises.forms import ExerciseForm
from tests.factories import OrganisationFactory
from tests.integration.test_bids_services import Setting
from tests.integration.test_bids_services import clock as clock
from tests.integration.test_bids_services import s as s

pytestmark = pytest.mark.django_db

PUBLIC = Organisation.OrgType.PUBLIC_SECTOR
TERMS = {
    "role": "Specialist service for women",
    "services": "One-to-one support",
    "referrals_per_year": "120",
    "value_per_year": "45000",
    "upfront_percent": "20",
    "payment_terms_days": "30",
}


@pytest.fixture
def crowd(s: Setting) -> dict[str, Any]:
    """200 providers, two with nearly the same name, and 60 public bodies (police, councils)."""
    OrganisationFactory.create_batch(200)
    return {
        "cic": OrganisationFactory(name="Riverside Recovery Collective"),
        "trust": OrganisationFactory(name="Riverside Recovery Trust"),
        "police": OrganisationFactory(name="Northshire Police", org_type=PUBLIC),
        "councils": OrganisationFactory.create_batch(60, org_type=PUBLIC),
    }


def _form(s: Setting, **data: str) -> SubcontractorForm:
    return SubcontractorForm({**TERMS, **data}, prime=s.prime_org)


def test_suggestions_come_from_the_right_set(s: Setting, crowd: dict[str, Any]) -> None:
    assert [o["name"] for o in suggest("providers", "riverside recovery")] == [
        "Riverside Recovery Collective",
        "Riverside Recovery Trust",
    ]
    assert suggest("providers", "Northshire Police") == []
    assert suggest("public-bodies", "northshire p") == [
        {"name": "Northshire Police", "slug": "northshire-police"}
    ]
    assert suggest("public-bodies", "riverside recovery") == []
    assert suggest("providers", "w") == []  # two characters at least
    assert len(suggest("providers", "test charity")) == 10

    client = Client()
    answer = client.get(
        reverse("web:organisation-suggest"), {"set": "providers", "q": "Recovery T"}
    )
    assert answer.json() == {
        "results": [{"name": "Riverside Recovery Trust", "slug": "riverside-recovery-trust"}]
    }
    refused = client.get(reverse("web:organisation-suggest"), {"set": "everyone", "q": "Onward"})
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("Unknown set of organisations")


def test_a_sub_contractor_is_found_by_its_exact_name_or_slug(
    s: Setting, crowd: dict[str, Any]
) -> None:
    by_name = _form(s, organisation="  riverside recovery   TRUST ")
    assert by_name.is_valid(), by_name.errors
    assert by_name.cleaned_data["organisation"] == crowd["trust"]
    by_slug = _form(s, organisation="riverside-recovery-collective")  # what the API sends
    assert by_slug.is_valid(), by_slug.errors
    assert by_slug.cleaned_data["organisation"] == crowd["cic"]


def test_part_of_a_name_offers_the_matches_to_choose_from(
    s: Setting, crowd: dict[str, Any]
) -> None:
    form = _form(s, organisation="Riverside Recovery")
    assert not form.is_valid()
    assert form.errors["organisation"] == ["Choose the organisation you mean from the list"]
    html = str(form["organisation"])
    assert re.findall(r'name="organisation__choice" type="radio" value="([^"]+)"', html) == [
        "riverside-recovery-collective",
        "riverside-recovery-trust",
    ]
    chosen = _form(
        s, organisation="Riverside Recovery", organisation__choice="riverside-recovery-trust"
    )
    assert chosen.is_valid(), chosen.errors
    assert chosen.cleaned_data["organisation"] == crowd["trust"]


def test_public_bodies_and_the_prime_itself_cannot_be_sub_contractors(
    s: Setting, crowd: dict[str, Any]
) -> None:
    for name in ("Northshire Police", s.prime_org.name, "northshire-police"):
        form = _form(s, organisation=name)
        assert not form.is_valid()
        assert form.errors["organisation"][0].startswith("No name matches"), name


def test_the_page_lists_no_organisations_and_saves_the_one_chosen(
    s: Setting, crowd: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    bid = services.start_bid(s.prime, s.lot, s.prime_org)
    client = Client()
    client.force_login(s.prime)
    url = reverse("bids:subcontractor-add", args=[bid.pk])
    page = client.get(url).content.decode()
    # Every one of the 260 organisations was an <option> before (PRO-7 picker, 188 KB on the demo).
    assert Organisation.objects.count() > 260
    assert page.count("<option") == 0
    assert len(page.encode()) < 20_000
    assert 'data-module="app-organisation-search"' in page

    again = client.post(url, {**TERMS, "organisation": "Riverside Rec"}).content.decode()
    assert "Choose the organisation you mean from the list" in again
    assert again.count('name="organisation__choice"') == 2
    done = client.post(
        url,
        {
            **TERMS,
            "organisation": "Riverside Rec",
            "organisation__choice": "riverside-recovery-collective",
        },
    )
    assert done.status_code == 302
    assert Subcontractor.objects.get(bid=bid).organisation == crowd["cic"]


def test_the_exercise_form_offers_partners_and_areas_as_two_short_lists(
    s: Setting, crowd: dict[str, Any]
) -> None:
    html = str(ExerciseForm(user=s.commissioner)["partners"]) + str(
        ExerciseForm(user=s.commissioner)["areas"]
    )
    assert 'type="checkbox"' not in html
    assert html.count("<select") == 2 and 'data-module="app-choose-several"' in html
    partners = re.search(r'<select name="partners".*?</select>', html, re.DOTALL)
    assert partners is not None
    offered = set(re.findall(r'<option value="([^"]+)"', partners.group(0)))
    public = set(Organisation.objects.filter(org_type=PUBLIC).values_list("slug", flat=True))
    assert offered == public and "riverside-recovery-trust" not in offered
