"""A contract's commissioners see each probation area's record over the escalations under the
contracts their body commissions (REF-2, issue 14): the figures and the late ones, never an
escalation itself, and nothing of another body's contracts.

Hand table (targets from settings; Monday 1 June 2026, working hours 09:00-17:00 London):

==  =========  ======  =========================  ===============================
 #  urgency    raised  acknowledged (due)         responded (due)
==  =========  ======  =========================  ===============================
 1  same day   10:00   11:00 (12:00) in time      15:00 (17:00) in time
 2  immediate  10:00   11:30 (11:00) late 30 min  never (14:00): overdue
==  =========  ======  =========================  ===============================

In all 2 raised; acknowledged within target 1 of 2 (50%), median 1 hour 15 minutes; responded
1 of 2 (50%). Late: number 2 only. A third escalation, under another body's contract served by
the same probation area, counts for neither commissioner of the first body.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.contracts.models import ContractParty
from commissioning.escalations import queries, services
from commissioning.escalations.models import Escalation
from commissioning_analytics.timelines.working_days import LONDON
from tests.contract_factories import contract_with_parties
from tests.factories import client_for, member_of
from tests.integration.escalations_setup import Cast, cast, raise_one

pytestmark = pytest.mark.django_db

U = Escalation.Urgency
NOW = datetime(2026, 6, 30, 12, 0, tzinfo=LONDON)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 6, 1, hour, minute, tzinfo=LONDON)


@pytest.fixture
def c() -> Cast:
    return cast()


def _hand_table(c: Cast) -> tuple[Escalation, Escalation, Escalation, User]:
    first = raise_one(c, at=at(10), urgency=U.SAME_DAY)
    services.acknowledge(c.probation, first, now=at(11))
    services.respond(c.probation, first, "Done.", now=at(15))
    second = raise_one(c, at=at(10), urgency=U.IMMEDIATE)
    services.acknowledge(c.probation, second, now=at(11, 30))
    # Another body's contract in the same probation area, with its own commissioner.
    other = contract_with_parties()
    other.lot.areas.add(*c.contract.lot.areas.all())
    party = other.parties.filter(role=ContractParty.Role.SUBCONTRACTOR).first()
    assert party is not None and party.organisation is not None
    other_sub = member_of(party.organisation, username="other-sub")
    third = services.raise_escalation(
        other_sub,
        other,
        organisation=party.organisation,
        category=Escalation.Category.LICENCE_BREACH,
        urgency=U.IMMEDIATE,
        what_happened="Did not attend and would not say where they were living.",
        occurred_at=at(8),
        now=at(9),
    )
    other_commissioner = member_of(
        other.commissioning_body, role=User.Role.COMMISSIONER, username="other-commissioner"
    )
    return first, second, third, other_commissioner


def test_the_commissioner_sees_each_areas_figures_for_its_contracts_only(c: Cast) -> None:
    _, second, third, _ = _hand_table(c)
    body = c.contract.commissioning_body
    [area] = queries.commissioned_record(body, NOW)
    assert area.probation_body == c.probation_body
    overall = area.record.overall
    assert overall.raised == 2
    assert (overall.acknowledge_counts, overall.acknowledge_share) == ("1 of 2", "50%")
    assert overall.acknowledge_median == "1 hour 15 minutes"
    assert (overall.respond_counts, overall.respond_share) == ("1 of 2", "50%")
    rows = {row.urgency: row for row in area.record.rows}
    assert (rows[U.IMMEDIATE].raised, rows[U.IMMEDIATE].acknowledge_counts) == (1, "0 of 1")
    assert (rows[U.SAME_DAY].raised, rows[U.SAME_DAY].respond_counts) == (1, "1 of 1")
    assert [item.escalation.pk for item in area.record.late] == [second.pk]
    assert area.record.late[0].acknowledgement.text == "Late by 30 minutes"

    page = client_for(c.commissioner).get(
        reverse("escalations:commissioned_record", args=[body.slug])
    )
    assert page.status_code == 200
    assert c.probation_body.name in page.text
    assert "50% (1 of 2)" in page.text and "Late by 30 minutes" in page.text
    assert second.reference in page.text and third.reference not in page.text
    # The figures, not the content: no link into an escalation and nothing it says.
    assert second.get_absolute_url() not in page.text
    assert "new address" not in page.text and "would not say" not in page.text
    assert client_for(c.commissioner).get(second.get_absolute_url()).status_code == 404
    assert client_for(c.commissioner).get(f"/api/escalations/{second.pk}").status_code == 404
    # The contract page and the body's profile link to it, for its commissioners.
    url = reverse("escalations:commissioned_record", args=[body.slug])
    assert url in client_for(c.commissioner).get(c.contract.get_absolute_url()).text
    assert url not in client_for(c.sub_member).get(c.contract.get_absolute_url()).text


def test_another_bodys_commissioner_sees_only_its_own_contracts(c: Cast) -> None:
    _, second, third, other_commissioner = _hand_table(c)
    body = c.contract.commissioning_body
    mine = reverse("escalations:commissioned_record", args=[body.slug])
    assert client_for(other_commissioner).get(mine).status_code == 404
    theirs = reverse(
        "escalations:commissioned_record", args=[third.contract.commissioning_body.slug]
    )
    assert client_for(c.commissioner).get(theirs).status_code == 404
    page = client_for(other_commissioner).get(theirs)
    assert page.status_code == 200
    assert third.reference in page.text and second.reference not in page.text
    [area] = queries.commissioned_record(third.contract.commissioning_body, NOW)
    assert area.record.overall.raised == 1


def test_outsiders_and_the_bodys_other_staff_see_nothing(c: Cast) -> None:
    _hand_table(c)
    url = reverse("escalations:commissioned_record", args=[c.contract.commissioning_body.slug])
    for user in (c.outsider, c.site_admin, c.sub_member, c.probation, c.pcc_probation):
        assert client_for(user).get(url).status_code == 404, user.username
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/sign-in/" in anonymous["Location"]
    # A probation body's own record page stays its staff's.
    record = reverse("escalations:record", args=[c.probation_body.slug])
    assert client_for(c.commissioner).get(record).status_code == 404
