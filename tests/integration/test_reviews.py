"""The review of a commissioning cycle (CYC-4), assembled from a small hand-made contract's
records: the hand quarter of referrals and payments (tests/supply_return_factories.py), one KPI
assessment, one code-of-conduct rating, one published outcome study and one consultation's
"you said, we did"; published by a commissioner, refused without conclusions or to anyone else,
and carried into the next cycle."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.accounts.models import User
from commissioning.audit.permanence import PermanentRecordError
from commissioning.concerns import lifecycle as concern_lifecycle
from commissioning.concerns import services as concerns
from commissioning.concerns.models import Concern
from commissioning.exercises.lifecycle import Stage
from commissioning.reviews import services
from commissioning.reviews.models import ExerciseReview
from tests.factories import UserFactory, client_for, member_of
from tests.review_factories import hand_cycle
from tests.supply_return_factories import TODAY, hand_quarter

pytestmark = pytest.mark.django_db


def rows(review: ExerciseReview, key: str) -> list[list[str]]:
    return next(section["rows"] for section in review.sections if section["key"] == key)


def test_the_review_is_assembled_from_the_contract_records_with_hand_figures() -> None:
    """CYC-4: every source's figures, worked out by hand from the records above."""
    setting, exercise = hand_cycle()
    review = services.assemble(setting.commissioner, exercise, today=TODAY)
    ref = setting.contract.reference
    assert review.cycle == 1 and review.status == "draft"
    assert rows(review, "outcome-studies") == [
        ["Housing first cohort", setting.housing_party.organisation.name,
         "Fewer reoffended than matched people."]
    ]  # fmt: skip
    assert rows(review, "kpi-ratings") == [
        [ref, "Settled accommodation on release", "75%", "1 April 2026 to 30 September 2026",
         "Requires improvement", "61%"]
    ]  # fmt: skip
    # Housing: 3 referred, £500.00 paid in the quarter; women's centre: 0 and £1,250.50.
    assert rows(review, "supply-returns") == [
        [ref, "July to September 2026", "3", "1,750.50", "1", "1"]
    ]
    # Paid: H-1 20 days (20 June to 10 July), H-2 31 days, W-1 60 days: 111 / 3 = 37.
    assert rows(review, "payment-times") == [
        [ref, "37 days on average, 3 invoices paid", "33.3% (1 of 3 invoices)"]
    ]
    assert rows(review, "code-of-conduct") == [
        [ref, "20 October 2026", "Conduct", "Partly meets the standard"]
    ]
    # Five referrals, 2 accepted: 40% with the Wilson interval 12% to 77%.
    assert rows(review, "equality")[0][:4] == ["Everyone", "All referrals", "5", "40% (12% to 77%)"]
    assert rows(review, "you-said-we-did") == [
        ["What should resettlement look like?", "Women need a women-only service.",
         "A women's centre runs a lot of its own."]
    ]  # fmt: skip
    empty = {section["key"]: section["empty"] for section in review.sections}
    assert rows(review, "survey") == []
    assert empty["survey"] == "No survey of these primes' sub-contractors has been published."
    assert rows(review, "concerns") == []
    assert all(section["source"] for section in review.sections)


def test_promises_below_the_threshold_are_listed_by_quarter() -> None:
    """SUP-2 figures in the review: each sub-contractor's referrals and money in the first
    window of two quarters (April to September 2026) against its promise, all under 25%."""
    setting, exercise = hand_cycle()
    review = services.assemble(setting.commissioner, exercise, today=TODAY)
    ref = setting.contract.reference
    housing = setting.housing_party.organisation.name
    womens = setting.womens_party.organisation.name
    quarter = "July to September 2026"
    # Two quarters of 120 referrals and £90,000.00 a year promised: 60 and £45,000.00.
    assert rows(review, "promises") == [
        [ref, housing, "Referrals", quarter, "7%"],  # 4 of 60
        [ref, housing, "Money", quarter, "2%"],  # £900.00 of £45,000.00
        [ref, womens, "Referrals", quarter, "0%"],  # none
        [ref, womens, "Money", quarter, "3%"],  # £1,250.50 of £45,000.00
    ]


def test_publishing_needs_conclusions_and_changes_and_a_commissioner() -> None:
    setting, exercise = hand_cycle()
    review = services.assemble(setting.commissioner, exercise, today=TODAY)
    with pytest.raises(ValidationError) as refused:
        services.publish(setting.commissioner, review)
    assert refused.value.message_dict == {
        "conclusions": ["Enter the conclusions of the review"],
        "changes": ["Enter what will change in the next cycle"],
    }
    review.refresh_from_db()
    assert review.status == "draft" and review.published_at is None
    services.write(setting.commissioner, review, "Housing worked.", "Pay within 30 days.")
    with pytest.raises(PermissionDenied):
        services.publish(setting.prime, review)
    with pytest.raises(PermissionDenied):
        services.assemble(setting.prime, exercise)
    published = services.publish(setting.commissioner, review)
    assert published.status == "published"
    with pytest.raises(ValidationError):  # its figures are frozen
        services.assemble(setting.commissioner, exercise, today=TODAY)
    with pytest.raises(ValidationError):
        services.write(setting.commissioner, published, "Changed.", "Changed.")
    with pytest.raises(PermanentRecordError):
        published.delete()


def test_a_review_is_assembled_only_at_the_review_stage() -> None:
    setting = hand_quarter()
    exercise = setting.contract.lot.opportunity.exercise
    with pytest.raises(ValidationError):
        services.assemble(setting.commissioner, exercise)
    assert not ExerciseReview.objects.exists()


@pytest.mark.parametrize("how", ["restart", "new"])
def test_the_next_cycle_opens_with_the_review_and_what_people_said(how: str) -> None:
    setting, exercise = hand_cycle()
    review = services.assemble(setting.commissioner, exercise, today=TODAY)
    review = services.write(setting.commissioner, review, "Housing worked.", "Pay within 30 days.")
    with pytest.raises(ValidationError):
        services.open_next_cycle(setting.commissioner, review, how)  # not yet published
    review = services.publish(setting.commissioner, review)
    opened = services.open_next_cycle(setting.commissioner, review, how)
    assert opened.stage == Stage.ASSESS_NEED.value
    assert (opened.pk == exercise.pk) is (how == "restart")
    if how == "restart":
        assert services.current_cycle(opened) == 2
    page = client_for(None).get(f"/engagement/exercises/{opened.reference}/")
    text = page.content.decode()
    assert "What the last cycle taught" in text
    assert "Pay within 30 days." in text
    assert "Women need a women-only service." in text
    assert "A women&#x27;s centre runs a lot of its own." in text
    assert "What the last cycle taught" in client_for(None).get(opened.get_absolute_url()).text
    with pytest.raises(ValidationError):
        services.open_next_cycle(setting.commissioner, review, how)  # once


def test_the_public_page_csv_and_api() -> None:
    setting, exercise = hand_cycle()
    review = services.assemble(setting.commissioner, exercise, today=TODAY)
    url = f"/reviews/exercises/{exercise.reference}/cycles/1/"
    api = f"/api/exercises/{exercise.reference}/reviews/1"
    anonymous = client_for(None)
    assert anonymous.get(url).status_code == 404  # a draft
    assert anonymous.get(api).status_code == 404
    commissioner = client_for(setting.commissioner)
    assert commissioner.get(url).status_code == 200
    refused = commissioner.post(f"{api}/publish", content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["errors"]["conclusions"] == ["Enter the conclusions of the review"]
    outsider = client_for(member_of(setting.contract.prime, role=User.Role.PROVIDER))
    assert outsider.post(f"{api}/publish", content_type="application/json").status_code == 403
    services.write(setting.commissioner, review, "Housing worked.", "Pay within 30 days.")
    done = commissioner.post(f"{api}/publish", content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "published"
    body = anonymous.get(api).json()
    assert body["changes"] == "Pay within 30 days."
    payment = next(s for s in body["sections"] if s["key"] == "payment-times")
    assert payment["rows"][0][1] == "37 days on average, 3 invoices paid"
    page = anonymous.get(url)
    assert page.status_code == 200 and "Pay within 30 days." in page.text
    csv = anonymous.get(f"{url}payment-times.csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines() == [
        "Contract,Days to pay,Paid within 30 days",
        f"{setting.contract.reference},"
        '"37 days on average, 3 invoices paid",33.3% (1 of 3 invoices)',
    ]


def test_the_commissioner_publishes_through_the_page_and_is_refused_without_conclusions() -> None:
    setting, exercise = hand_cycle()
    commissioner = client_for(setting.commissioner)
    assembled = commissioner.post(f"/reviews/exercises/{exercise.reference}/assemble/")
    assert assembled.status_code == 302
    write = f"/reviews/exercises/{exercise.reference}/cycles/1/write/"
    refused = commissioner.post(write, {"conclusions": "", "changes": "", "publish": "1"})
    assert refused.status_code == 400
    assert "Enter the conclusions of the review" in refused.text
    assert ExerciseReview.objects.get().status == "draft"
    prime = client_for(setting.prime)
    assert prime.post(write, {"conclusions": "x", "changes": "y", "publish": "1"}).status_code in (
        403,
        404,
    )
    done = commissioner.post(write, {"conclusions": "Worked.", "changes": "Pay on time.",
                                     "publish": "1"})  # fmt: skip
    assert done.status_code == 302
    assert ExerciseReview.objects.get().status == "published"


def close_concerns(reference: str, outcome: str, count: int) -> None:
    """``count`` concerns about the contract ``reference``, reported and closed by a reviewer."""
    reviewer = UserFactory(role=User.Role.REVIEWER)
    key = concerns.create_reviewer_key(reviewer, "a long passphrase for the reviewer")
    private = concerns.unlock(key, "a long passphrase for the reviewer")
    for _ in range(count):
        concern = concerns.report(
            subject_kind=Concern.SubjectKind.CONTRACT,
            subject_reference=reference,
            subject_label="",
            described_subject="",
            what_happened="x",
            contact="",
            attachments=[],
        ).concern
        data_key = concerns.reviewer_data_key(reviewer, private, concern)
        for status in (concern_lifecycle.Status.ACKNOWLEDGED, concern_lifecycle.Status.CLOSED):
            concerns.change_status(
                reviewer, data_key, concern, status, message="Done", outcome=outcome
            )


def test_concerns_about_the_contracts_are_counted_from_five() -> None:
    """Only concerns about this exercise's contracts count, and a subject with fewer than 5
    closed is withheld: 5 upheld about the contract are shown; 3 about another are not."""
    setting, exercise = hand_cycle()
    close_concerns(setting.contract.reference, Concern.Outcome.UPHELD, 5)
    close_concerns("CT-ELSEWHERE", Concern.Outcome.UPHELD, 3)
    review = services.assemble(setting.commissioner, exercise, today=TODAY)
    assert rows(review, "concerns") == [["A contract", "5", "Upheld: practice changed", "5"]]
