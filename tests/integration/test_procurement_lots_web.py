"""Lots on the opportunity pages: areas, unique numbers, a turnover condition above twice the
value with its published justification (PRO-2), and the share of the fee paid on outcomes
(PBR-1), each refused alike by the form and the service (issue 11 items 5 and 19)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from commissioning.audit.models import AuditEvent
from commissioning.procurement import services, services_editing
from commissioning.procurement.lifecycle import TransitionError
from commissioning.procurement.models import Lot, Opportunity
from tests.factories import AreaFactory, client_for
from tests.procurement_factories import (
    DraftOpportunityFactory,
    ProcurementLotFactory,
    commissioner_of,
    ready_opportunity,
)

pytestmark = pytest.mark.django_db


def test_add_a_lot_with_areas() -> None:
    draft = DraftOpportunityFactory()
    area = AreaFactory()
    client = client_for(commissioner_of(draft))
    response = client.post(
        reverse("procurement:lot-create", args=[draft.reference]),
        {
            "number": 1,
            "title": "North",
            "areas": [area.slug],
            "estimated_annual_value": "250000",
            "duration_months": 24,
            "turnover_multiple": "1.5",
        },
    )
    assert response.status_code == 302
    lot = Lot.objects.get(opportunity=draft)
    assert list(lot.areas.all()) == [area]
    assert lot.turnover_multiple == Decimal("1.5")
    assert AuditEvent.objects.filter(action="lot.create").exists()


def _lot_post(area_slug: str, **extra: str) -> dict[str, object]:
    return {
        "number": 1,
        "title": "North",
        "areas": [area_slug],
        "estimated_annual_value": "250000",
        "duration_months": 24,
        "outcome_payment_percent": "0",
        **extra,
    }


def test_a_turnover_condition_above_twice_the_value_needs_a_justification_published_beside_it() -> (
    None
):
    """Issue 11 item 19 (PRO-2): the form and the service refuse a 3× turnover condition with no
    justification; once justified, the public page shows why, beside the condition."""
    draft = ready_opportunity(lots=0, not_divided_rationale="A single countywide service.")
    area = AreaFactory()
    commissioner = commissioner_of(draft)
    client = client_for(commissioner)
    url = reverse("procurement:lot-create", args=[draft.reference])

    refused = client.post(url, _lot_post(area.slug, turnover_multiple="3"))
    assert refused.status_code == 200
    assert refused.context["form"].errors["turnover_justification"] == [
        "Explain why the turnover condition is more than twice the annual value, or lower it"
    ]
    assert not Lot.objects.filter(opportunity=draft).exists()
    with pytest.raises(ValidationError) as info:
        services_editing.save_lot(
            commissioner,
            draft,
            {**_lot_post(area.slug), "areas": [area], "turnover_multiple": Decimal(3)},
        )
    assert list(info.value.message_dict) == ["turnover_justification"]
    assert not Lot.objects.filter(opportunity=draft).exists()

    why = "The lot holds a £5m pooled housing fund that the provider must underwrite."
    saved = client.post(
        url, _lot_post(area.slug, turnover_multiple="3", turnover_justification=why)
    )
    assert saved.status_code == 302
    assert Lot.objects.get(opportunity=draft).turnover_justification == why
    services.publish(commissioner, draft)
    page = Client().get(draft.get_absolute_url()).content.decode()
    condition = page.index("Turnover at least 3× the annual value")
    assert page.index(f"Why more than twice the annual value: {why}") > condition
    assert page.index(f"Why more than twice the annual value: {why}") < page.index(
        "No free reserves condition"
    )


def test_an_unjustified_turnover_condition_blocks_publication() -> None:
    """Issue 11 item 19 (PRO-2): a lot saved before the rule (or by a factory) is caught."""
    draft = ready_opportunity(lots=1)
    draft.lots.update(turnover_multiple=Decimal("2.5"))
    lot = draft.lots.get()
    problem = (
        f"Lot {lot.number} “{lot.title}”: explain why its turnover condition is more than twice "
        "the annual value, or lower it."
    )
    assert problem in services.publish_problems(draft)
    with pytest.raises(TransitionError):
        services.publish(commissioner_of(draft), draft)
    draft.refresh_from_db()
    assert draft.status == Opportunity.Status.DRAFT
    draft.lots.update(turnover_multiple=Decimal(2))
    assert problem not in services.publish_problems(draft)


def test_duplicate_lot_number_is_refused_next_to_the_field() -> None:
    draft = DraftOpportunityFactory()
    ProcurementLotFactory(opportunity=draft, number=1)
    area = AreaFactory()
    response = client_for(commissioner_of(draft)).post(
        reverse("procurement:lot-create", args=[draft.reference]),
        {
            "number": 1,
            "title": "Again",
            "areas": [area.slug],
            "estimated_annual_value": "1000",
            "duration_months": 12,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["number"] == ["Lot 1 already exists"]
    assert response.context["title"] == "Add a lot"


def test_a_lot_states_its_share_of_the_fee_paid_on_outcomes_before_publication() -> None:
    """Issue 11 item 5 (PBR-1): the share of the fee paid on outcomes is a number on the lot,
    refused out of range by the form and the service alike, required before publication, and
    published beside the payment model summary."""
    draft = ready_opportunity(lots=0, not_divided_rationale="A single countywide service.")
    area = AreaFactory()
    commissioner = commissioner_of(draft)
    client = client_for(commissioner)
    url = reverse("procurement:lot-create", args=[draft.reference])
    range_error = "Enter the share of the fee paid on outcomes as a percentage from 0 to 100"
    for bad in ("101", "-5"):
        refused = client.post(url, _lot_post(area.slug, outcome_payment_percent=bad))
        assert refused.status_code == 200
        assert refused.context["form"].errors["outcome_payment_percent"] == [range_error]
    refused = client.post(url, _lot_post(area.slug, outcome_payment_mode="sometimes"))
    assert "outcome_payment_mode" in refused.context["form"].errors
    base = {**_lot_post(area.slug), "areas": [area], "outcome_payment_percent": None}
    for data, field in (
        ({"outcome_payment_percent": Decimal(101)}, "outcome_payment_percent"),
        ({"outcome_payment_percent": Decimal("10.005")}, "outcome_payment_percent"),
        ({"outcome_payment_mode": "sometimes"}, "outcome_payment_mode"),
    ):
        with pytest.raises(ValidationError) as info:
            services_editing.save_lot(commissioner, draft, {**base, **data})
        assert list(info.value.message_dict) == [field]
    assert not Lot.objects.filter(opportunity=draft).exists()

    summary = "A fixed fee with 10% paid on outcomes achieved."
    saved = client.post(
        url, _lot_post(area.slug, payment_model_summary=summary, outcome_payment_percent="")
    )
    assert saved.status_code == 302
    lot = Lot.objects.get(opportunity=draft)
    assert lot.outcome_payment_percent is None
    problem = "Lot 1 “North”: state what share of the fee is paid on outcomes (0 for a fixed fee)."
    assert problem in services.publish_problems(draft)
    with pytest.raises(TransitionError):
        services.publish(commissioner, draft)

    edit = reverse("procurement:lot-edit", args=[draft.reference, lot.number])
    saved = client.post(
        edit,
        _lot_post(
            area.slug,
            payment_model_summary=summary,
            outcome_payment_percent="10",
            outcome_payment_mode="clawback",
        ),
    )
    assert saved.status_code == 302
    lot.refresh_from_db()
    assert (lot.outcome_payment_percent, lot.outcome_payment_mode) == (Decimal(10), "clawback")
    assert problem not in services.publish_problems(draft)
    services.publish(commissioner, draft)
    page = Client().get(draft.get_absolute_url()).content.decode()
    stated = (
        "10% of the fee is paid on outcomes: paid with the fee, and repaid if the outcome "
        "target is missed."
    )
    assert page.index(summary) < page.index(stated) < page.index("Financial standing")
    api = Client().get(f"/api/opportunities/{draft.reference}").json()["lots"][0]
    assert (api["outcome_payment_percent"], api["outcome_payment_mode"]) == ("10.00", "clawback")
