"""National standards for commissioning bodies (MKT-3; issue 19 item 2): each standard computed
from the records for every body at once, checked by hand for two bodies; the inspector's report
lists every commissioning body and the public summary shows the same figures; commissioners and
providers cannot open the inspector's report."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from html import escape

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.clarifications.models import Question
from commissioning.directory.models import Organisation
from commissioning.exercises.models import CommissioningExercise
from commissioning.invoices.models import Invoice, Payment
from commissioning.procurement.models import Opportunity
from commissioning.standards.queries import compliance
from commissioning.standards.rules import StandardsFileError, parse
from tests.contract_factories import ContractFactory
from tests.equality_factories import published_assessment
from tests.factories import (
    CommissioningBodyFactory,
    ExerciseFactory,
    OrganisationFactory,
    UserFactory,
    client_for,
    member_of,
)
from tests.procurement_factories import DraftOpportunityFactory, ProcurementLotFactory

pytestmark = pytest.mark.django_db

TODAY = date(2027, 6, 30)


def _published(
    exercise: CommissioningExercise, on: date, window: timedelta, *lot_values: int
) -> Opportunity:
    published = datetime(on.year, on.month, on.day, 9, tzinfo=UTC)
    opportunity = DraftOpportunityFactory(
        exercise=exercise, published_at=published, bid_deadline=published + window
    )
    for value in lot_values:
        ProcurementLotFactory(opportunity=opportunity, estimated_annual_value=Decimal(value))
    return opportunity


def _question(
    opportunity: Opportunity, number: int, due: date, answered: date | None, status: str
) -> None:
    Question.objects.create(
        opportunity=opportunity,
        number=number,
        original_text="Can partners bid?",
        text="Can partners bid?",
        asked_at=datetime(2027, 1, 10, 10, tzinfo=UTC),
        response_working_days=5,
        due_on=due,
        status=status,
        answered_at=datetime(answered.year, answered.month, answered.day, 16, tzinfo=UTC)
        if answered
        else None,
    )


def _invoice(
    body: Organisation,
    issuer: Organisation,
    received: date,
    paid: date | None,
    amount: str,
) -> None:
    contract = ContractFactory(commissioning_body=body, prime=issuer)
    invoice = Invoice.objects.create(
        contract=contract,
        tier=Invoice.Tier.PRIME,
        issuer_party="prime",
        issuer=issuer,
        payer=body,
        reference=f"INV-{received:%m%d}-{amount}",
        period=1,
        amount=Decimal(amount),
        received_on=received,
        terms_days=30,
        due_on=received + timedelta(days=30),
        amount_paid=Decimal(amount) if paid else Decimal(0),
        paid_on=paid,
    )
    if paid:
        Payment.objects.create(invoice=invoice, paid_on=paid, amount=Decimal(amount))


def _two_bodies() -> tuple[Organisation, Organisation]:
    alpha = CommissioningBodyFactory(name="Alpha Police and Crime Commissioner")
    bravo = CommissioningBodyFactory(name="Bravo Police and Crime Commissioner")
    charity = OrganisationFactory(org_type=Organisation.OrgType.VCS_CHARITY)
    company = OrganisationFactory(org_type=Organisation.OrgType.PRIVATE)

    assessed = ExerciseFactory(commissioning_body=alpha)
    published_assessment(assessed)
    unassessed = ExerciseFactory(commissioning_body=alpha)
    # Alpha: a 10-week window (lots £400,000 and £600,000), a 6-week one (£300,000), and a
    # draft that counts for nothing.
    first = _published(assessed, date(2027, 1, 4), timedelta(weeks=10), 400_000, 600_000)
    _published(unassessed, date(2027, 2, 1), timedelta(weeks=6), 300_000)
    ProcurementLotFactory(
        opportunity=DraftOpportunityFactory(exercise=unassessed),
        estimated_annual_value=Decimal(100_000),
    )
    _question(first, 1, date(2027, 1, 20), date(2027, 1, 19), Question.Status.ANSWERED)
    _question(first, 2, date(2027, 1, 20), date(2027, 1, 21), Question.Status.ANSWERED)
    _question(first, 3, date(2027, 6, 1), None, Question.Status.AWAITING)  # overdue
    _question(first, 4, date(2027, 7, 10), None, Question.Status.AWAITING)  # not due yet
    _question(first, 5, date(2027, 1, 20), None, Question.Status.WITHDRAWN)
    _invoice(alpha, charity, date(2027, 3, 1), date(2027, 3, 25), "1000.00")  # 24 days
    _invoice(alpha, company, date(2027, 3, 1), date(2027, 4, 5), "3000.00")  # 35 days
    _invoice(alpha, company, date(2027, 6, 20), None, "500.00")  # not yet due
    _invoice(alpha, company, date(2027, 4, 1), None, "700.00")  # unpaid after 30 days

    # Bravo: exactly 8 weeks, a £500,000 lot, assessed; one invoice paid on day 30.
    bravo_exercise = ExerciseFactory(commissioning_body=bravo)
    published_assessment(bravo_exercise)
    _published(bravo_exercise, date(2027, 3, 1), timedelta(weeks=8), 500_000)
    _invoice(bravo, company, date(2027, 5, 1), date(2027, 5, 31), "2000.00")
    return alpha, bravo


EXPECTED = {
    "Alpha Police and Crime Commissioner": [
        ("bid_window", "50.0% (1 of 2 published tenders)", "not_met"),
        ("clarifications_on_time", "33.3% (1 of 3 questions due or answered)", "not_met"),
        ("small_lots", "66.7% (2 of 3 lots of published tenders)", "met"),
        ("prompt_payment", "33.3% (1 of 3 invoices paid or overdue)", "not_met"),
        ("equality_assessments", "50.0% (1 of 2 exercises that reached procurement)", "not_met"),
        ("vcs_spend", "25.0% (£1,000.00 of £4,000.00)", "met"),
    ],
    "Bravo Police and Crime Commissioner": [
        ("bid_window", "100.0% (1 of 1 published tenders)", "met"),
        ("clarifications_on_time", "No questions due or answered yet", "no_data"),
        ("small_lots", "100.0% (1 of 1 lots of published tenders)", "met"),
        ("prompt_payment", "100.0% (1 of 1 invoices paid or overdue)", "met"),
        ("equality_assessments", "100.0% (1 of 1 exercises that reached procurement)", "met"),
        ("vcs_spend", "0.0% (£0.00 of £2,000.00)", "not_met"),
    ],
}


def test_each_standard_for_two_bodies_by_hand_in_one_query_per_standard() -> None:
    _two_bodies()
    with CaptureQueriesContext(connection) as queries:
        report = compliance(today=TODAY)
    assert len(queries.captured_queries) == len(report.standards) + 1
    found = {
        entry.body.name: [(r.standard.key, r.figures, r.standing.value) for r in entry.results]
        for entry in report.bodies
    }
    assert {name: found[name] for name in EXPECTED} == EXPECTED


@time_machine.travel(datetime(2027, 6, 30, 12, tzinfo=UTC), tick=False)
def test_the_inspector_sees_every_body_and_the_public_summary_the_same_figures() -> None:
    _two_bodies()
    inspector = UserFactory(role=User.Role.INSPECTOR)
    report = client_for(inspector).get(reverse("standards:inspection"))
    summary = client_for(None).get(reverse("standards:summary"))
    assert report.status_code == summary.status_code == 200
    report_html, summary_html = report.content.decode(), summary.content.decode()
    for body in Organisation.objects.filter(is_commissioning_body=True):
        assert f'<h2 class="govuk-heading-m">{body.name}</h2>' in report_html
        assert body.name in summary_html
    for rows in EXPECTED.values():
        for _, figures, _ in rows:
            assert figures in report_html and figures in summary_html
    assert "2 standards met, 4 not met." in report_html  # Alpha


@pytest.mark.parametrize("role", [User.Role.COMMISSIONER, User.Role.PROVIDER])
def test_commissioners_and_providers_cannot_open_the_inspectors_report(role: str) -> None:
    body, _ = _two_bodies()
    user = member_of(body if role == User.Role.COMMISSIONER else OrganisationFactory(), role=role)
    assert client_for(user).get(reverse("standards:inspection")).status_code == 403
    assert client_for(None).get(reverse("standards:inspection")).status_code == 302


def test_a_deployment_file_with_an_unknown_or_incomplete_standard_is_refused() -> None:
    with pytest.raises(StandardsFileError, match="Unknown standard 'speed'"):
        parse({"standards": [{"key": "speed", "target_percent": 90}]})
    with pytest.raises(StandardsFileError, match="bid_window: set minimum_weeks"):
        parse({"standards": [{"key": "bid_window", "target_percent": 100}]})
    standards = parse(
        {"standards": [{"key": "bid_window", "minimum_weeks": 12, "target_percent": 80}]}
    )
    assert standards[0].title == "Bid windows of at least 12 weeks"


def test_in_the_demo_the_inspector_sees_every_commissioning_body_as_the_public_does() -> None:
    call_command("load_demo_market", seed=2026, scale=0.05, with_users=True, verbosity=0)
    inspector = User.objects.get(username="inspector")
    report_html = client_for(inspector).get(reverse("standards:inspection")).content.decode()
    summary_html = client_for(None).get(reverse("standards:summary")).content.decode()
    report = compliance()
    bodies = Organisation.objects.filter(is_commissioning_body=True)
    assert len(report.bodies) == bodies.count() > 1
    for entry in report.bodies:
        assert f'<h2 class="govuk-heading-m">{escape(entry.body.name)}</h2>' in report_html
        for result in entry.results:
            row = (
                f'<th scope="row" class="govuk-table__header">{escape(entry.body.name)}</th>\n'
                f'      <td class="govuk-table__cell">{escape(result.figures)}</td>'
            )
            assert row in summary_html
            assert escape(result.figures) in report_html
    # The demo's tenders were published with their exercises' assessments.
    assert any(
        r.standard.key == "equality_assessments" and r.standing == "met"
        for entry in report.bodies
        for r in entry.results
    )
