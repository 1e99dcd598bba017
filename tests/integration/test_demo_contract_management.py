"""The demo's contract management (issue 15 item 4; SUP-3, SUP-4, EVA-3), labelled synthetic:
a mediation request in each state, social value commitments with two quarters reported, and a
supply-chain survey of the local supply chain's prime with five answers, whose results feed the
code-of-conduct evidence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from commissioning.contracts.models import ContractParty
from commissioning.delivery_checks.code_of_conduct import evidence_for
from commissioning.demo.contract_management import load_demo_contract_management
from commissioning.demo.contracts import load_demo_contracts
from commissioning.demo.referrals import bid_candy_party
from commissioning.demo.services import load_market
from commissioning.demo.supply_survey import load_demo_surveys
from commissioning.mediation.models import MediationRequest
from commissioning.social_value.services import pledged_against_delivered
from commissioning_analytics.market.synthetic import generate_market
from tests.factories import client_for

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 6)


def test_the_demo_has_mediations_social_value_and_a_survey_that_is_shown() -> None:
    load_market(generate_market(2026, 0.05), replace=False)
    load_demo_contracts(seed=2026)
    load_demo_surveys(today=TODAY)
    made = load_demo_contract_management()
    assert made == {"mediations": 4, "commitments": 2, "reports": 4}
    assert load_demo_contract_management() == made  # replaces, same again

    requests = MediationRequest.objects.order_by("requested_at")
    assert [r.status for r in requests] == ["resolved", "accepted", "declined", "requested"]
    assert all(r.is_synthetic for r in requests)
    resolved, accepted, declined, waiting = requests
    assert resolved.outcome.startswith("Synthetic demo data.") and resolved.concluded_at
    assert accepted.mediator and not accepted.outcome
    assert declined.decline_reason.startswith("Synthetic demo data.")
    assert waiting.decided_at is None
    contract = resolved.contract
    subs = contract.parties.filter(role=ContractParty.Role.SUBCONTRACTOR)
    assert subs.count() == 5
    assert len({r.subcontractor_id for r in requests}) == 4  # one open request per sub
    # The one waiting is the sub-contractor the referrals demo leaves without referrals.
    assert waiting.subcontractor == subs.get(party_id=bid_candy_party(contract)).organisation

    # Social value: two quarters reported of each commitment, the first accepted.
    tables = pledged_against_delivered(contract, TODAY)
    people, spend = tables
    assert [(row.label, row.delivered, row.status) for row in people.rows[:3]] == [
        (people.rows[0].label, Decimal("2.00"), "Accepted"),
        (people.rows[1].label, Decimal("1.00"), "Submitted"),
        (people.rows[2].label, None, ""),
    ]
    assert spend.rows[1].delivered_so_far == Decimal("28650.00")  # 16,250 + 12,400
    assert spend.rows[1].target_so_far == Decimal("30000.00")
    page = client_for(None).get(f"/contracts/{contract.reference}/social-value/")
    assert page.status_code == 200
    assert "£16,250.00" in page.content.decode()

    # The code-of-conduct evidence lists the mediations and the prime's shown survey.
    evidence = evidence_for(contract, TODAY)
    assert [m.status for m in evidence.mediations] == [
        "Resolved", "In mediation", "Declined", "Waiting for the independent reviewer",
    ]  # fmt: skip
    assert evidence.survey is not None and evidence.survey.shown
    assert (evidence.survey.year, evidence.survey.respondents) == (2025, 5)
    assert [c.figure for c in evidence.total.criteria if c.name.startswith("Survey")] == [
        # fair terms 4,3,5,4,2; prompt payment 4,2,4,2,3; monitoring 3,4,4,3,4; risk 3,2,3,4,2;
        # would recommend 4,3,5,4,2: answers of 4 or 5 agree.
        "3 of 5", "2 of 5", "3 of 5", "1 of 5", "3 of 5",
    ]  # fmt: skip
