"""Grant rounds (CYC-6): the call, proportionate applications, a panel with declared interests,
moderated scores, decisions with feedback to every applicant, agreements with their payment
schedule, and the awarded grants in the 360Giving Data Standard."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from commissioning.accounts.models import User
from commissioning.grants import giving360, services
from commissioning.grants.models import GrantApplication, GrantRound
from commissioning.grants.publication import awarded_grants
from commissioning.notifications.models import Notification
from tests.factories import ExerciseFactory, OrganisationFactory, client_for, member_of

pytestmark = pytest.mark.django_db

SCHEMA_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "360giving" / "schema"
SHORT = {
    "title": "Drop-in for women on release",
    "activity": "A weekly drop-in with a hot meal and a caseworker.",
    "beneficiaries": "Women leaving HMP Low Newton in the first month.",
    "amount_requested": "4,500",
    "difference": "Fewer missed probation appointments and more women housed.",
}


def make_round(**overrides: object) -> tuple[GrantRound, User, list[User]]:
    exercise = ExerciseFactory()
    body = exercise.commissioning_body
    commissioner = member_of(body, role=User.Role.COMMISSIONER)
    assessors = [member_of(body, role=User.Role.EVALUATOR) for _ in range(2)]
    values: dict[str, object] = {
        "title": "Small grants for women's services",
        "purpose": "Local groups supporting women on probation.",
        "eligibility": "Registered charities and community groups in the area.",
        "amount_available": "20000",
        "minimum_grant": "1000",
        "maximum_grant": "15000",
        "short_form_limit": "5000",
        "opens_on": date(2026, 1, 5),
        "closes_on": date(2026, 2, 5),
        "decision_by": date(2026, 3, 5),
        "criteria": [("Need", "Who it helps and why"), ("Difference", "What will change")],
    }
    values.update(overrides)
    grant_round = services.create_round(commissioner, exercise, **values)  # type: ignore[arg-type]
    for assessor in assessors:
        services.assign_assessor(commissioner, grant_round, assessor)
    services.open_round(commissioner, grant_round)
    return grant_round, commissioner, assessors


def test_a_round_moves_from_draft_to_decided_and_every_applicant_hears() -> None:
    """CYC-6: two small charities apply with the short form, the panel declares, scores and
    moderates, and the decision with feedback reaches both applicants."""
    grant_round, commissioner, (first, second) = make_round()
    assert grant_round.reference.endswith("-G1")
    assert grant_round.status == GrantRound.Status.OPEN
    charity_a = OrganisationFactory(name="Women Onwards", charity_number="1234567")
    charity_b = OrganisationFactory(name="Hope Street", company_number="ab123456")
    member_a, member_b = member_of(charity_a), member_of(charity_b)
    app_a = services.save_application(member_a, grant_round, charity_a, SHORT, submit=True)
    app_b = services.save_application(
        member_b, grant_round, charity_b, {**SHORT, "amount_requested": "3000"}, submit=True
    )
    assert app_a.amount_requested == Decimal("4500.00")
    assert app_a.status == GrantApplication.Status.SUBMITTED

    services.close_round(commissioner, grant_round)
    criteria = list(grant_round.criteria.all())
    # The first assessor has a conflict with Women Onwards: they cannot score it.
    services.declare_interest(first, app_a, has_conflict=True, details="I am a trustee there.")
    services.declare_interest(first, app_b, has_conflict=False)
    services.declare_interest(second, app_a, has_conflict=False)
    services.declare_interest(second, app_b, has_conflict=False)
    with pytest.raises(PermissionDenied):
        services.score(first, app_a, criteria[0], value=3, comment="Strong")
    for criterion in criteria:
        services.score(second, app_a, criterion, value=4, comment="Clear need")
        services.score(first, app_b, criterion, value=1, comment="Thin")
        services.score(second, app_b, criterion, value=2, comment="Some need")
        services.moderate(commissioner, app_a, criterion, value=4, note="Agreed")
        services.moderate(commissioner, app_b, criterion, value=1, note="Agreed lower")
    assert services.moderated_total(app_a) == 8

    services.decide_round(
        commissioner,
        grant_round,
        {
            app_a.pk: services.Decision(True, "A clear plan for a real gap.", "4500"),
            app_b.pk: services.Decision(False, "The need was not shown for this area."),
        },
    )
    grant_round.refresh_from_db()
    app_a.refresh_from_db()
    app_b.refresh_from_db()
    assert grant_round.status == GrantRound.Status.DECIDED
    assert (app_a.status, app_a.amount_awarded) == ("awarded", Decimal("4500.00"))
    assert app_b.status == "not_awarded"
    note_a = Notification.objects.get(user=member_a, subject__contains="successful")
    assert "£4,500.00" in note_a.body and "A clear plan" in note_a.body
    note_b = Notification.objects.get(user=member_b, subject__contains="not successful")
    assert "The need was not shown" in note_b.body

    agreement = services.make_agreement(
        commissioner,
        app_a,
        starts_on=date(2026, 4, 1),
        ends_on=date(2027, 3, 31),
        instalments=[(date(2026, 4, 1), "2250"), (date(2026, 10, 1), "2250.00")],
        monitoring_note="Numbers helped each quarter.",
    )
    assert [i.amount for i in agreement.instalments.all()] == [Decimal("2250.00")] * 2
    report = services.report_monitoring(
        member_a, agreement, period_end=date(2026, 6, 30), people_helped="14", summary="Ran 12."
    )
    assert report.people_helped == 14


def test_the_long_form_is_asked_for_only_above_the_short_form_limit() -> None:
    grant_round, _, _ = make_round()
    charity = OrganisationFactory()
    member = member_of(charity)
    with pytest.raises(ValidationError) as refused:
        services.save_application(
            member, grant_round, charity, {**SHORT, "amount_requested": "9000"}, submit=True
        )
    assert set(refused.value.message_dict) == {"budget_breakdown", "delivery_plan", "risks"}
    assert not GrantApplication.objects.exists()
    with pytest.raises(ValidationError) as too_much:
        services.save_application(
            member, grant_round, charity, {**SHORT, "amount_requested": "15001"}, submit=True
        )
    assert too_much.value.message_dict["amount_requested"] == [
        "The largest grant in this round is £15,000.00"
    ]


def test_only_members_apply_and_awards_stay_within_the_amount_available() -> None:
    grant_round, commissioner, (assessor, _) = make_round(
        amount_available="5000", maximum_grant="5000"
    )
    charity = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        services.save_application(member_of(OrganisationFactory()), grant_round, charity, SHORT)
    application = services.save_application(
        member_of(charity), grant_round, charity, SHORT, submit=True
    )
    other = OrganisationFactory()
    second = services.save_application(
        member_of(other), grant_round, other, {**SHORT, "amount_requested": "2000"}, submit=True
    )
    services.close_round(commissioner, grant_round)
    for app in (application, second):
        services.declare_interest(assessor, app, has_conflict=False)
        for criterion in grant_round.criteria.all():
            services.score(assessor, app, criterion, value=3, comment="Good")
            services.moderate(commissioner, app, criterion, value=3, note="Agreed")
    with pytest.raises(ValidationError) as refused:
        services.decide_round(
            commissioner,
            grant_round,
            {
                application.pk: services.Decision(True, "Good", "4500"),
                second.pk: services.Decision(True, "Good", "2000"),
            },
        )
    assert refused.value.message_dict["__all__"] == [
        "The awards add up to £6,500.00, more than the £5,000.00 available"
    ]
    grant_round.refresh_from_db()
    assert grant_round.status == GrantRound.Status.CLOSED
    assert GrantApplication.objects.filter(status="awarded").count() == 0


def _decided_round() -> tuple[GrantRound, GrantApplication, GrantApplication]:
    grant_round, commissioner, (assessor, _) = make_round()
    charity = OrganisationFactory(name="Women Onwards", charity_number="1234567")
    company = OrganisationFactory(name="Hope Street CIC", company_number="ab123456")
    group = OrganisationFactory(name="Riverside Group", slug="riverside-group")
    apps = [
        services.save_application(member_of(org), grant_round, org, SHORT, submit=True)
        for org in (charity, company, group)
    ]
    services.close_round(commissioner, grant_round)
    for app in apps:
        services.declare_interest(assessor, app, has_conflict=False)
        for criterion in grant_round.criteria.all():
            services.score(assessor, app, criterion, value=3, comment="Good")
            services.moderate(commissioner, app, criterion, value=3, note="Agreed")
    services.decide_round(
        commissioner,
        grant_round,
        {
            apps[0].pk: services.Decision(True, "Good", "4500"),
            apps[1].pk: services.Decision(True, "Good", "3999.50"),
            apps[2].pk: services.Decision(False, "Outside the area"),
        },
    )
    services.make_agreement(
        commissioner,
        apps[0],
        starts_on=date(2026, 4, 1),
        ends_on=date(2027, 3, 31),
        instalments=[(date(2026, 4, 1), "4500")],
        monitoring_note="Quarterly numbers.",
    )
    return grant_round, apps[0], apps[1]


def test_awarded_grants_validate_against_the_360giving_schema() -> None:
    """CYC-6: the package validates at 0 errors, with the standard's identifiers."""
    grant_round, charity_app, _company_app = _decided_round()
    package = giving360.grants_package(
        awarded_grants("https://example.org"), title="Grants", publisher_name="Commissioning"
    )
    grant_schema = json.loads((SCHEMA_DIR / "360-giving-schema.json").read_text())
    package_schema = json.loads((SCHEMA_DIR / "360-giving-package-schema.json").read_text())
    # The schema names its dialect as http://…/draft/2020-12/schema, which referencing does not
    # recognise by that spelling: say which it is.
    resource = DRAFT202012.create_resource(grant_schema)
    registry = Registry().with_resources(
        [
            (grant_schema["$id"], resource),
            (package_schema["properties"]["grants"]["items"]["$ref"], resource),
        ]
    )
    validator = Draft202012Validator(
        package_schema, registry=registry, format_checker=FormatChecker()
    )
    assert [error.message for error in validator.iter_errors(package)] == []
    assert len(package["grants"]) == 2
    by_name = {g["recipientOrganization"][0]["name"]: g for g in package["grants"]}
    first, second = by_name["Women Onwards"], by_name["Hope Street CIC"]
    assert first["id"] == f"360G-commissioning-{grant_round.reference}-{charity_app.pk}"
    assert first["recipientOrganization"][0]["id"] == "GB-CHC-1234567"
    assert second["recipientOrganization"][0]["id"] == "GB-COH-AB123456"
    assert second["amountAwarded"] == 3999.5
    assert first["plannedDates"][0]["startDate"] == "2026-04-01T00:00:00+00:00"
    body = grant_round.exercise.commissioning_body
    assert first["fundingOrganization"][0]["id"] == f"360G-commissioning-org-{body.slug}"


def test_the_360giving_csv_opens_with_the_standards_headings() -> None:
    _decided_round()
    response = client_for(None).get("/grants/360giving.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:7] == [
        "Identifier",
        "Title",
        "Description",
        "Currency",
        "Amount Applied For",
        "Amount Awarded",
        "Award Date",
    ]
    for heading in (
        "Recipient Org:Identifier",
        "Recipient Org:Name",
        "Recipient Org:Charity Number",
        "Recipient Org:Company Number",
        "Funding Org:Identifier",
        "Funding Org:Name",
    ):
        assert heading in rows[0]
    by_name = {
        row["Recipient Org:Name"]: row
        for row in (dict(zip(rows[0], row, strict=True)) for row in rows[1:])
    }
    assert {name: row["Amount Awarded"] for name, row in by_name.items()} == {
        "Women Onwards": "4500.00",
        "Hope Street CIC": "3999.50",
    }
    assert by_name["Women Onwards"]["Recipient Org:Charity Number"] == "1234567"
    assert by_name["Hope Street CIC"]["Recipient Org:Identifier"] == "GB-COH-AB123456"
    assert (
        client_for(None)
        .get("/grants/360giving.json")
        .json()["grants"][1]["id"]
        .startswith("360G-commissioning-")
    )


def test_opendata_links_the_grants_downloads() -> None:
    page = client_for(None).get("/opendata/").content.decode()
    assert "/grants/360giving.json" in page and "/grants/360giving.csv" in page
