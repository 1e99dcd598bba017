"""Issue 3's whole journey in one browser walk, axe-core after every navigation:

consultation (CYC-2) → an opportunity with two lots, criteria with social value ≥10% and a
tiered specification (PRO-1, PRO-2, PRO-5, EVA-1) → the lot accessibility report (s.12(4)) →
publication refused for a blank required section, then accepted → a date change with a reason
reaching interest holders and the public change log (PRO-3) → a question answered and published
anonymised (PRO-4) → two primes and a consortium member find partners and message (PRO-6) → a
bid whose named sub-contractor must confirm before it can be submitted, with a receipt (PRO-7,
PRO-8) → a late bid refused by the server's clock → after the deadline the commissioner opens
the bids and reads one.

Only the arrangement (people, organisations, areas, the exercise) uses factories; every action
goes through the pages.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from commissioning.bids.models import Bid, Receipt, Subcontractor
from commissioning.clarifications.models import Question
from commissioning.directory.models import Organisation
from commissioning.engagement.models import Response
from commissioning.exercises.models import CommissioningExercise
from commissioning.notifications.models import Notification
from commissioning.procurement.models import DateChange, Interest, Opportunity
from commissioning_analytics.timelines.working_days import (
    LONDON,
    next_working_day_on_or_after,
)
from tests.e2e.helpers import Journey
from tests.engagement_factories import commissioner_of
from tests.equality_factories import published_assessment
from tests.factories import AreaFactory, ExerciseFactory, OrganisationFactory, member_of
from tests.procurement_factories import compliant_dates

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Resettlement support in Northumbria and Durham"
PRIME = "Northshire Resettlement Trust"
SECOND_PRIME = "Quiet Prime plc"
CONSORTIUM = "Tyneside Women's Centre"
LOT_1 = "Lot 1: Northumbria"
SECTIONS = {
    "Service description and scope": "Accommodation and resettlement support from the gate.",
    "People using the service and their needs": "Adults on licence with housing need.",
    "Delivery model, staffing and premises": "Caseworkers based in each police area.",
    "Quality, safeguarding and performance": "Safeguarding leads; monthly performance reviews.",
}
BLANK_SECTION = "Quality, safeguarding and performance"


CONSULTATION = "What should the new service offer?"


def _london_day(value: datetime) -> date:
    return value.astimezone(LONDON).date()


# ----------------------------------------------------------------------------- the steps


def _consultation(j: Journey, exercise_reference: str, provider: str, commissioner: str) -> None:
    """CYC-2: the commissioner publishes a consultation; a provider answers for its
    organisation and a person with lived experience answers anonymously, without an account."""
    today = timezone.localdate()
    j.sign_in(commissioner)
    j.go(f"/engagement/exercises/{exercise_reference}/")
    j.click_button("Open a consultation")
    j.page.get_by_label("Title").fill(CONSULTATION)
    j.page.get_by_label("Purpose").fill("To shape the lots before we procure.")
    j.fill_date("Opening date", today)
    j.fill_date("Closing date", today + timedelta(days=14))
    j.click_button("Create draft consultation")
    j.click_button("Add a question")
    j.page.get_by_label("Question").fill("What support is missing after release?")
    j.click_button("Add question")
    j.click_button("Publish", exact=True)
    j.click_button("Publish consultation")
    j.flash("Consultation published")
    j.sign_out()

    j.sign_in(provider)
    j.go("/engagement/")
    j.click_link(CONSULTATION)
    j.click_button("Respond to this consultation")
    j.page.get_by_label("What support is missing after release?").fill("Move-on housing.")
    j.page.get_by_label(f"On behalf of {PRIME}").check()
    j.click_button("Send response")
    expect(j.page.get_by_role("heading", name="Response received")).to_be_visible()
    j.sign_out()

    j.go("/engagement/")
    j.click_link(CONSULTATION)
    j.click_button("Respond to this consultation")
    j.page.get_by_label("What support is missing after release?").fill(
        "Someone to meet me at the gate."
    )
    j.page.get_by_label("A person with lived experience").check()
    j.click_button("Send response")
    expect(j.page.get_by_role("heading", name="Response received")).to_be_visible()
    responses = {r.respondent_type: r for r in Response.objects.all()}
    assert len(responses) == 2
    assert responses["lived_experience"].is_anonymous
    assert responses["lived_experience"].user is None


def _draft_opportunity(j: Journey, exercise_reference: str) -> str:
    """PRO-1, PRO-2, PRO-5, EVA-1: details, two lots, criteria and the timeline; every required
    specification section but one is written. Returns the new reference."""
    j.go(f"/exercises/{exercise_reference}/")
    j.click_link("Create an opportunity")
    page = j.page
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Description", exact=True).fill("Support into settled accommodation.")
    page.get_by_label("Consortium or partnership bids are encouraged").check()
    page.get_by_label("Named point of contact").fill("Sam Procurer")
    page.get_by_label("Contact email address").fill("procurement@pcc.example")
    page.get_by_label("How barriers facing small organisations were considered").fill(
        "Lots by police area keep values within reach of local charities."
    )
    page.get_by_label("Suitable for voluntary, community and social enterprises").check()
    page.get_by_label("Total budget (£)").fill("1800000")
    page.get_by_label("Expected number of people served").fill("600")
    page.get_by_label("Cost of good practice per person served (£)").fill("2500")
    page.get_by_label("TUPE information").fill("Six staff may transfer.")
    page.get_by_label("Incumbent provider details").fill("Example Housing Trust.")
    page.get_by_label("Outcomes sought").fill("Settled accommodation within 12 weeks.")
    j.click_button("Create draft opportunity")
    opportunity = Opportunity.objects.get(title=TITLE)
    j.flash(f"Opportunity {opportunity.reference} created as a draft.")

    for area in ("Northumbria", "Durham"):
        j.click_link("Add a lot")
        page.get_by_label("Title", exact=True).fill(area)
        page.get_by_label(area, exact=True).check()
        page.get_by_label("Estimated annual value (£)").fill("300000")
        page.get_by_label("Duration (months)").fill("36")
        page.get_by_label("Payment model summary").fill("Fixed fee with a 10% outcome payment.")
        page.get_by_label("Share of the fee paid on outcomes (%)").fill("10")
        j.click_button("Save lot")
        j.flash("Lot saved.")

    for name, kind, weight in (
        ("Price", "Price", "30"),
        ("Quality of support", "Quality", "55"),
        ("Social value", "Social value", "15"),
    ):
        j.click_link("Add an evaluation criterion")
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label(kind, exact=True).check()
        page.get_by_label("Weight (%)").fill(weight)
        j.click_button("Save criterion")
        j.flash("Criterion saved.")

    dates = compliant_dates(timezone.now(), consortium=True)
    j.click_link("Set the timeline")
    for legend, field in (
        ("Deadline for questions", "question_deadline"),
        ("Answers published by", "answers_by"),
        ("Bid deadline", "bid_deadline"),
    ):
        j.fill_date(legend, _london_day(dates[field]))
    j.click_button("Save timeline")
    j.flash("Timeline saved.")

    for title, text in SECTIONS.items():
        if title == BLANK_SECTION:
            continue
        j.click_link(f"Edit {title}")
        page.get_by_label("Must-haves").fill(text)
        j.click_button("Save section")
        j.flash("Specification section saved.")
    return opportunity.reference


def _publish(j: Journey, reference: str) -> None:
    """s.12(4) and PRO-5: the accessibility report, a refusal naming the blank required
    section, then publication once it is written."""
    j.click_link("Lot accessibility report")
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Lot accessibility report")
    for lot in (LOT_1, "Lot 2: Durham"):
        expect(j.page.get_by_role("heading", name=lot, level=2)).to_be_visible()
    expect(j.page.get_by_role("table", name="Who could bid")).to_have_count(2)
    j.click_link("Back to the opportunity")

    j.click_link("Check and publish")
    j.click_button("Publish", exact=True)
    assert j.page.title().startswith("Error: ")
    summary = j.page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The opportunity cannot be published yet")
    closes = timezone.localdate() + timedelta(days=14)
    expect(summary.get_by_role("listitem")).to_have_text(
        [
            f"The specification section “{BLANK_SECTION}” is blank.",
            f"The consultation “{CONSULTATION}” runs until 11:59pm on {closes.day} "
            f"{closes:%B %Y}: publish after it closes, or close it early with a public note.",
        ]
    )
    assert Opportunity.objects.get(reference=reference).status == Opportunity.Status.DRAFT

    j.click_link("Back to the opportunity")
    j.click_link(f"Edit {BLANK_SECTION}")
    j.page.get_by_label("Must-haves").fill(SECTIONS[BLANK_SECTION])
    j.click_button("Save section")
    # CYC-3 (issue 11 item 20): the engagement ends, with a public note, before the tender opens.
    opportunity_url = j.page.url
    j.go("/engagement/")
    j.click_link(CONSULTATION)
    j.click_button("Close early")
    j.page.get_by_label("Why is the consultation closing early?").fill(
        "The responses have shaped the lots; the tender opens today."
    )
    j.click_button("Close the consultation now")
    j.flash("The consultation has closed. Responses are now refused.")
    expect(j.page.get_by_text("It closed early, on")).to_be_visible()
    j.page.goto(opportunity_url)
    j.axe(j.page)
    j.click_link("Check and publish")
    expect(j.page.get_by_text("Everything needed is in place.")).to_be_visible()
    j.click_button("Publish", exact=True)
    j.flash("Published: the opportunity is open for bids.")
    assert Opportunity.objects.get(reference=reference).status == Opportunity.Status.OPEN


def _register_interest(j: Journey, reference: str, role: str, note: str = "") -> None:
    j.go(f"/opportunities/{reference}/")
    j.click_link(f"Register interest in {LOT_1}")
    j.page.get_by_label(role, exact=True).check()
    if note:
        j.page.get_by_label("Note for possible partners (optional)").fill(note)
    j.click_button("Save interest")
    j.flash("Your interest is registered.")


def _date_change(j: Journey, reference: str, prime: str, commissioner: str) -> None:
    """PRO-3: a later bid deadline with a reason, sent to the interest holder and published."""
    opportunity = Opportunity.objects.get(reference=reference)
    assert opportunity.bid_deadline is not None
    old_day = _london_day(opportunity.bid_deadline)
    new_day = next_working_day_on_or_after(old_day + timedelta(days=7))
    reason = "More time for consortium bids after the market event."

    j.sign_in(commissioner)
    j.go(f"/opportunities/{reference}/")
    j.click_link("Change a published date")
    j.page.get_by_label("Bid deadline", exact=True).check()
    j.fill_date("New date", new_day)
    j.page.get_by_label("Reason for the change").fill(reason)
    j.click_button("Change date")
    j.flash("Date changed and interested organisations told.")
    j.sign_out()

    j.sign_in(prime)
    j.go("/notifications/")
    expect(
        j.page.get_by_role("link", name=f"Timeline changed: {reference} {TITLE}")
    ).to_be_visible()
    expect(j.page.get_by_text(reason)).to_be_visible()
    j.sign_out()

    j.go(f"/opportunities/{reference}/")
    change_log = j.page.get_by_role("table", name="Changes to the published dates")
    expect(change_log).to_contain_text(reason)
    expect(change_log).to_contain_text(f"{new_day.day} {new_day:%b %Y} 12:00")
    change = DateChange.objects.get()
    assert change.field == "bid_deadline" and not change.automatic
    assert _london_day(change.new_value) == new_day


def _clarification(j: Journey, reference: str, prime: str, commissioner: str) -> None:
    """PRO-4: asked by a provider, answered and published anonymised by the commissioner."""
    j.sign_in(prime)
    j.go(f"/opportunities/{reference}/")
    j.click_link("Ask a question")
    j.page.get_by_label("Which lot is your question about? (optional)").select_option(index=1)
    j.page.get_by_label("Your question", exact=True).fill(
        "Northshire runs the current hostel in Hexham: can we keep the building?"
    )
    j.click_button("Send question")
    j.flash("Question 1 sent. The answer is due by")
    j.sign_out()

    j.sign_in(commissioner)
    j.go(f"/opportunities/{reference}/questions/")
    expect(j.page.get_by_text("Asked by Priya Hiddenname")).to_be_visible()
    j.click_link("Answer and publish question 1")
    j.page.get_by_label("Question as it will be published").fill(
        "Can the current provider's building be kept?"
    )
    j.page.get_by_label("Answer", exact=True).fill("The building is leased until 2029.")
    j.click_button("Continue")
    expect(j.page.locator(".govuk-warning-text")).to_have_count(0)
    j.click_button("Publish answer")
    j.flash("Question 1 and its answer are published.")
    j.sign_out()

    j.go(f"/opportunities/{reference}/questions/")
    main = j.page.get_by_role("main")
    expect(main).to_contain_text("Can the current provider's building be kept?")
    expect(main).to_contain_text("The building is leased until 2029.")
    for secret in ("Northshire", "Priya", "Hiddenname", "Hexham"):
        assert secret not in j.page.content()
    assert Question.objects.get().status == Question.Status.ANSWERED


def _partners(
    j: Journey, reference: str, prime: str, second_prime: str, consortium_member: str
) -> None:
    """PRO-6: the second prime and a consortium member register interest; the first prime finds
    the consortium member on "looking for partners" and messages it; it reads and replies."""
    j.sign_in(second_prime)
    _register_interest(j, reference, "Prime provider")
    j.sign_out()
    j.sign_in(consortium_member)
    _register_interest(
        j, reference, "Consortium member", note="We bring specialist women's services."
    )
    j.sign_out()

    j.sign_in(prime)
    j.go(f"/opportunities/{reference}/")
    j.click_link(f"Looking for partners for {LOT_1}")
    expect(j.page.get_by_role("heading", name="3 organisations")).to_be_visible()
    j.page.get_by_label("Role").select_option("consortium_member")
    j.click_button("Apply filters")
    expect(j.page.get_by_text("We bring specialist women's services.")).to_be_visible()
    expect(j.page.get_by_role("link", name=SECOND_PRIME)).to_have_count(0)
    j.click_link(f"Message {CONSORTIUM}")
    j.page.get_by_label("Subject").fill("Consortium for lot 1")
    j.page.get_by_label("Message").fill("Would you deliver the women's service in our bid?")
    j.click_button("Send message")
    j.flash(f"Message sent to {CONSORTIUM}.")
    j.sign_out()

    j.sign_in(consortium_member)
    j.page.get_by_role("navigation", name="Menu").get_by_role("link", name="Messages").click()
    j.axe(j.page)
    expect(j.page.get_by_text("You have 1 unread message.")).to_be_visible()
    j.click_link("Consortium for lot 1")
    expect(j.page.get_by_text("Would you deliver the women's service in our bid?")).to_be_visible()
    j.page.get_by_label("Message").fill("Yes: name us as your sub-contractor.")
    j.click_button("Send reply")
    j.flash("Reply sent.")
    j.sign_out()
    assert Interest.objects.filter(lot__opportunity__reference=reference).count() == 3


def _prepare_bid(j: Journey, reference: str, organisation: str, price: str, subsidy: bool) -> str:
    """Start a bid for lot 1 from the opportunity page, price it and answer the criteria.
    Returns the bid page's address."""
    j.go(f"/opportunities/{reference}/")
    j.click_link("Start a bid for lot 1")
    j.page.get_by_label(organisation).check()
    j.click_button("Start a bid")
    expect(j.page.get_by_role("heading", level=1)).to_contain_text(organisation)
    bid_url = j.page.url

    j.click_link("Enter the price and full-cost disclosure")
    j.page.get_by_label("Price for the lot (£ a year)").fill(price)
    for label in ("Staff", "Overheads", "Premises", "Sub-contracting", "Other costs"):
        j.page.get_by_label(f"{label} (£ a year)", exact=True).fill("50000")
    if subsidy:
        j.page.get_by_label("Yes", exact=True).check()
        j.page.get_by_label("Describe the subsidy").fill("Rent-free rooms worth £12,000 a year.")
    else:
        j.page.get_by_label("No", exact=True).check()
    j.click_button("Save price and costs")

    j.click_link("Answer the evaluation criteria")
    for criterion in ("Quality of support", "Social value"):
        j.page.get_by_label(criterion, exact=True).fill(f"How {organisation} meets it.")
    j.click_button("Save answers")
    return bid_url


def _consented_bid(j: Journey, reference: str, prime: str, consortium_member: str) -> None:
    """PRO-7, PRO-8: the prime names the consortium member as sub-contractor; submission is
    refused until it confirms; then the bid is submitted with a receipt."""
    j.sign_in(prime)
    bid_url = _prepare_bid(j, reference, PRIME, "287654.32", subsidy=True)
    j.click_link("Name a sub-contractor")
    j.page.get_by_role("combobox", name="Sub-contractor").fill(CONSORTIUM)
    j.page.locator("#id_organisation__listbox").get_by_role("option", name=CONSORTIUM).click()
    j.page.get_by_label("Its role").fill("Specialist service for women")
    j.page.get_by_label("Services it will deliver").fill("One-to-one support")
    j.page.get_by_label("Referrals promised a year").fill("120")
    j.page.get_by_label("Value promised a year (£)").fill("45000")
    j.page.get_by_label("Share of its fee paid up front (%)").fill("20")
    j.page.get_by_label("Days you take to pay its invoices").fill("30")
    j.click_button("Name sub-contractor and ask them to confirm")
    j.flash(f"{CONSORTIUM} has not yet confirmed")

    j.click_link("Check and submit")
    assert j.page.title().startswith("Error: ")
    expect(j.page.locator(".govuk-error-summary")).to_contain_text(
        f"{CONSORTIUM} has not yet confirmed it agrees to be named."
    )
    expect(j.page.get_by_role("button", name="Submit bid")).to_have_count(0)
    j.sign_out()

    j.sign_in(consortium_member)
    j.go("/bids/")
    j.click_link(PRIME)
    expect(j.page.get_by_text("£45,000.00")).to_be_visible()
    expect(j.page.get_by_text("287,654.32")).to_have_count(0)
    j.page.get_by_label("Yes, we confirm").check()
    j.click_button("Send answer")
    j.flash("You confirmed.")
    j.sign_out()
    assert Subcontractor.objects.get().organisation.name == CONSORTIUM

    j.sign_in(prime)
    j.page.goto(bid_url)
    j.axe(j.page)
    j.click_link("Check and submit")
    j.click_button("Submit bid")
    receipt = Receipt.objects.get()
    expect(j.page.locator("#receipt-reference")).to_have_text(receipt.reference)
    expect(j.page.locator("#receipt-digest")).to_have_text(receipt.digest)
    j.sign_out()


def _late_bid_and_opening(j: Journey, reference: str, second_prime: str, commissioner: str) -> None:
    """The second prime's bid, ready but submitted a minute after the deadline, is refused by the
    server's clock; the commissioner then opens the bids and reads the one submitted in time."""
    j.sign_in(second_prime)
    late_url = _prepare_bid(j, reference, SECOND_PRIME, "199000", subsidy=False)
    j.sign_out()

    deadline = Opportunity.objects.get(reference=reference).bid_deadline
    assert deadline is not None
    with time_machine.travel(deadline - timedelta(minutes=10), tick=True) as traveller:
        j.sign_in(second_prime)
        j.page.goto(late_url)
        j.axe(j.page)
        j.click_link("Check and submit")
        submit = j.page.get_by_role("button", name="Submit bid")
        expect(submit).to_be_visible()
        traveller.move_to(deadline + timedelta(minutes=1))
        submit.click()
        j.axe(j.page)
        assert j.page.title().startswith("Error: ")
        expect(j.page.locator(".govuk-error-summary")).to_contain_text("late bids are refused")
        late = Bid.objects.get(organisation__name=SECOND_PRIME)
        assert late.status == Bid.Status.DRAFT
        j.sign_out()

        j.sign_in(commissioner)
        j.go(f"/opportunities/{reference}/")
        j.click_link("Open and read the bids for lot 1")
        j.click_button("Open the bids")
        j.flash("Bids opened: 1 submitted bid.")
        expect(j.page.get_by_role("link", name=SECOND_PRIME)).to_have_count(0)
        j.click_link(PRIME)
        expect(j.page.get_by_text("£287,654.32")).to_be_visible()
        expect(j.page.get_by_text("Unchanged since submission")).to_be_visible()
        expect(j.page.get_by_text(f"How {PRIME} meets it.").first).to_be_visible()


# ----------------------------------------------------------------------------- the journey


def test_issue_3_journey_from_consultation_to_opened_bids(
    page: Page, live_server: Any, axe: Any
) -> None:
    AreaFactory(name="Northumbria")
    AreaFactory(name="Durham")
    exercise: CommissioningExercise = ExerciseFactory.create(
        title="Resettlement support in the North East"
    )
    published_assessment(exercise)  # EQU-1: the tender needs it (its own journey: test_equality)
    commissioner = commissioner_of(exercise)
    organisations: dict[str, Organisation] = {
        PRIME: OrganisationFactory.create(name=PRIME, is_prime=True),
        SECOND_PRIME: OrganisationFactory.create(name=SECOND_PRIME, is_prime=True),
        CONSORTIUM: OrganisationFactory.create(name=CONSORTIUM, women_led=True),
    }
    prime = member_of(
        organisations[PRIME], username="priya", first_name="Priya", last_name="Hiddenname"
    )
    second_prime = member_of(organisations[SECOND_PRIME])
    consortium_member = member_of(organisations[CONSORTIUM])
    j = Journey(page, live_server.url, axe)

    _consultation(j, exercise.reference, prime.username, commissioner.username)

    j.sign_in(commissioner.username)
    reference = _draft_opportunity(j, exercise.reference)
    _publish(j, reference)
    j.sign_out()

    j.sign_in(prime.username)
    _register_interest(j, reference, "Prime provider")
    j.sign_out()

    _date_change(j, reference, prime.username, commissioner.username)
    assert Notification.objects.filter(user=prime, kind="procurement.timeline_change").exists()
    _clarification(j, reference, prime.username, commissioner.username)
    _partners(j, reference, prime.username, second_prime.username, consortium_member.username)
    _consented_bid(j, reference, prime.username, consortium_member.username)
    _late_bid_and_opening(j, reference, second_prime.username, commissioner.username)
