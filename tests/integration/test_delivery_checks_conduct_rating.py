"""The independent reviewer's code-of-conduct rating of a prime (SUP-3): recorded on the
contract's code-of-conduct section with an audit record, nothing written when a reason is
missing or someone else posts it, published on the contract page and the prime's profile,
superseded by a newer rating with the history kept, and shown to the evaluators of the prime's
later bids as its track record of working fairly with the sector (EVA-3)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.audit.permanence import PermanentRecordError
from commissioning.contracts.models import Contract
from commissioning.delivery_checks import conduct_ratings
from commissioning.delivery_checks.models import CodeOfConductRating, PrincipleRating
from commissioning.demo.code_of_conduct import load_demo_conduct_ratings
from commissioning.evaluation import services as evaluation_services
from commissioning.supply_survey.models import SurveyRound
from tests.contract_factories import contract_with_parties
from tests.evaluation_factories import evaluation_setup
from tests.factories import UserFactory, client_for, member_of
from tests.procurement_factories import commissioner_of

pytestmark = pytest.mark.django_db

FIRST = {
    "assessed_on_0": "10",
    "assessed_on_1": "4",
    "assessed_on_2": "2026",
    "supply_chain_design_level": "meets",
    "supply_chain_design_reasons": "Eight local charities hold 45% of the value.",
    "commitment_level": "partly",
    "commitment_reasons": "The housing charity received 40 of its 100 promised referrals.",
    "conduct_level": "does_not_meet",
    "conduct_reasons": "Invoices were paid in 45 days against 30-day terms.",
    "review_level": "meets",
    "review_reasons": "Disputes were resolved within a month.",
    "summary": "A fair design let down by slow payment.",
}
SECOND = {
    **FIRST,
    "assessed_on_0": "1",
    "assessed_on_1": "10",
    "conduct_level": "meets",
    "conduct_reasons": "Every invoice since April paid within 30 days.",
    "summary": "Payment times now meet the terms.",
}


@pytest.fixture
def contract() -> Contract:
    return contract_with_parties()


@pytest.fixture
def reviewer() -> User:
    return UserFactory(role=User.Role.REVIEWER)


def _section(contract: Contract) -> str:
    return reverse("delivery_checks:code_of_conduct", args=[contract.reference])


def _profile(contract: Contract) -> str:
    return reverse("directory:organisation", args=[contract.prime.slug])


def _page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return str(response.content.decode())


def test_the_reviewer_records_a_rating_published_on_contract_and_profile(
    contract: Contract, reviewer: User
) -> None:
    client = client_for(reviewer)
    form_page = _page(client, _section(contract))
    assert "Publish a rating" in form_page and 'id="conduct-table-total"' in form_page

    missing = {**FIRST, "commitment_reasons": "  "}
    refused = client.post(_section(contract), missing)
    assert refused.status_code == 200
    refusal = refused.content.decode()
    assert "<title>Error:" in refusal and "govuk-error-summary" in refusal
    assert "Give the reasons for the rating of commitment" in refusal
    assert not CodeOfConductRating.objects.exists() and not PrincipleRating.objects.exists()
    assert not AuditEvent.objects.filter(action="code_of_conduct.rated").exists()

    assert client.post(_section(contract), FIRST).status_code == 302
    rating = CodeOfConductRating.objects.get()
    assert rating.assessed_on == date(2026, 4, 10) and rating.recorded_by == reviewer
    assert {p.principle: p.level for p in rating.principles.all()} == {
        "Supply chain design": "meets",
        "Commitment": "partly",
        "Conduct": "does_not_meet",
        "Review": "meets",
    }
    event = AuditEvent.objects.get(action="code_of_conduct.rated")
    assert event.target_id == str(rating.pk) and event.changes["Conduct"] == "does_not_meet"

    public = client_for(None)
    contract_page = _page(public, contract.get_absolute_url())
    profile = _page(public, _profile(contract))
    for page in (contract_page, profile):
        assert "Does not meet the standard" in page
        assert "Invoices were paid in 45 days against 30-day terms." in page
        assert "A fair design let down by slow payment." in page
    assert "10 April 2026" in contract_page
    # The evidence stays restricted: the public is not shown the section.
    assert public.get(_section(contract)).status_code == 404


def test_a_newer_rating_supersedes_and_the_history_is_kept(
    contract: Contract, reviewer: User
) -> None:
    client = client_for(reviewer)
    assert client.post(_section(contract), FIRST).status_code == 302
    older = {**SECOND, "assessed_on_1": "3"}  # 1 March 2026: before the published rating
    refused = client.post(_section(contract), older)
    assert refused.status_code == 200 and CodeOfConductRating.objects.count() == 1
    assert "must be on or after 10 April 2026" in refused.content.decode()

    assert client.post(_section(contract), SECOND).status_code == 302
    assert CodeOfConductRating.objects.count() == 2
    latest = conduct_ratings.latest_rating(contract)
    assert latest is not None and latest.assessed_on == date(2026, 10, 1)
    public = client_for(None)
    for url in (contract.get_absolute_url(), _profile(contract)):
        page = _page(public, url)
        assert "Every invoice since April paid within 30 days." in page
        assert "Invoices were paid in 45 days" not in page
    body = public.get(f"/api/contracts/{contract.reference}/code-of-conduct-ratings").json()
    assert body["prime"] == contract.prime.slug
    assert body["in_force"]["assessed_on"] == "2026-10-01"
    assert body["in_force"]["principles"][2] == {
        "principle": "Conduct",
        "level": "meets",
        "level_label": "Meets the standard",
        "reasons": "Every invoice since April paid within 30 days.",
    }
    assert [r["assessed_on"] for r in body["superseded"]] == ["2026-04-10"]
    history = _page(client, _section(contract))
    assert "superseded" in history and "Invoices were paid in 45 days" in history
    # A published rating is never edited.
    first = CodeOfConductRating.objects.order_by("pk").first()
    assert first is not None
    first.summary = "Changed"
    with pytest.raises(ValueError):
        first.save()
    # Nor deleted, by itself or with its contract.
    with pytest.raises(PermanentRecordError), transaction.atomic():
        first.delete()
    with pytest.raises(PermanentRecordError), transaction.atomic():
        PrincipleRating.objects.filter(rating=first).delete()
    assert CodeOfConductRating.objects.count() == 2 and PrincipleRating.objects.count() == 8


def test_anyone_but_the_reviewer_is_refused_and_nothing_is_written(contract: Contract) -> None:
    others = [
        commissioner_of(contract.lot.opportunity),
        member_of(contract.prime),
        UserFactory(role=User.Role.EVALUATOR),
    ]
    for user in others:
        response = client_for(user).post(_section(contract), FIRST)
        assert response.status_code == 403, user
    assert client_for(None).post(_section(contract), FIRST).status_code == 403
    assert not CodeOfConductRating.objects.exists()
    assert not AuditEvent.objects.filter(action="code_of_conduct.rated").exists()
    # The commissioners and the prime see the evidence but no form.
    page = _page(client_for(others[0]), _section(contract))
    assert 'id="conduct-table-total"' in page and "Publish a rating" not in page


def test_the_evaluator_of_a_later_bid_by_the_prime_sees_its_ratings(reviewer: User) -> None:
    ev = evaluation_setup()
    prime = ev.bidders[0]
    contract = contract_with_parties(prime=prime)
    judgements = {
        principle: conduct_ratings.PrincipleJudgement(
            level=FIRST[f"{conduct_ratings.field_prefix(principle)}_level"],
            reasons=FIRST[f"{conduct_ratings.field_prefix(principle)}_reasons"],
        )
        for principle in conduct_ratings.Principle
    }
    conduct_ratings.record_rating(
        reviewer,
        contract,
        assessed_on=date(2026, 4, 10),
        summary=FIRST["summary"],
        judgements=judgements,
    )
    SurveyRound.objects.create(
        prime=prime,
        year=2025,
        status=SurveyRound.Status.PUBLISHED,
        opened_by=reviewer,
        opened_at=timezone.now(),
        published_at=timezone.now(),
    )
    evaluator = ev.evaluators[0]
    evaluation_services.assign_evaluator(ev.commissioner, ev.quality, evaluator)
    assignment = ev.quality.evaluator_assignments.get(evaluator=evaluator)
    client = client_for(evaluator)
    declare = reverse("evaluation:declare", args=[ev.opportunity.reference])
    assert client.post(declare, {f"org-{org.pk}": "no" for org in ev.bidders}).status_code == 302

    def score_page(bid_index: int) -> str:
        url = reverse(
            "evaluation:score",
            args=[ev.opportunity.reference, assignment.pk, ev.bids[bid_index].pk],
        )
        return _page(client, url)

    page = score_page(0)
    assert "Track record of working fairly with the voluntary sector" in page
    assert "Does not meet the standard" in page and contract.reference in page
    assert "Invoices were paid in 45 days against 30-day terms." in page
    assert reverse("supply_survey:prime", args=[prime.slug]) in page
    other = score_page(1)
    assert "has published no code-of-conduct rating of Women Onward CIC" in other
    assert "Invoices were paid in 45 days" not in other


def test_the_demo_publishes_a_rating_that_supersedes_an_earlier_one(reviewer: User) -> None:
    contract = contract_with_parties(is_synthetic=True)
    assert load_demo_conduct_ratings(today=date(2026, 12, 1)) == 2
    assert load_demo_conduct_ratings(today=date(2026, 12, 1)) == 2  # replaced, not added
    ratings = conduct_ratings.history(contract)
    assert [r.assessed_on for r in ratings] == [date(2026, 11, 1), date(2026, 6, 4)]
    assert all(r.summary.startswith("Synthetic demo rating: ") for r in ratings)
    levels = {p.principle: p.level for p in ratings[0].principles.all()}
    assert levels["Conduct"] == "meets" and levels["Commitment"] == "partly"
    page = _page(client_for(None), contract.get_absolute_url())
    assert "Synthetic demo rating: every invoice was paid within its terms." in page
