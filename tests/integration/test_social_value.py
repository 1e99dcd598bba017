"""Social value promised and delivered (issue 15; EVA-2, EVA-3, LAW-1): the contract's
commissioners record what the winning bid promised under the social value criterion, the prime
reports each quarter's delivery, the commissioners accept or query it, and everyone sees the
pledged-against-delivered table with its running totals. Refusals write nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.http import HttpResponse
from django.utils.html import strip_tags

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.awards import services as awards_services
from commissioning.contracts.models import Contract, ContractParty
from commissioning.social_value.models import Commitment, QuarterlyReport
from commissioning_analytics.timelines.working_days import LONDON
from tests.contract_factories import contract_with_parties
from tests.factories import OrganisationFactory, client_for, member_of
from tests.integration.awards_setup import award_setup

pytestmark = pytest.mark.django_db

#: Inside the contract's second quarter (it starts 1 April 2026): April to June and July to
#: September have begun, October to December has not.
TODAY = "2026-08-15 12:00+01:00"
Q2, Q3, Q4 = "2026-04-01", "2026-07-01", "2026-10-01"


def _text(html: str) -> str:
    return " ".join(strip_tags(html).split())


def _rows(page: str, commitment: Commitment) -> list[list[str]]:
    table = page.split(f'id="table-{commitment.pk}"')[1].split("</table>")[0]
    rows = table.split("<tr")[2:]
    return [
        [
            _text(cell.split(">", 1)[1].split("</t")[0])
            for cell in row.split("<t")[1:]
            if cell[:1] in "hd"
        ]
        for row in rows
    ]


def _setting() -> tuple[Contract, User, User]:
    contract = contract_with_parties()
    commissioner = member_of(contract.commissioning_body, User.Role.COMMISSIONER)
    prime_member = member_of(contract.prime)
    return contract, commissioner, prime_member


def _add(commissioner: User, contract: Contract, **data: str) -> Commitment:
    url = f"/contracts/{contract.reference}/social-value/commitments/add/"
    response = client_for(commissioner).post(url, data)
    assert response.status_code == 302, response.content.decode()
    return Commitment.objects.filter(contract=contract).latest("pk")


def _report(
    user: User | None,
    contract: Contract,
    commitment: Commitment,
    quarter: str,
    delivered: str,
    note: str = "",
) -> HttpResponse:
    url = f"/contracts/{contract.reference}/social-value/report/"
    return client_for(user).post(
        url,
        {"commitment": commitment.pk, "quarter": quarter, "delivered": delivered, "note": note},
    )


@time_machine.travel(TODAY, tick=False)
def test_commitments_two_quarters_and_the_published_table() -> None:
    """The done-when test: two commitments, two quarters of delivery, the public table's hand
    figures, with a shortfall on each."""
    contract, commissioner, prime_member = _setting()
    people = _add(
        commissioner,
        contract,
        measure="people_with_convictions",
        description="Employ 4 people with convictions each quarter",
        target_per_quarter="4",
    )
    spend = _add(
        commissioner,
        contract,
        measure="vcse_spend",
        description="Spend £12,500 a quarter with local voluntary organisations",
        target_per_quarter="12500",
    )
    assert (people.unit, spend.unit) == ("people", "£")
    assert people.bid is None  # no award on the platform to cite: the form said not to

    public = client_for(None).get(f"/contracts/{contract.reference}/social-value/").content.decode()
    assert "Nothing has been reported against this commitment yet." in public
    assert _rows(public, people)[0] == ["April to June 2026", "4", "Not reported", "4", "0", "4"]

    for commitment, quarter, delivered, note in (
        (people, Q2, "3", "One start deferred to July"),
        (people, Q3, "5", ""),
        (spend, Q2, "10000", ""),
        (spend, Q3, "11250.50", "Two grants paid late"),
    ):
        response = _report(prime_member, contract, commitment, quarter, delivered, note)
        assert response.status_code == 302, response.content.decode()
    assert QuarterlyReport.objects.filter(commitment__contract=contract).count() == 4
    assert AuditEvent.objects.filter(action="social_value.report").count() == 4

    public = client_for(None).get(f"/contracts/{contract.reference}/social-value/").content.decode()
    # Quarter | target | delivered | target so far | delivered so far | short so far
    assert _rows(public, people) == [
        ["April to June 2026", "4", "3", "4", "3", "1"],
        ["July to September 2026", "4", "5", "8", "8", "None"],
    ]
    assert _rows(public, spend) == [
        ["April to June 2026", "£12,500.00", "£10,000.00", "£12,500.00", "£10,000.00", "£2,500.00"],
        [
            "July to September 2026",
            "£12,500.00",
            "£11,250.50",
            "£25,000.00",
            "£21,250.50",
            "£3,749.50",
        ],
    ]
    assert "Nothing has been reported" not in public
    # The notes are for the commissioners and the prime.
    assert "One start deferred to July" not in public
    assert "Two grants paid late" not in public
    for insider in (commissioner, prime_member):
        page = client_for(insider).get(f"/contracts/{contract.reference}/social-value/")
        assert "Two grants paid late" in page.content.decode()
    # The section is linked from the contract's other pages.
    detail = client_for(None).get(contract.get_absolute_url()).content.decode()
    assert f'href="/contracts/{contract.reference}/social-value/"' in detail


@time_machine.travel(TODAY, tick=False)
def test_refused_reports_write_nothing() -> None:
    contract, commissioner, prime_member = _setting()
    people = _add(
        commissioner,
        contract,
        measure="other",
        unit="sessions",
        description="Peer mentors run a session each month",
        target_per_quarter="3",
    )
    assert people.unit == "sessions"
    sub = ContractParty.objects.filter(
        contract=contract, role=ContractParty.Role.SUBCONTRACTOR
    ).first()
    assert sub is not None
    subcontractor = member_of(sub.organisation)
    outsider = member_of(OrganisationFactory())
    audit_before = AuditEvent.objects.count()

    assert _report(subcontractor, contract, people, Q2, "3").status_code == 403
    assert _report(outsider, contract, people, Q2, "3").status_code == 403
    assert _report(None, contract, people, Q2, "3").status_code == 302  # to sign in

    not_begun = _report(prime_member, contract, people, Q4, "3")
    assert not_begun.status_code == 400
    assert "October to December 2026 has not begun yet: report it once it has" in _text(
        not_begun.content.decode()
    )
    negative = _report(prime_member, contract, people, Q2, "-1")
    assert negative.status_code == 400
    assert "Enter what was delivered as 0 or more" in _text(negative.content.decode())

    assert not QuarterlyReport.objects.exists()
    assert AuditEvent.objects.count() == audit_before

    # Only the contract's commissioners record commitments.
    url = f"/contracts/{contract.reference}/social-value/commitments/add/"
    data = {"measure": "volunteering_hours", "description": "x", "target_per_quarter": "10"}
    assert client_for(prime_member).post(url, data).status_code == 403
    refused = client_for(commissioner).post(url, {**data, "target_per_quarter": "-5"})
    assert refused.status_code == 400
    assert "Enter a target each quarter greater than 0" in _text(refused.content.decode())
    assert Commitment.objects.filter(contract=contract).count() == 1


@time_machine.travel(TODAY, tick=False)
def test_a_queried_figure_is_reported_again_and_then_accepted() -> None:
    contract, commissioner, prime_member = _setting()
    hours = _add(
        commissioner,
        contract,
        measure="volunteering_hours",
        description="Staff give 40 volunteering hours a quarter",
        target_per_quarter="40",
    )
    assert _report(prime_member, contract, hours, Q2, "400").status_code == 302
    report = QuarterlyReport.objects.get(commitment=hours)
    review = f"/contracts/{contract.reference}/social-value/reports/{report.pk}/review/"
    assert client_for(prime_member).post(review, {"decision": "accept"}).status_code == 403
    no_question = client_for(commissioner).post(review, {"decision": "query"})
    assert no_question.status_code == 400
    assert "Enter your question about the figure" in _text(no_question.content.decode())
    response = client_for(commissioner).post(
        review, {"decision": "query", "question": "400 hours looks like a typing slip"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == QuarterlyReport.Status.QUERIED
    public = client_for(None).get(f"/contracts/{contract.reference}/social-value/").content.decode()
    assert "Queried" in public
    assert "typing slip" not in public

    assert _report(prime_member, contract, hours, Q2, "40").status_code == 302
    report.refresh_from_db()
    assert (report.status, report.delivered) == (QuarterlyReport.Status.SUBMITTED, Decimal("40.00"))
    assert client_for(commissioner).post(review, {"decision": "accept"}).status_code == 302
    again = _report(prime_member, contract, hours, Q2, "41")
    assert again.status_code == 400
    assert "April to June 2026 has been accepted: it can no longer change" in _text(
        again.content.decode()
    )
    report.refresh_from_db()
    assert (report.status, report.delivered) == (QuarterlyReport.Status.ACCEPTED, Decimal("40.00"))


def test_a_commitment_cites_the_winning_bid() -> None:
    s = award_setup()
    award = awards_services.decide_award(
        s.commissioner, s.lot, "Highest total on the published criteria."
    )
    assert award.standstill_ends_at is not None
    with time_machine.travel(award.standstill_ends_at, tick=False):
        start = award.standstill_ends_at.astimezone(LONDON).date() + timedelta(days=7)
        contract = awards_services.create_contract(
            s.commissioner, award, start, outcome_target=Decimal(60)
        )
    commitment = _add(
        s.commissioner,
        contract,
        measure="service_user_sessions",
        description="Two service-user panels a quarter",
        target_per_quarter="2",
        from_winning_bid="on",
    )
    assert commitment.bid_id == award.winning_bid_id


@time_machine.travel(TODAY, tick=False)
def test_the_public_sees_the_section_without_its_forms() -> None:
    contract, commissioner, prime_member = _setting()
    url = f"/contracts/{contract.reference}/social-value/"
    empty = _text(client_for(None).get(url).content.decode())
    assert "No social value commitments have been recorded for this contract yet." in empty
    _add(
        commissioner,
        contract,
        measure="volunteering_hours",
        description="Staff give 40 volunteering hours a quarter",
        target_per_quarter="40",
    )
    public = client_for(None).get(url).content.decode()
    assert "Target each quarter: 40 hours." in _text(public)
    assert "/social-value/report/" not in public
    assert "/social-value/commitments/add/" not in public
    assert "/social-value/report/" in client_for(prime_member).get(url).content.decode()
    assert "/social-value/commitments/add/" in client_for(commissioner).get(url).content.decode()
