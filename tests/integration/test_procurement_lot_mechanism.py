"""A lot's payment mechanism built at tender time with the contract's builder (issue 15, PBR-1,
PBR-2, PRO-9): the commissioner builds it with the same GOV.UK forms while the opportunity is a
draft, bidders read it (with the statement for the builder's default scenario) on the
opportunity page, it cannot change once published (forms and API alike), and the contract made
from the award starts from it with the winning prime and its consented sub-contractors in the
placeholders' places, giving the funders the same statement."""

from __future__ import annotations

import json
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.awards import services as awards
from commissioning.contracts.builder_forms import DEFAULT_SCENARIO
from commissioning.contracts.mechanism_builder import preview
from commissioning.procurement import services as procurement
from commissioning.procurement.models import Lot, Opportunity
from commissioning.procurement.services_editing import ACTION_LOT_MECHANISM
from commissioning_analytics.payments.builder import build_mechanism
from tests.factories import client_for, member_of
from tests.integration.awards_setup import award_setup
from tests.integration.test_awards_services import DECIDED, REASONS, STANDSTILL_ENDS
from tests.procurement_factories import commissioner_of, ready_opportunity

pytestmark = pytest.mark.django_db

STEPS = {
    "term": {
        "name": "Resettlement in the North",
        "commissioner_name": "The commissioner",
        "prime_name": "The winning bidder",
        "period": "quarter",
        "term_periods": "8",
        "payment_terms_days": "30",
    },
    "measure": {"measure_kind": "intermediate", "measure_description": "Settled accommodation"},
    "service-fee": {
        "annual_value": "250000",
        "frequency": "quarterly",
        "timing": "arrears",
        "at_risk_percent": "10",
        "at_risk_mode": "clawback",
        "at_risk_target": "45",
    },
    "outcomes": {
        "outcome_tariff": "300",
        "outcome_basis": "per_result",
        "group1": "Standard",
        "group1_tariff": "300",
        "group2": "High need",
        "group2_tariff": "750",
    },
    "volume-fees": {},
    "social-impact-bond": {},
    "subcontractors": {
        "sub1_name": "A housing partner",
        "sub1_fee_share": "30",
        "sub1_outcome_share": "30",
        "sub1_management_fee": "10",
    },
}
SCENARIO = {"scenario-referrals_per_year": "200", "scenario-outcome_rate": "40"}


def build_with_the_forms(client: Client, lot: Lot) -> None:
    """Answer every step of the lot's builder and save on check your answers."""
    args = [lot.opportunity.reference, lot.number]
    Lot.objects.filter(pk=lot.pk).update(duration_months=24)  # the term: 8 quarters
    start = client.get(reverse("lot_mechanism:build", args=args))
    assert start.status_code == 302
    for step, answers in STEPS.items():
        url = reverse("lot_mechanism:build-step", args=[*args, step])
        response = client.post(url, {**answers, **SCENARIO})
        assert response.status_code == 302, (step, response.content.decode()[:2000])
    check = reverse("lot_mechanism:build-check", args=args)
    page = client.get(check)
    assert page.status_code == 200
    assert "The winning bidder" in page.content.decode()
    saved = client.post(check, {"version": page.context["version"]})
    assert saved.status_code == 302, saved.content.decode()[:2000]


def test_built_at_tender_published_awarded_and_the_contract_pays_as_tendered() -> None:
    built: dict[str, Lot] = {}

    def prepare(opportunity: Opportunity, commissioner: User) -> None:
        lot = opportunity.lots.order_by("number").first()
        assert lot is not None
        build_with_the_forms(client_for(commissioner), lot)
        lot.refresh_from_db()
        built["lot"] = lot

    s = award_setup(before_publishing=prepare)
    lot = Lot.objects.get(pk=built["lot"].pk)
    tendered = lot.tendered_mechanism
    assert tendered is not None
    assert tendered["service_fee"]["annual_value"] == "250000.00"
    assert [p["name"] for p in tendered["parties"]] == [
        "The commissioner",
        "The winning bidder",
        "A housing partner",
    ]
    assert AuditEvent.objects.filter(action=ACTION_LOT_MECHANISM).count() == 1

    # Bidders and the public read it, with the statement for the default scenario.
    page = Client().get(s.opportunity.get_absolute_url()).content.decode()
    lot_preview = preview(tendered, DEFAULT_SCENARIO)
    assert "Payment mechanism as tendered" in page
    assert "With 200 referrals a year and an outcome rate of 40%" in page
    assert f"The funders pay {lot_preview.funders_paid} in all." in page
    assert "Build the payment mechanism" not in page

    with time_machine.travel(DECIDED, tick=False):
        award = awards.decide_award(s.commissioner, s.lot, REASONS)
    with time_machine.travel(STANDSTILL_ENDS, tick=False):
        # No outcome target is asked for: the tendered mechanism already sets its targets.
        contract = awards.create_contract(s.commissioner, award, date(2027, 2, 1))

    mechanism = contract.mechanism
    winner, sub = s.bidders[0], s.subcontractor
    assert [(p["name"], p["role"]) for p in mechanism["parties"]] == [
        (s.opportunity.exercise.commissioning_body.name, "commissioner"),
        (winner.name, "prime"),
        (sub.name, "subcontractor"),
    ]
    # The placeholder's terms give way to the consented sub-contractor's value a year.
    assert mechanism["supply_chain"] == [
        {"subcontractor": sub.slug, "service_fee_value": "60000.00"}
    ]
    assert mechanism["service_fee"]["at_risk"] == tendered["service_fee"]["at_risk"]
    assert mechanism["outcome_payments"] == tendered["outcome_payments"]
    assert mechanism["name"] == "Resettlement in the North (as tendered)"

    # The funders' statement is the tender's, to the penny, for the same scenario.
    contract_preview = preview(mechanism, DEFAULT_SCENARIO)
    assert contract_preview.funders_paid == lot_preview.funders_paid
    assert contract_preview.totals[0]["received"] == lot_preview.totals[0]["received"]
    assert contract_preview.totals[0]["paid"] == lot_preview.totals[0]["paid"]
    rows = {row["name"]: row for row in contract_preview.totals}
    # Eight quarters of £60,000 a year: £120,000 over the term.
    assert rows[sub.name]["received"] == "£120,000.00"

    detail = Client().get(contract.get_absolute_url()).content.decode()
    assert "Resettlement in the North (as tendered)" in detail


@pytest.fixture
def draft_lot() -> Lot:
    opportunity = ready_opportunity(lots=1)
    opportunity.lots.update(duration_months=24)  # the term of the mechanisms below: 8 quarters
    return opportunity.lots.get()


def test_after_publication_the_forms_and_the_api_refuse_a_change(draft_lot: Lot) -> None:
    opportunity = draft_lot.opportunity
    commissioner = commissioner_of(opportunity)
    client = client_for(commissioner)
    build_with_the_forms(client, draft_lot)
    draft_lot.refresh_from_db()
    before = draft_lot.tendered_mechanism
    procurement.publish(commissioner, opportunity)
    args = [opportunity.reference, draft_lot.number]

    step = client.post(
        reverse("lot_mechanism:build-step", args=[*args, "service-fee"]),
        {**STEPS["service-fee"], "annual_value": "999999", **SCENARIO},
        follow=True,
    )
    assert "cannot change once the opportunity is published" in step.content.decode()
    check = client.post(reverse("lot_mechanism:build-check", args=args), follow=True)
    assert "cannot change once the opportunity is published" in check.content.decode()
    imported = client.post(
        reverse("lot_mechanism:import", args=args),
        {"mechanism": json.dumps({**before, "name": "Changed"})},
        follow=True,
    )
    assert "cannot change once the opportunity is published" in imported.content.decode()

    url = reverse("api:lot_mechanism_put", args=args)
    changed = {**before, "name": "Changed"}
    response = client.put(url, json.dumps(changed), content_type="application/json")
    assert response.status_code == 409
    assert response.json()["errors"] == {
        "mechanism": [
            "The payment mechanism cannot change once the opportunity is published: bids are "
            "priced on it. Cancel the opportunity to tender a different one."
        ]
    }
    draft_lot.refresh_from_db()
    assert draft_lot.tendered_mechanism == before
    assert AuditEvent.objects.filter(action=ACTION_LOT_MECHANISM).count() == 1

    # Everyone reads it, in the API and as JSON.
    got = Client().get(reverse("api:lot_mechanism", args=args)).json()
    assert got["mechanism"] == before and got["changeable"] is False
    download = Client().get(reverse("lot_mechanism:json", args=args))
    assert json.loads(download.content) == before


def test_the_api_validates_checks_the_version_and_refuses_others(draft_lot: Lot) -> None:
    opportunity = draft_lot.opportunity
    commissioner = commissioner_of(opportunity)
    client = client_for(commissioner)
    args = [opportunity.reference, draft_lot.number]
    url = reverse("api:lot_mechanism_put", args=args)
    got = client.get(reverse("api:lot_mechanism", args=args)).json()
    assert got == {"lot": draft_lot.number, "mechanism": None, "version": "0", "changeable": True}
    # A draft is not seen by the public.
    assert Client().get(reverse("api:lot_mechanism", args=args)).status_code == 404

    invalid = client.put(url, json.dumps({"format_version": 1}), content_type="application/json")
    assert invalid.status_code == 422
    assert any("parties" in message for message in invalid.json()["errors"]["mechanism"])

    build_with_the_forms(client, draft_lot)
    draft_lot.refresh_from_db()
    document = draft_lot.tendered_mechanism
    assert document is not None
    changed = {**document, "name": "Resettlement, version 2"}
    stale = client.put(
        f"{url}?version={got['version']}", json.dumps(changed), content_type="application/json"
    )
    assert stale.status_code == 409
    assert "changed it on" in stale.json()["detail"]
    current = client.get(reverse("api:lot_mechanism", args=args)).json()["version"]
    saved = client.put(
        f"{url}?version={current}", json.dumps(changed), content_type="application/json"
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["mechanism"]["name"] == "Resettlement, version 2"

    outsider = client_for(member_of(opportunity.exercise.commissioning_body, User.Role.PROVIDER))
    assert outsider.put(url, json.dumps(changed), content_type="application/json").status_code in (
        403,
        404,
    )
    draft_lot.refresh_from_db()
    assert draft_lot.tendered_mechanism["name"] == "Resettlement, version 2"


def test_the_json_import_is_validated_like_a_contracts(draft_lot: Lot) -> None:
    opportunity = draft_lot.opportunity
    client = client_for(commissioner_of(opportunity))
    url = reverse("lot_mechanism:import", args=[opportunity.reference, draft_lot.number])
    page = client.post(url, {"mechanism": json.dumps({"format_version": 1})})
    assert page.status_code == 200
    assert "parties" in page.content.decode()
    draft_lot.refresh_from_db()
    assert draft_lot.tendered_mechanism is None


def test_the_lot_mechanism_endpoints_are_in_the_openapi_schema(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    operations = paths["/api/opportunities/{reference}/lots/{number}/mechanism"]
    assert set(operations) == {"get", "put"}
    assert set(operations["put"]["responses"]) == {"200", "401", "403", "404", "409", "422"}


def test_a_draft_older_than_anothers_save_is_refused_on_check_your_answers(
    draft_lot: Lot,
) -> None:
    opportunity = draft_lot.opportunity
    first = client_for(commissioner_of(opportunity))
    second = client_for(commissioner_of(opportunity))
    args = [opportunity.reference, draft_lot.number]
    for step, answers in STEPS.items():
        url = reverse("lot_mechanism:build-step", args=[*args, step])
        assert first.post(url, {**answers, **SCENARIO}).status_code == 302
    build_with_the_forms(second, draft_lot)
    draft_lot.refresh_from_db()
    saved_by_second = draft_lot.tendered_mechanism
    assert saved_by_second is not None

    check = reverse("lot_mechanism:build-check", args=args)
    page = first.get(check)
    refused = first.post(check, {"version": page.context["version"]})
    assert refused.status_code == 409
    assert "Someone changed this after you started editing" in refused.content.decode()
    assert "the payment mechanism" in refused.content.decode()
    assert AuditEvent.objects.filter(action=ACTION_LOT_MECHANISM).count() == 1
    # Having looked, saving again is deliberate.
    again = first.post(check, {"version": refused.context["version"]})
    assert again.status_code == 302
    assert AuditEvent.objects.filter(action=ACTION_LOT_MECHANISM).count() == 1


def test_a_term_other_than_the_lots_duration_is_refused_by_the_forms_and_the_api(
    draft_lot: Lot,
) -> None:
    """Issue 15: a lot of 36 months cannot be tendered on a mechanism of 8 quarters (24
    months): check your answers names the term step, and the API and the JSON import refuse
    the same document; nothing is saved."""
    Lot.objects.filter(pk=draft_lot.pk).update(duration_months=36)
    draft_lot.refresh_from_db()
    opportunity = draft_lot.opportunity
    client = client_for(commissioner_of(opportunity))
    args = [opportunity.reference, draft_lot.number]
    for step, answers in STEPS.items():
        url = reverse("lot_mechanism:build-step", args=[*args, step])
        assert client.post(url, {**answers, **SCENARIO}).status_code == 302
    check = reverse("lot_mechanism:build-check", args=args)
    page = client.get(check).content.decode()
    message = (
        "The mechanism&#x27;s term is 8 quarters (24 months), but the lot lasts 36 months: "
        "make it 12 quarters"
    )
    assert "The mechanism cannot be saved yet" in page and message in page
    assert reverse("lot_mechanism:build-step", args=[*args, "term"]) in page
    assert client.post(check).status_code == 200
    document = parse_and_build(STEPS)
    put = client.put(
        reverse("api:lot_mechanism_put", args=args),
        json.dumps(document),
        content_type="application/json",
    )
    assert put.status_code == 422
    assert put.json()["errors"]["mechanism"] == [
        "term_periods: The mechanism's term is 8 quarters (24 months), but the lot lasts "
        "36 months: make it 12 quarters"
    ]
    imported = client.post(
        reverse("lot_mechanism:import", args=args), {"mechanism": json.dumps(document)}
    )
    assert imported.status_code == 200 and message in imported.content.decode()
    draft_lot.refresh_from_db()
    assert draft_lot.tendered_mechanism is None
    # Twelve quarters fit.
    fitting = {**document, "term_periods": 12}
    put = client.put(
        reverse("api:lot_mechanism_put", args=args),
        json.dumps(fitting),
        content_type="application/json",
    )
    assert put.status_code == 200, put.content


def parse_and_build(steps: dict[str, dict[str, str]]) -> dict[str, object]:
    answers: dict[str, str] = {}
    for step_answers in steps.values():
        answers.update(step_answers)
    return build_mechanism(answers)
