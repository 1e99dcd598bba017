"""Bidding together (PRO-6): a consortium of three — a lead and two members with their roles and
shares of the work — each member consents as a sub-contractor does, the lead submits the sealed
bid, it is evaluated and awarded, and the award, the contract and the open data name all three.
The refusals: submitting before every member has confirmed, shares that do not add up to 100%,
and a member that is not a registered organisation, through the forms and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from commissioning.accounts.models import User
from commissioning.awards import services as awards
from commissioning.bids import consent, consortium, opening, services, submission
from commissioning.bids.content import COST_LINES
from commissioning.bids.models import Bid, ConsortiumMember
from commissioning.contracts.models import ContractParty
from commissioning.directory.models import Organisation
from commissioning.evaluation import services as evaluation
from commissioning.opendata.ocds.validate import validate_package
from commissioning.procurement import services as procurement
from commissioning.procurement.lifecycle import Status
from commissioning.procurement.models import Lot, Opportunity
from commissioning_analytics.timelines.working_days import LONDON
from tests.factories import OrganisationFactory, UserFactory, client_for, member_of
from tests.procurement_factories import commissioner_of, open_opportunity

pytestmark = pytest.mark.django_db
ANSWER = "Caseworkers with lived experience meet every person at the gate."
RATIONALE = "Agreed at moderation against the published scale descriptors."
REASONS = "Highest total on the published criteria; the price is sustainable for the term."
DECIDED = datetime(2026, 12, 22, 10, 0, tzinfo=LONDON)
STANDSTILL_ENDS = datetime(2027, 1, 6, 0, 0, tzinfo=LONDON)
TARGET = Decimal(60)


@dataclass
class Together:
    opportunity: Opportunity
    lot: Lot
    lead: Organisation
    lead_user: User
    members: list[Organisation]
    member_users: list[User]
    bid: Bid


def _prepared(lot: Lot, organisation: Organisation, user: User, price: str) -> Bid:
    bid = services.start_bid(user, lot, organisation)
    services.save_pricing(
        user,
        bid,
        price=Decimal(price),
        costs={key: Decimal(price) / len(COST_LINES) for key in COST_LINES},
        has_subsidy=False,
        subsidy_details="",
    )
    services.save_answers(user, bid, {str(c.pk): ANSWER for c in services.answerable_criteria(bid)})
    return bid


def _together(opportunity: Opportunity) -> Together:
    lot = opportunity.lots.order_by("number").first()
    assert lot is not None
    lead = OrganisationFactory(name="Northshire Resettlement Trust")
    members = [
        OrganisationFactory(name="Safe Homes for Women"),
        OrganisationFactory(name="Second Chance Mentors"),
    ]
    lead_user = member_of(lead)
    member_users = [member_of(org) for org in members]
    bid = _prepared(lot, lead, lead_user, "250000")
    consortium.set_lead(
        lead_user,
        bid,
        arrangement="consortium",
        lead_role="Case management and the contract's lead",
        lead_share=Decimal("50.00"),
    )
    consortium.add_member(lead_user, bid, members[0], role="Accommodation", share=Decimal("30.00"))
    consortium.add_member(lead_user, bid, members[1], role="Mentoring", share=Decimal("20.00"))
    return Together(opportunity, lot, lead, lead_user, members, member_users, bid)


def _open_for_bids() -> tuple[Opportunity, datetime]:
    opportunity = open_opportunity(published_at=datetime.now(tz=UTC) - timedelta(days=200))
    assert opportunity.bid_deadline is not None
    return opportunity, opportunity.bid_deadline - timedelta(days=1)


def _valid(package: dict[str, Any]) -> None:
    result = validate_package(package)
    assert result.error_count == 0, result.summary()


def test_a_consortium_of_three_bids_is_awarded_and_every_member_is_named() -> None:
    opportunity, before_deadline = _open_for_bids()
    commissioner = commissioner_of(opportunity)
    with time_machine.travel(before_deadline, tick=False):
        t = _together(opportunity)
        with pytest.raises(ValidationError) as waiting:
            submission.submit(t.lead_user, t.bid)
        assert waiting.value.messages == [
            "Safe Homes for Women has not yet confirmed it agrees to bid together.",
            "Second Chance Mentors has not yet confirmed it agrees to bid together.",
        ]
        for org, user in zip(t.members, t.member_users, strict=True):
            member = ConsortiumMember.objects.get(organisation=org)
            consent.answer(user, member, confirm=True)
        assert consortium.still_to_answer(t.bid) == []
        submission.submit(t.lead_user, t.bid)
        rival_org = OrganisationFactory(name="Women Onward CIC")
        rival = _prepared(t.lot, rival_org, member_of(rival_org), "300000")
        submission.submit(rival.organisation.memberships.get().user, rival)
    procurement.transition(commissioner, opportunity, Status.CLOSED)
    opening.open_bids(commissioner, opportunity)
    procurement.transition(commissioner, opportunity, Status.EVALUATION)

    # Evaluation shows every member beside the lead.
    page = client_for(commissioner).get(f"/bids/opportunities/{opportunity.reference}/{t.bid.pk}/")
    assert page.status_code == 200
    for name in ("Safe Homes for Women", "Second Chance Mentors", "30.00%", "20.00%"):
        assert name in page.content.decode()

    evaluator = UserFactory(role=User.Role.EVALUATOR)
    quality = opportunity.criteria.get(kind="quality")
    social = opportunity.criteria.get(kind="social_value")
    bids = [t.bid, rival]
    for criterion in (quality, social):
        evaluation.assign_evaluator(commissioner, criterion, evaluator)
    evaluation.declare_conflicts(
        evaluator, opportunity, {b.organisation_id: (False, "") for b in bids}
    )
    for criterion, values in ((quality, (75, 50)), (social, (50, 75))):
        assignment = criterion.evaluator_assignments.get(evaluator=evaluator)
        for bid, value in zip(bids, values, strict=True):
            evaluation.save_score(evaluator, assignment, bid, value, ANSWER)
        evaluation.submit_scores(evaluator, assignment)
    for criterion, values in ((quality, (75, 50)), (social, (50, 75))):
        for bid, value in zip(bids, values, strict=True):
            evaluation.moderate(commissioner, bid, criterion, value, RATIONALE)

    with time_machine.travel(DECIDED, tick=False):
        award = awards.decide_award(commissioner, t.lot, REASONS)
    assert award.winning_bid_id == t.bid.pk
    award_page = client_for(commissioner).get(f"/awards/{opportunity.reference}/")
    award_text = award_page.content.decode()
    for name in ("Northshire Resettlement Trust", "Safe Homes for Women", "Second Chance Mentors"):
        assert name in award_text

    with time_machine.travel(STANDSTILL_ENDS, tick=False):
        contract = awards.create_contract(
            commissioner, award, date(2027, 2, 1), outcome_target=TARGET
        )
    parties = {
        p.organisation.name: (p.role, p.role_as_bid, p.share_of_work)
        for p in contract.parties.exclude(role=ContractParty.Role.COMMISSIONER)
        if p.organisation is not None
    }
    assert parties == {
        "Northshire Resettlement Trust": (
            ContractParty.Role.PRIME,
            "Case management and the contract's lead",
            Decimal("50.00"),
        ),
        "Safe Homes for Women": (
            ContractParty.Role.CONSORTIUM_MEMBER,
            "Accommodation",
            Decimal("30.00"),
        ),
        "Second Chance Mentors": (
            ContractParty.Role.CONSORTIUM_MEMBER,
            "Mentoring",
            Decimal("20.00"),
        ),
    }
    contract_page = client_for(commissioner).get(contract.get_absolute_url())
    contract_text = contract_page.content.decode()
    for name in ("Safe Homes for Women", "Second Chance Mentors", "Consortium member"):
        assert name in contract_text

    client = client_for(None)
    awards_package = client.get(f"/api/opportunities/{opportunity.reference}/awards").json()
    uk6, uk7 = awards_package["releases"]
    for release in (uk6, uk7):
        suppliers = [s["name"] for s in release["awards"][0]["suppliers"]]
        assert suppliers == [
            "Northshire Resettlement Trust",
            "Safe Homes for Women",
            "Second Chance Mentors",
        ]
        roles = {p["name"]: p for p in release["parties"]}
        for name in suppliers:
            assert {"supplier", "tenderer"} <= set(roles[name]["roles"])
        assert roles["Northshire Resettlement Trust"]["roleDetails"].startswith("Lead of the")
        assert "30.00% of the work" in roles["Safe Homes for Women"]["roleDetails"]
        assert roles["Second Chance Mentors"]["roleDetails"].startswith(
            "Member of the consortium led by Northshire Resettlement Trust"
        )
    _valid(awards_package)
    contract_package = client.get(f"/api/contracts/{contract.reference}/ocds").json()
    _valid(contract_package)
    assert len(contract_package["releases"][0]["awards"][0]["suppliers"]) == 3


def test_shares_must_add_up_to_one_hundred_before_submission() -> None:
    opportunity, before_deadline = _open_for_bids()
    with time_machine.travel(before_deadline, tick=False):
        t = _together(opportunity)
        with pytest.raises(ValidationError) as over:
            consortium.add_member(
                t.lead_user,
                t.bid,
                OrganisationFactory(name="Third Member"),
                role="Housing",
                share=Decimal("0.01"),
            )
        assert over.value.message_dict == {
            "share": ["The shares would add up to 100.01%: together they must add up to 100%"]
        }
        second = ConsortiumMember.objects.get(organisation=t.members[1])
        consortium.remove_member(t.lead_user, second)
        for member in ConsortiumMember.objects.filter(consortium__bid=t.bid):
            consent.answer(t.member_users[0], member, confirm=True)
        with pytest.raises(ValidationError) as short:
            submission.submit(t.lead_user, t.bid)
        assert short.value.messages == [
            "The shares of the work add up to 80.00%: the lead's and members' shares must add "
            "up to 100%."
        ]
        assert t.bid.receipts.count() == 0


def test_the_api_refuses_what_the_forms_refuse_and_says_who_is_still_to_answer() -> None:
    opportunity, before_deadline = _open_for_bids()
    with time_machine.travel(before_deadline, tick=False):
        t = _together(opportunity)
        lead = client_for(t.lead_user)
        url = f"/api/bids/{t.bid.pk}"
        unknown = lead.post(
            f"{url}/consortium/members",
            {"organisation": "not-a-registered-charity", "role": "Housing", "share": "1"},
            content_type="application/json",
        )
        assert unknown.status_code == 400
        assert unknown.json()["errors"] == {
            "organisation": [
                "No name matches “not-a-registered-charity”: check the spelling, or enter part "
                "of the name"
            ]
        }
        extra = OrganisationFactory(name="Third Member")
        over = lead.post(
            f"{url}/consortium/members",
            {"organisation": extra.slug, "role": "Housing", "share": "5"},
            content_type="application/json",
        )
        assert over.status_code == 400
        assert over.json() == {
            "detail": "The shares would add up to 105.00%: together they must add up to 100%",
            "errors": {
                "share": ["The shares would add up to 105.00%: together they must add up to 100%"]
            },
        }
        detail = lead.get(url).json()["consortium"]
        assert detail["shares_total"] == "100.00"
        assert detail["still_to_answer"] == [m.slug for m in t.members]
        refused = lead.post(f"{url}/submit")
        assert refused.status_code == 400
        assert refused.json()["errors"]["__all__"] == [
            "Safe Homes for Women has not yet confirmed it agrees to bid together.",
            "Second Chance Mentors has not yet confirmed it agrees to bid together.",
        ]
        for member, user in zip(detail["members"], t.member_users, strict=True):
            answered = client_for(user).post(
                f"/api/bids/invitations/{member['id']}/answer",
                {"decision": "confirm"},
                content_type="application/json",
            )
            assert answered.status_code == 200
            assert answered.json()["consent"] == "confirmed"
        assert lead.get(url).json()["consortium"]["still_to_answer"] == []
        submitted = lead.post(f"{url}/submit")
        assert submitted.status_code == 201
        assert submitted.json()["reference"].startswith("BID-")


def test_the_pages_refuse_an_unregistered_member_and_submission_before_consent() -> None:
    opportunity, before_deadline = _open_for_bids()
    with time_machine.travel(before_deadline, tick=False):
        t = _together(opportunity)
        lead = client_for(t.lead_user)
        page = lead.post(
            f"/bids/{t.bid.pk}/together/new/",
            {"organisation": "Nowhere Unregistered Trust", "role": "Housing", "share": "1"},
        )
        assert page.status_code == 200
        assert "No name matches “Nowhere Unregistered Trust”" in page.content.decode()
        assert ConsortiumMember.objects.filter(consortium__bid=t.bid).count() == 2
        bid_page = lead.get(f"/bids/{t.bid.pk}/").content.decode()
        assert "Safe Homes for Women has not yet confirmed it agrees to bid together." in bid_page
        refused = lead.post(f"/bids/{t.bid.pk}/submit/").content.decode()
        assert "Second Chance Mentors has not yet confirmed it agrees to bid together." in refused
        assert t.bid.receipts.count() == 0
        member = ConsortiumMember.objects.get(organisation=t.members[0])
        invitation = client_for(t.member_users[0])
        shown = invitation.get(f"/bids/invitations/{member.pk}/").content.decode()
        assert "Your share of the work" in shown and "30.00%" in shown
        invitation.post(f"/bids/invitations/{member.pk}/", {"decision": "decline", "reason": ""})
        member.refresh_from_db()
        assert member.consent == "requested"  # a decline needs a reason: nothing written
        invitation.post(
            f"/bids/invitations/{member.pk}/",
            {"decision": "decline", "reason": "We cannot take on 30% this year."},
        )
        member.refresh_from_db()
        assert member.consent == "declined"
        bid_page = lead.get(f"/bids/{t.bid.pk}/").content.decode()
        assert "Safe Homes for Women declined to bid together: remove it." in bid_page
        assert "We cannot take on 30% this year." in bid_page
