"""Anonymous concerns in the browser (SUP-5): someone reports a concern without an account and
is shown the receipt once, after the warning that a lost one cannot be recovered; the independent
reviewer unlocks their key, acknowledges it and asks a question with a file; the reporter comes
back with the receipt, downloads the file and answers; the reviewer closes it with an outcome,
which appears anonymised on the published summary (5 or more closed concerns of its kind).
axe-core on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commissioning.accounts.models import User
from commissioning.concerns import lifecycle, services
from commissioning.concerns.models import Concern
from tests.e2e.helpers import Journey
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSPHRASE = "a long passphrase only I know"
REVIEWERS_FILE = b"%PDF-1.4\n(Synthetic payment terms for the reporter)\n%%EOF"


def closed_concerns_before(reviewer: User, count: int) -> None:
    """Concerns about "something else" already closed as upheld, so that the summary can show
    the kind (it never shows fewer than 5)."""
    private = services.unlock(reviewer.concern_key, PASSPHRASE)
    for number in range(count):
        concern = services.report(
            subject_kind=Concern.SubjectKind.DESCRIBED,
            subject_reference="",
            subject_label="",
            described_subject="A framework's supply chain",
            what_happened=f"Synthetic earlier concern {number}",
            contact="",
            attachments=[],
        ).concern
        data_key = services.reviewer_data_key(reviewer, private, concern)
        for target, outcome in (
            (lifecycle.Status.ACKNOWLEDGED, ""),
            (lifecycle.Status.CLOSED, Concern.Outcome.UPHELD),
        ):
            services.change_status(
                reviewer, data_key, concern, target, message="Thank you.", outcome=outcome
            )


def test_report_acknowledge_question_answer_close_and_summary(
    page: Page, live_server: Any, axe: Any
) -> None:
    reviewer = UserFactory(username="independent-reviewer", role=User.Role.REVIEWER)
    services.create_reviewer_key(reviewer, PASSPHRASE)
    reviewer.refresh_from_db()
    closed_concerns_before(reviewer, 4)
    walk = Journey(page, live_server.url, axe)

    # The reporter, without an account. (The live server's first page loads every module.)
    page.goto(f"{live_server.url}/concerns/", timeout=90_000)
    axe(page)
    walk.click_button("Report a concern")
    expect(page.get_by_text("nobody can recover it")).to_be_visible()
    page.get_by_label("What is your concern about?").select_option("described")
    page.get_by_label("Describe what it is about").fill("A prime's treatment of its partners")
    page.get_by_label("What happened").fill(
        "Payments to sub-contractors were held back for five months after each invoice."
    )
    page.get_by_role("button", name="Send the concern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your concern has been sent")
    axe(page)
    warning = page.locator("#lost-receipt-warning")
    expect(warning).to_contain_text("If you lose it, nobody can recover it")
    receipt = page.locator("#receipt").inner_text()
    assert len(receipt.replace(" ", "")) == 16 and receipt.count(" ") == 3
    assert page.evaluate(
        "document.getElementById('lost-receipt-warning').compareDocumentPosition("
        "document.getElementById('receipt')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    concern = Concern.objects.order_by("-pk").first()
    assert concern is not None

    # The reviewer acknowledges it and asks a question.
    walk.sign_in("independent-reviewer")
    walk.go("/review/concerns/key/")
    page.get_by_label("Passphrase").fill(PASSPHRASE)
    walk.click_button("Unlock")
    walk.click_link(f"Concern {concern.pk}")
    expect(page.locator("#what-happened")).to_contain_text("held back for five months")
    page.get_by_label("Acknowledged").check()
    page.get_by_label("Message to the reporter").fill("Thank you: we have received your concern.")
    walk.click_button("Change the status")
    expect(page.locator("#status")).to_have_text("Acknowledged")
    page.get_by_label("Question or reply to the reporter").fill(
        "Which contract were the invoices under?"
    )
    page.get_by_label("Attach a file for the reporter (optional)").set_input_files(
        {"name": "payment terms.pdf", "mimeType": "application/pdf", "buffer": REVIEWERS_FILE}
    )
    walk.click_button("Send to the reporter")
    expect(page.get_by_role("alert")).to_contain_text(
        "The hidden details of payment terms.pdf (a PDF) could not be removed"
    )
    page.get_by_label("Internal note").fill("Check the payments compliance figures first.")
    walk.click_button("Add the note")
    walk.sign_out()

    # The reporter comes back with the receipt and answers.
    walk.go("/concerns/return/")
    page.get_by_label("Your receipt").fill(receipt)
    walk.click_button("Open my concern")
    expect(page.locator("#status")).to_have_text("Acknowledged")
    expect(page.get_by_text("Which contract were the invoices under?")).to_be_visible()
    expect(page.get_by_text("Check the payments compliance")).to_have_count(0)
    expect(page.get_by_text("From the reviewers")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download payment terms.pdf").click()
    assert Path(download.value.path()).read_bytes() == REVIEWERS_FILE
    page.get_by_label("Your answer").fill("The resettlement contract in the north east.")
    walk.click_button("Send")
    expect(page.get_by_text("Your answer has been sent")).to_be_visible()

    # The reviewer closes it with an outcome.
    walk.sign_in("independent-reviewer")
    walk.go("/review/concerns/key/")
    page.get_by_label("Passphrase").fill(PASSPHRASE)
    walk.click_button("Unlock")
    walk.go(f"/review/concerns/{concern.pk}/")
    expect(page.get_by_text("The resettlement contract in the north east.")).to_be_visible()
    page.get_by_label("Closed").check()
    page.get_by_label("Outcome (when closing)").select_option("upheld")
    page.get_by_label("Message to the reporter").fill("The prime has changed its payment terms.")
    walk.click_button("Change the status")
    expect(page.locator("#status")).to_have_text("Closed")
    walk.sign_out()

    # The published summary, anonymised.
    walk.go("/concerns/outcomes/")
    table = page.locator("#outcomes")
    expect(table).to_contain_text("Something else")
    expect(table).to_contain_text("Upheld: practice changed: 5")
    expect(page.get_by_text("held back for five months")).to_have_count(0)
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
