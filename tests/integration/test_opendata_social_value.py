"""Social value in OCDS (issue 15 item "social value, promised and delivered"; EVA-3, LAW-1):
each quarter the prime reported is an implementation update of the contract whose metrics carry,
per commitment, the target pledged and the figure delivered, exactly; the package validates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from commissioning.accounts.models import User
from commissioning.opendata import publication
from commissioning.opendata.ocds.validate import validate_package
from commissioning.social_value import services
from tests.contract_factories import contract_with_parties
from tests.factories import client_for, member_of

pytestmark = pytest.mark.django_db

TODAY = "2026-08-15 12:00+01:00"
Q2, Q3 = date(2026, 4, 1), date(2026, 7, 1)


@time_machine.travel(TODAY, tick=False)
def test_two_commitments_and_two_quarters_are_published_with_their_figures() -> None:
    contract = contract_with_parties()
    commissioner = member_of(contract.commissioning_body, User.Role.COMMISSIONER)
    prime_member = member_of(contract.prime)
    people = services.add_commitment(
        commissioner,
        contract,
        measure="people_with_convictions",
        description="Employ 4 people with convictions each quarter",
        target_per_quarter=Decimal("4"),
    )
    spend = services.add_commitment(
        commissioner,
        contract,
        measure="vcse_spend",
        description="Spend £12,500 a quarter with local voluntary organisations",
        target_per_quarter=Decimal("12500"),
    )
    services.report(prime_member, people, Q2, Decimal("3"))
    services.report(prime_member, people, Q3, Decimal("5"))
    services.report(prime_member, spend, Q2, Decimal("10000"))
    july = services.report(prime_member, spend, Q3, Decimal("11250.50"))
    services.review(commissioner, july, "accept")

    package = client_for(None).get(f"/api/contracts/{contract.reference}/ocds").json()
    updates = [r for r in package["releases"] if "-SV-" in r["id"]]
    assert [r["tag"] for r in updates] == [["implementationUpdate"]] * 2
    figures = {}
    for release in updates:
        (section,) = release["contracts"]
        assert section["id"] == contract.reference
        (document,) = section["implementation"]["documents"]
        assert document["url"].endswith(f"/contracts/{contract.reference}/social-value/")
        for metric in section["implementation"]["metrics"]:
            for observation in metric["observations"]:
                figure = observation.get("value") or {
                    "measure": observation["measure"],
                    "unit": observation["unit"]["name"],
                }
                figures[observation["id"]] = (figure, observation["dimensions"])
    p, s = f"social-value-{people.pk}", f"social-value-{spend.pk}"
    people_q2 = {"measure": 3, "unit": "people"}
    assert figures == {
        f"{p}-2026Q2-target": ({"measure": 4, "unit": "people"}, {"figure": "target"}),
        f"{p}-2026Q2-delivered": (people_q2, {"figure": "delivered", "reportStatus": "submitted"}),
        f"{p}-2026Q3-target": ({"measure": 4, "unit": "people"}, {"figure": "target"}),
        f"{p}-2026Q3-delivered": (
            {"measure": 5, "unit": "people"},
            {"figure": "delivered", "reportStatus": "submitted"},
        ),
        f"{s}-2026Q2-target": ({"amount": 12500, "currency": "GBP"}, {"figure": "target"}),
        f"{s}-2026Q2-delivered": (
            {"amount": 10000, "currency": "GBP"},
            {"figure": "delivered", "reportStatus": "submitted"},
        ),
        f"{s}-2026Q3-target": ({"amount": 12500, "currency": "GBP"}, {"figure": "target"}),
        f"{s}-2026Q3-delivered": (
            {"amount": 11250.5, "currency": "GBP"},
            {"figure": "delivered", "reportStatus": "accepted"},
        ),
    }
    metric = updates[1]["contracts"][0]["implementation"]["metrics"][0]
    assert metric["title"] == "Social value: People with convictions employed"
    assert metric["description"] == "Employ 4 people with convictions each quarter"
    july_obs = metric["observations"][0]["period"]
    assert july_obs["startDate"].startswith("2026-07-01T00:00:00")
    assert july_obs["endDate"].startswith("2026-09-30T23:59:59")
    # The UK7's agreed metrics stay the KPIs.
    (uk7,) = [r for r in package["releases"] if "-UK7-" in r["id"]]
    assert "social-value" not in str(uk7.get("contracts"))

    result = validate_package(package)
    assert result.error_count == 0, result.summary()

    # The bulk files carry them too.
    every = publication.all_releases("https://example.test")
    assert sum(1 for r in every if "-SV-" in r["id"]) == 2
