"""Criteria library picking (EVA-2, EVA-3), disqualifying minimum scores declared in advance
(Procurement Act 2023 s.23(3)), the declared price method (EVA-4) and the public criteria table
that shows them."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.evaluation.scales import evaluator_guidance, library_entry
from commissioning.procurement import services_criteria
from commissioning.procurement.models import Criterion, Opportunity
from commissioning_analytics.scoring.library import LIBRARY, LIBRARY_BY_ID, PRICE
from tests.factories import CommissioningBodyFactory, OrganisationFactory, member_of
from tests.procurement_factories import (
    CriterionFactory,
    DraftOpportunityFactory,
    commissioner_of,
    open_opportunity,
)

pytestmark = pytest.mark.django_db

SCALE_TEXT = "0 Unacceptable / 25 Poor / 50 Acceptable / 75 Good / 100 Excellent"


def _client(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _url(name: str, opportunity: Opportunity, *args: object) -> str:
    return reverse(f"procurement:{name}", args=[opportunity.reference, *args])


@pytest.fixture
def draft() -> Opportunity:
    return DraftOpportunityFactory()


@pytest.fixture
def client(draft: Opportunity) -> Client:
    return _client(commissioner_of(draft))


# --- The library page ------------------------------------------------------------------------


def test_library_page_lists_every_entry_with_guidance_and_scale(
    draft: Opportunity, client: Client
) -> None:
    response = client.get(_url("criterion-library", draft))
    assert response.status_code == 200
    text = response.content.decode()
    assert '<h1 class="govuk-heading-l">Add a criterion from the library</h1>' in text
    for entry in (*LIBRARY, PRICE):
        assert escape(entry.name) in text
        assert escape(entry.guidance_for_bidders) in text
        assert escape(entry.guidance_for_evaluators) in text
        assert f'value="{entry.id}"' in text  # offered in the form
    assert SCALE_TEXT in text
    assert "EVA-3" not in text and "What it covers" not in text  # no requirement IDs (item 23)
    assert "Scored by the published price method; no minimum score" in text


def test_library_page_permissions() -> None:
    draft = DraftOpportunityFactory()
    url = _url("criterion-library", draft)
    assert _client().get(url).status_code == 302  # sign in first
    outsiders = [
        member_of(OrganisationFactory()),
        member_of(CommissioningBodyFactory(), role=User.Role.COMMISSIONER),
    ]
    for user in outsiders:  # a draft does not exist for them
        assert _client(user).get(url).status_code == 404
    published = open_opportunity()
    for user in outsiders:
        assert _client(user).get(_url("criterion-library", published)).status_code == 403
    # Published criteria no longer change, even for the body's commissioners.
    own = _client(commissioner_of(published))
    assert own.get(_url("criterion-library", published)).status_code == 404
    entry = LIBRARY[0].id
    assert (
        own.post(_url("criterion-library", published), {"entry": entry, "weight": "5"}).status_code
        == 404
    )


def test_picking_creates_the_criterion_with_library_fields_and_audits(
    draft: Opportunity, client: Client
) -> None:
    entry = LIBRARY_BY_ID["vcs-track-record"]
    response = client.post(
        _url("criterion-library", draft), {"entry": entry.id, "weight": "15", "minimum": "50"}
    )
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url() + "#criteria"
    criterion = Criterion.objects.get(opportunity=draft)
    assert criterion.library_id == "vcs-track-record"
    assert criterion.name == entry.name
    assert criterion.kind == Criterion.Kind.QUALITY
    assert criterion.guidance == entry.guidance_for_bidders
    assert criterion.weight == Decimal(15)
    assert criterion.minimum == 50
    event = AuditEvent.objects.get(action="criterion.create")
    assert "library_id" in str(event.changes) and "vcs-track-record" in str(event.changes)
    # Evaluators get the entry's guidance by its id.
    assert library_entry(criterion) == entry
    assert evaluator_guidance(criterion) == entry.guidance_for_evaluators
    # The page marks it added and no longer offers it.
    page = client.get(_url("criterion-library", draft)).content.decode()
    assert "Already added" in page
    assert f'value="{entry.id}"' not in page
    again = client.post(_url("criterion-library", draft), {"entry": entry.id, "weight": "5"})
    assert again.status_code == 200
    assert again.context["form"].errors["entry"] == [
        "Choose a criterion from the library that is not already added"
    ]
    assert Criterion.objects.filter(opportunity=draft).count() == 1


def test_picking_a_social_value_entry_and_price(draft: Opportunity, client: Client) -> None:
    url = _url("criterion-library", draft)
    assert client.post(url, {"entry": "neighbourhood-impact", "weight": "20"}).status_code == 302
    assert client.post(url, {"entry": "price", "weight": "30"}).status_code == 302
    kinds = dict(Criterion.objects.filter(opportunity=draft).values_list("library_id", "kind"))
    assert kinds == {"neighbourhood-impact": "social_value", "price": "price"}
    assert Criterion.objects.get(library_id="neighbourhood-impact").minimum is None


def test_library_weight_validation(draft: Opportunity, client: Client) -> None:
    CriterionFactory(opportunity=draft, name="Price", kind="price", weight=Decimal(40))
    CriterionFactory(opportunity=draft, name="Delivery", kind="quality", weight=Decimal(55))
    url = _url("criterion-library", draft)
    over = client.post(url, {"entry": "service-model", "weight": "10"})
    assert over.status_code == 200
    assert over.context["form"].errors["weight"] == [
        "The weights would add up to 105%; they cannot exceed 100%"
    ]
    assert "<title>Error:" in over.content.decode()
    social = client.post(url, {"entry": "social-value-model", "weight": "5"})
    assert social.context["form"].errors["weight"] == [
        "Social value would carry 5% of the total; it must carry at least 10%"
    ]
    blank = client.post(url, {"entry": "", "weight": ""})
    assert blank.context["form"].errors == {
        "entry": ["Choose a criterion from the library"],
        "weight": ["Enter the weight as a percentage"],
    }
    zero = client.post(url, {"entry": "service-model", "weight": "0"})
    assert zero.context["form"].errors["weight"] == ["The weight must be more than 0%"]
    assert Criterion.objects.filter(opportunity=draft).count() == 2


def test_library_minimum_validation(draft: Opportunity, client: Client) -> None:
    url = _url("criterion-library", draft)
    off_scale = client.post(url, {"entry": "service-model", "weight": "20", "minimum": "60"})
    assert off_scale.context["form"].errors["minimum"] == [
        "The minimum score must be one of the scale's scores: 25 (Poor), 50 (Acceptable), "
        "75 (Good), 100 (Excellent)"
    ]
    on_price = client.post(url, {"entry": "price", "weight": "20", "minimum": "50"})
    assert on_price.status_code == 200
    assert on_price.context["form"].errors["minimum"] == [
        "Price cannot have a minimum score: it is scored by the published price method. "
        "Leave the minimum blank"
    ]
    assert not Criterion.objects.filter(opportunity=draft).exists()


# --- The free-form criterion form ----------------------------------------------------------------


def test_free_form_criterion_saves_a_minimum(draft: Opportunity, client: Client) -> None:
    url = _url("criterion-create", draft)
    data = {"name": "Safeguarding", "kind": "quality", "weight": "20", "minimum": "75"}
    assert client.post(url, data).status_code == 302
    criterion = Criterion.objects.get(opportunity=draft)
    assert criterion.minimum == 75 and criterion.library_id == ""
    edit = client.get(_url("criterion-edit", draft, criterion.pk)).content.decode()
    assert re.search(r'value="75"\s+checked="checked"', edit)
    # Clearing it on edit removes the minimum.
    data["minimum"] = ""
    assert client.post(_url("criterion-edit", draft, criterion.pk), data).status_code == 302
    criterion.refresh_from_db()
    assert criterion.minimum is None
    assert AuditEvent.objects.filter(action="criterion.update").exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"name": "Price", "kind": "price", "weight": "30", "minimum": "25"},
            "minimum",
            "Price cannot have a minimum score: it is scored by the published price method. "
            "Leave the minimum blank",
        ),
        (
            {"name": "Quality", "kind": "quality", "weight": "30", "minimum": "40"},
            "minimum",
            "The minimum score must be one of the scale's scores: 25 (Poor), 50 (Acceptable), "
            "75 (Good), 100 (Excellent)",
        ),
        (
            {"name": "Quality", "kind": "quality", "weight": "30", "minimum": "0"},
            "minimum",
            "The minimum score must be one of the scale's scores: 25 (Poor), 50 (Acceptable), "
            "75 (Good), 100 (Excellent)",
        ),
    ],
)
def test_free_form_minimum_errors(
    draft: Opportunity, client: Client, data: dict[str, str], field: str, message: str
) -> None:
    response = client.post(_url("criterion-create", draft), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert "<title>Error:" in response.content.decode()
    assert not Criterion.objects.filter(opportunity=draft).exists()


def test_a_price_criterion_cannot_gain_a_minimum_by_editing(
    draft: Opportunity, client: Client
) -> None:
    price = CriterionFactory(opportunity=draft, name="Price", kind="price", weight=Decimal(30))
    data = {"name": "Price", "kind": "price", "weight": "30", "minimum": "50"}
    response = client.post(_url("criterion-edit", draft, price.pk), data)
    assert response.status_code == 200
    assert "minimum" in response.context["form"].errors
    price.refresh_from_db()
    assert price.minimum is None


def test_only_one_price_criterion(draft: Opportunity, client: Client) -> None:
    CriterionFactory(opportunity=draft, name="Price", kind="price", weight=Decimal(30))
    response = client.post(
        _url("criterion-create", draft), {"name": "Cost", "kind": "price", "weight": "10"}
    )
    assert response.context["form"].errors["kind"] == [
        "This opportunity already has a price criterion; it can have only one"
    ]


def test_the_service_refuses_a_price_minimum_whatever_the_caller(draft: Opportunity) -> None:
    user = commissioner_of(draft)
    with pytest.raises(ValidationError) as refused:
        services_criteria.save_criterion(
            user, draft, {"name": "Price", "kind": "price", "weight": Decimal(30), "minimum": 50}
        )
    assert "minimum" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services_criteria.add_from_library(user, draft, "no-such-entry", Decimal(10))
    assert not Criterion.objects.filter(opportunity=draft).exists()


def test_library_entry_falls_back_to_the_name() -> None:
    typed = CriterionFactory(name="  neighbourhood IMPACT ", library_id="")
    assert library_entry(typed) == LIBRARY_BY_ID["neighbourhood-impact"]
    renamed = CriterionFactory(name="Local benefits", library_id="neighbourhood-impact")
    assert library_entry(renamed) == LIBRARY_BY_ID["neighbourhood-impact"]
    unknown = CriterionFactory(name="Something else", library_id="retired-entry")
    assert library_entry(unknown) is None
    assert evaluator_guidance(unknown) == ""


# --- Price method ----------------------------------------------------------------------------


def test_price_method_is_chosen_while_draft_and_audited(draft: Opportunity, client: Client) -> None:
    url = _url("price-method", draft)
    page = client.get(url)
    assert page.status_code == 200
    assert "Price per quality point" in page.content.decode()
    bad = client.post(url, {"price_method": "cheapest_wins"})
    assert bad.status_code == 200
    assert "price_method" in bad.context["form"].errors
    assert client.post(url, {"price_method": "price_per_quality_point"}).status_code == 302
    draft.refresh_from_db()
    assert draft.price_method == "price_per_quality_point"
    event = AuditEvent.objects.get(action="opportunity.price_method")
    assert "price_per_quality_point" in str(event.changes)
    published = open_opportunity()
    own = _client(commissioner_of(published))
    assert own.get(_url("price-method", published)).status_code == 404
    refused = own.post(_url("price-method", published), {"price_method": "price_per_quality_point"})
    assert refused.status_code == 404
    published.refresh_from_db()
    assert published.price_method == "relative_to_lowest"
    assert _client().get(url).status_code == 302
    outsider = member_of(CommissioningBodyFactory(), role=User.Role.COMMISSIONER)
    assert _client(outsider).get(url).status_code == 404


def test_the_service_refuses_an_unknown_price_method(draft: Opportunity) -> None:
    with pytest.raises(ValidationError):
        services_criteria.set_price_method(commissioner_of(draft), draft, "cheapest_wins")


# --- The public criteria table ---------------------------------------------------------------


def test_public_table_shows_minimum_scale_and_price_method() -> None:
    opportunity = open_opportunity(price_method="price_per_quality_point")
    quality = opportunity.criteria.get(kind="quality")
    quality.minimum = 50
    quality.save()
    text = Client().get(opportunity.get_absolute_url()).content.decode()
    assert "Bids scoring below 50 (Acceptable) are disqualified" in text
    assert "Procurement Act 2023 s.23(3)" in text
    assert "Price is scored by price per quality point" in text
    assert "level-playing-field adjustment" in text
    assert "The scoring scale for quality and social value" in text
    for descriptor in ("Unacceptable", "Poor", "Acceptable", "Good", "Excellent"):
        assert f'<dd class="govuk-summary-list__value">{descriptor}</dd>' in text
    # No management links for the public.
    assert _url("criterion-library", opportunity) not in text
    assert _url("price-method", opportunity) not in text


def test_draft_table_links_to_the_library_and_price_method(
    draft: Opportunity, client: Client
) -> None:
    text = client.get(draft.get_absolute_url()).content.decode()
    assert _url("criterion-library", draft) in text
    assert _url("price-method", draft) in text
    assert "Price is scored relative to the lowest price" in text
