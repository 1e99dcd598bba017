"""Opportunity pages: the permissions matrix (anonymous, provider, another body's commissioner,
the body's commissioner, site administrator), drafts hidden from the public, and each
commissioner action as one audited transaction (PRO-1 … PRO-5, PRO-9, EVA-1)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.procurement.models import Criterion, DateChange, Opportunity
from commissioning_analytics.timelines.working_days import LONDON
from tests.factories import (
    AreaFactory,
    CommissioningBodyFactory,
    ExerciseFactory,
    OrganisationFactory,
    UserFactory,
    client_for,
    member_of,
)
from tests.procurement_factories import (
    DraftOpportunityFactory,
    ProcurementLotFactory,
    commissioner_of,
    interested_member,
    open_opportunity,
    ready_opportunity,
)

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "provider", "other_commissioner", "commissioner", "site_admin"]


def actor(who: str, opportunity: Opportunity) -> User | None:
    body = opportunity.exercise.commissioning_body
    return {
        "anonymous": lambda: None,
        "provider": lambda: member_of(OrganisationFactory()),
        "other_commissioner": lambda: member_of(
            CommissioningBodyFactory(), role=User.Role.COMMISSIONER
        ),
        "commissioner": lambda: member_of(body, role=User.Role.COMMISSIONER),
        "site_admin": lambda: UserFactory(role=User.Role.ADMIN),
    }[who]()


@pytest.mark.parametrize("who", WHO)
def test_a_draft_is_seen_only_by_its_managers(who: str) -> None:
    draft = ready_opportunity()
    client = client_for(actor(who, draft))
    response = client.get(draft.get_absolute_url())
    listing = client.get(reverse("procurement:list")).content.decode()
    if who in ("commissioner", "site_admin"):
        assert response.status_code == 200
        assert draft.reference in listing
    else:
        assert response.status_code == 404
        assert draft.reference not in listing


@pytest.mark.parametrize("who", WHO)
def test_a_published_opportunity_is_public(who: str) -> None:
    opportunity = open_opportunity()
    page = client_for(actor(who, opportunity)).get(opportunity.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "Open for bids" in text
    assert "Social value" in text
    assert "Sam Procurer" in text
    assert ("Manage this opportunity" in text) == (who in ("commissioner", "site_admin"))


WRITE_PAGES = ["edit", "lot-create", "section-create", "criterion-create", "timeline", "publish"]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", [*WRITE_PAGES, "accessibility"])
def test_write_pages_permissions_matrix(who: str, name: str) -> None:
    draft = ready_opportunity()
    open_one = open_opportunity()
    target = open_one if name in ("accessibility", "timeline") else draft
    response = client_for(actor(who, target)).get(
        reverse(f"procurement:{name}", args=[target.reference])
    )
    expected = {
        "anonymous": 302,
        "provider": 403,
        "other_commissioner": 403,
        "commissioner": 200,
        "site_admin": 200,
    }[who]
    if target.status == Opportunity.Status.DRAFT and who in ("provider", "other_commissioner"):
        expected = 404  # a draft does not exist for them
    assert response.status_code == expected


@pytest.mark.parametrize("who", ["provider", "other_commissioner"])
def test_outsiders_cannot_post_changes(who: str) -> None:
    opportunity = open_opportunity()
    client = client_for(actor(who, opportunity))
    response = client.post(
        reverse("procurement:cancel", args=[opportunity.reference]),
        {"cancellation_code": "other", "cancellation_reason": "No."},
    )
    assert response.status_code == 403
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.OPEN


def test_create_from_an_exercise_adds_default_sections_and_audits() -> None:
    exercise = ExerciseFactory()
    user = member_of(exercise.commissioning_body, role=User.Role.COMMISSIONER)
    client = client_for(user)
    page = client.get(reverse("exercises:detail", args=[exercise.reference]))
    assert reverse("procurement:create", args=[exercise.reference]) in page.content.decode()
    response = client.post(
        reverse("procurement:create", args=[exercise.reference]),
        {"title": "Housing support", "response_working_days": 5},
    )
    opportunity = Opportunity.objects.get(title="Housing support")
    assert response.status_code == 302
    assert response["Location"] == opportunity.get_absolute_url()
    assert opportunity.status == "draft"
    assert opportunity.reference.startswith("OPP-")
    assert opportunity.spec_sections.filter(required=True).count() == 4
    assert AuditEvent.objects.filter(action="opportunity.create", actor=user).exists()


def test_create_is_refused_to_another_bodys_commissioner() -> None:
    exercise = ExerciseFactory()
    other = member_of(CommissioningBodyFactory(), role=User.Role.COMMISSIONER)
    response = client_for(other).post(
        reverse("procurement:create", args=[exercise.reference]), {"title": "Nope"}
    )
    assert response.status_code == 403
    assert not Opportunity.objects.exists()


def test_social_value_under_ten_percent_is_refused_with_a_clear_error() -> None:
    draft = DraftOpportunityFactory()
    client = client_for(commissioner_of(draft))
    url = reverse("procurement:criterion-create", args=[draft.reference])
    assert client.post(url, {"name": "Price", "kind": "price", "weight": "40"}).status_code == 302
    assert (
        client.post(url, {"name": "Quality", "kind": "quality", "weight": "55"}).status_code == 302
    )
    response = client.post(url, {"name": "Social value", "kind": "social_value", "weight": "5"})
    assert response.status_code == 200
    assert response.context["form"].errors["weight"] == [
        "Social value would carry 5% of the total; it must carry at least 10%"
    ]
    assert "Error: " in response.content.decode()
    assert Criterion.objects.filter(opportunity=draft).count() == 2


def test_weights_over_100_are_refused() -> None:
    draft = DraftOpportunityFactory()
    client = client_for(commissioner_of(draft))
    url = reverse("procurement:criterion-create", args=[draft.reference])
    client.post(url, {"name": "Price", "kind": "price", "weight": "80"})
    response = client.post(url, {"name": "Quality", "kind": "quality", "weight": "30"})
    assert response.context["form"].errors["weight"] == [
        "The weights would add up to 110%; they cannot exceed 100%"
    ]


def test_publish_page_lists_every_reason_then_publishes() -> None:
    draft = ready_opportunity()
    section = draft.spec_sections.first()
    assert section is not None
    section.must_have = ""
    section.save()
    client = client_for(commissioner_of(draft))
    url = reverse("procurement:publish", args=[draft.reference])
    refused = client.post(url)
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "cannot be published yet" in text
    assert f"The specification section “{section.title}” is blank." in text
    draft.refresh_from_db()
    assert draft.status == "draft"
    section.must_have = "Caseworkers for everyone."
    section.save()
    response = client.post(url)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "open"


def test_budget_realism_warning_shows_before_publishing() -> None:
    draft = ready_opportunity(
        budget_total=Decimal("600000"),
        expected_service_users=600,
        good_practice_cost_per_user=Decimal("2500"),
    )
    page = client_for(commissioner_of(draft)).get(
        reverse("procurement:publish", args=[draft.reference])
    )
    assert "£1,000.00 per person served, 60% below the £2,500.00 cost" in page.content.decode()


def test_accessibility_report_warns_about_reg_58_9() -> None:
    area = AreaFactory()
    OrganisationFactory(areas=[area], annual_income=Decimal("300000"))
    OrganisationFactory(areas=[area], annual_income=Decimal("5000000"))
    draft = ready_opportunity(lots=0)
    ProcurementLotFactory(
        opportunity=draft,
        areas=[area],
        estimated_annual_value=Decimal("400000"),
        turnover_multiple=Decimal("3"),
    )
    page = client_for(commissioner_of(draft)).get(
        reverse("procurement:accessibility", args=[draft.reference])
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "1 of 2 providers in scope could meet the conditions" in text
    assert "reg. 58(9)" in text


@time_machine.travel(datetime(2027, 3, 1, 9, tzinfo=LONDON), tick=False)
def test_draft_timeline_is_checked_against_the_policy_next_to_the_fields() -> None:
    draft = DraftOpportunityFactory()
    client = client_for(commissioner_of(draft))
    response = client.post(
        reverse("procurement:timeline", args=[draft.reference]),
        {
            "question_deadline_0": "15",
            "question_deadline_1": "3",
            "question_deadline_2": "2027",
            "answers_by_0": "16",
            "answers_by_1": "3",
            "answers_by_2": "2027",
            "bid_deadline_0": "12",
            "bid_deadline_1": "4",
            "bid_deadline_2": "2027",
            "deadline_time": "12:00",
        },
    )
    errors = response.context["form"].errors
    assert errors["answers_by"][0].startswith("Answers must be published by Monday 22 March 2027")
    assert errors["bid_deadline"][0].startswith("The bid deadline must be Monday 26 April 2027")


@time_machine.travel(datetime(2027, 3, 1, 9, tzinfo=LONDON), tick=False)
def test_a_compliant_draft_timeline_is_saved_and_audited() -> None:
    draft = DraftOpportunityFactory()
    client = client_for(commissioner_of(draft))
    response = client.post(
        reverse("procurement:timeline", args=[draft.reference]),
        {
            "question_deadline_0": "22",
            "question_deadline_1": "3",
            "question_deadline_2": "2027",
            "answers_by_0": "31",
            "answers_by_1": "3",
            "answers_by_2": "2027",
            "bid_deadline_0": "10",
            "bid_deadline_1": "5",
            "bid_deadline_2": "2027",
            "deadline_time": "14:30",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.bid_deadline == datetime(2027, 5, 10, 14, 30, tzinfo=LONDON)
    assert AuditEvent.objects.filter(action="opportunity.timeline").exists()


@time_machine.travel(datetime(2027, 3, 10, 10, tzinfo=LONDON), tick=False)
def test_date_change_through_the_page_is_logged_and_sent(
    django_capture_on_commit_callbacks: pytest.FixtureRequest,
) -> None:
    opportunity = open_opportunity(published_at=datetime(2027, 3, 1, 9, tzinfo=LONDON))
    holder = interested_member(opportunity)
    client = client_for(commissioner_of(opportunity))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(
            reverse("procurement:timeline", args=[opportunity.reference]),
            {
                "field": "answers_by",
                "new_date_0": "30",
                "new_date_1": "4",
                "new_date_2": "2027",
                "new_time": "12:00",
                "reason": "Waiting for TUPE data from the incumbent.",
            },
        )
    assert response.status_code == 302
    assert DateChange.objects.filter(opportunity=opportunity, automatic=True).count() == 1
    assert [m.to for m in mail.outbox] == [[holder.email]]
    page = Client().get(opportunity.get_absolute_url()).content.decode()
    assert "Waiting for TUPE data from the incumbent." in page
    assert "Automatic" in page
    assert "Monday 17 May 2027 12:00" in page


def test_cancel_through_the_page_publishes_the_coded_reason() -> None:
    opportunity = open_opportunity()
    client = client_for(commissioner_of(opportunity))
    url = reverse("procurement:cancel", args=[opportunity.reference])
    missing = client.post(url, {"cancellation_code": "", "cancellation_reason": ""})
    assert set(missing.context["form"].errors) == {"cancellation_code", "cancellation_reason"}
    response = client.post(
        url, {"cancellation_code": "insufficient_bids", "cancellation_reason": "Only one bid."}
    )
    assert response.status_code == 302
    page = Client().get(opportunity.get_absolute_url()).content.decode()
    assert "Too few suitable bids were received" in page
    assert "Only one bid." in page


def test_list_filters_by_status_area_and_text() -> None:
    north, south = AreaFactory(), AreaFactory()
    first = open_opportunity(title="Women's centres")
    first.lots.first().areas.set([north])  # type: ignore[union-attr]
    second = open_opportunity(title="Accommodation")
    second.lots.first().areas.set([south])  # type: ignore[union-attr]
    client = Client()

    def refs(**params: str) -> list[str]:
        page = client.get(reverse("procurement:list"), params)
        return [o.reference for o in page.context["page_obj"].object_list]

    assert set(refs()) == {first.reference, second.reference}
    assert refs(area=north.slug) == [first.reference]
    assert refs(q="women") == [first.reference]
    assert refs(status="cancelled") == []


def test_open_opportunity_edit_pages_refuse_changes() -> None:
    opportunity = open_opportunity()
    client = client_for(commissioner_of(opportunity))
    response = client.post(
        reverse("procurement:edit", args=[opportunity.reference]),
        {"title": "Changed", "response_working_days": 5},
    )
    assert response.status_code == 200
    assert "Only a draft can be changed" in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.title != "Changed"
    assert opportunity.bid_deadline is not None
    assert opportunity.bid_deadline > datetime.now(tz=LONDON) + timedelta(weeks=9)


def test_exercise_page_lists_published_opportunities_and_hides_drafts() -> None:
    opened = open_opportunity(title="Published housing support")
    draft = DraftOpportunityFactory(exercise=opened.exercise, title="Secret draft")
    url = reverse("exercises:detail", args=[opened.exercise.reference])
    public = Client().get(url).content.decode()
    assert "Published housing support" in public
    assert "Secret draft" not in public
    assert reverse("procurement:create", args=[opened.exercise.reference]) not in public
    own = client_for(commissioner_of(draft)).get(url).content.decode()
    assert "Secret draft" in own
