"""A probation body's record against the response targets (REF-2), on a hand table of five
escalations in the week of Monday 1 June 2026 (targets from settings: immediate 1 hour / 4 hours
on the clock; same working day 2 working hours / the close of the day; within 3 working days 1 / 3
working days; working hours 09:00-17:00 London):

====  ==========  =================  =============================  ==============================
 #    urgency     raised             acknowledged (due)             responded (due)
====  ==========  =================  =============================  ==============================
 1    immediate   Mon 10:00          Mon 10:20 (11:00) in time      Mon 13:00 (14:00) in time
 2    immediate   Mon 10:00          Mon 11:30 (11:00) late 30 min  Mon 15:00 (14:00) late 1 h
 3    same day    Mon 16:30          Tue 09:00 (Tue 10:30) in time  Tue 12:00 (Mon 17:00) late 19 h
 4    3 days      Wed 10:00          Thu 16:00 (Thu 17:00) in time  Fri 10:00 (Mon 8, 17:00) in time
 5    3 days      Wed 10:00          never (Thu 17:00): overdue     never (Mon 8, 17:00): overdue
====  ==========  =================  =============================  ==============================

Immediate: 1 of 2 acknowledged in time (50%), medians 55 minutes and 4 hours; same day: 1 of 1
and 0 of 1, medians 16 h 30 and 19 h 30; three days: 1 of 2 and 1 of 2, medians 1 day 6 hours
and 2 days; in all, 3 of 5 (60%) and 2 of 5 (40%). Late: 2, 3 and 5.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from commissioning.escalations import queries, services
from commissioning.escalations.models import Escalation
from commissioning_analytics.timelines.working_days import LONDON
from tests.factories import client_for
from tests.integration.escalations_setup import Cast, cast, raise_one

pytestmark = pytest.mark.django_db

U = Escalation.Urgency


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 6, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def c() -> Cast:
    return cast()


def _hand_table(c: Cast) -> list[Escalation]:
    rows = [
        (U.IMMEDIATE, at(1, 10), at(1, 10, 20), at(1, 13)),
        (U.IMMEDIATE, at(1, 10), at(1, 11, 30), at(1, 15)),
        (U.SAME_DAY, at(1, 16, 30), at(2, 9), at(2, 12)),
        (U.THREE_DAYS, at(3, 10), at(4, 16), at(5, 10)),
        (U.THREE_DAYS, at(3, 10), None, None),
    ]
    made = []
    for urgency, raised, acknowledged, responded in rows:
        escalation = raise_one(c, at=raised, urgency=urgency)
        if acknowledged:
            services.acknowledge(c.probation, escalation, now=acknowledged)
        if responded:
            escalation = services.respond(c.probation, escalation, "Done.", now=responded)
        made.append(escalation)
    return made


def test_deadlines_are_set_from_the_targets_when_raised(c: Cast) -> None:
    made = _hand_table(c)
    assert [(e.acknowledge_by, e.respond_by) for e in made] == [
        (at(1, 11), at(1, 14)),
        (at(1, 11), at(1, 14)),
        (at(2, 10, 30), at(1, 17)),
        (at(4, 17), at(8, 17)),
        (at(4, 17), at(8, 17)),
    ]


def test_the_record_on_the_hand_table(c: Cast) -> None:
    made = _hand_table(c)
    record = queries.body_record(c.probation_body, at(30, 12))
    rows = {row.urgency: row for row in record.rows}
    immediate, same_day, three_days = rows[U.IMMEDIATE], rows[U.SAME_DAY], rows[U.THREE_DAYS]
    assert (immediate.raised, immediate.acknowledge_share, immediate.acknowledge_counts) == (
        2,
        "50%",
        "1 of 2",
    )
    assert (immediate.acknowledge_median, immediate.respond_median) == ("55 minutes", "4 hours")
    assert immediate.respond_share == "50%"
    assert (same_day.acknowledge_share, same_day.respond_share) == ("100%", "0%")
    assert same_day.acknowledge_median == "16 hours 30 minutes"
    assert same_day.respond_median == "19 hours 30 minutes"
    assert (three_days.acknowledge_counts, three_days.respond_counts) == ("1 of 2", "1 of 2")
    assert (three_days.acknowledge_median, three_days.respond_median) == (
        "1 day 6 hours",
        "2 days",
    )
    overall = record.overall
    assert (overall.raised, overall.acknowledge_share, overall.respond_share) == (5, "60%", "40%")
    assert [item.escalation.pk for item in record.late] == [made[4].pk, made[2].pk, made[1].pk]
    texts = {
        item.escalation.pk: (item.acknowledgement.text, item.response.text) for item in record.late
    }
    assert texts[made[1].pk] == ("Late by 30 minutes", "Late by 1 hour")
    assert texts[made[2].pk] == ("Within target", "Late by 19 hours")
    assert texts[made[4].pk][0].startswith("Overdue by")


def test_the_record_page_and_the_late_escalation(c: Cast) -> None:
    made = _hand_table(c)
    client = client_for(c.probation)
    page = client.get(reverse("escalations:record", args=[c.probation_body.slug]))
    assert page.status_code == 200
    text = page.text
    assert "60% (3 of 5)" in text and "40% (2 of 5)" in text
    assert "Late by 19 hours" in text
    assert made[2].reference in text and made[0].reference not in text
    detail = client.get(made[2].get_absolute_url()).text
    assert "Late by 19 hours" in detail and "Within target" in detail
    # The probation service's other staff read the record without links into the escalations.
    manager = client_for(c.probation_manager).get(
        reverse("escalations:record", args=[c.probation_body.slug])
    )
    assert made[2].reference in manager.text
    assert made[2].get_absolute_url() not in manager.text


def test_an_answer_is_stamped_once(c: Cast) -> None:
    escalation = raise_one(c, at=at(1, 10), urgency=U.SAME_DAY)
    services.respond(c.probation, escalation, "Straight to the response.", now=at(1, 11))
    escalation.refresh_from_db()
    assert escalation.acknowledged_at == escalation.responded_at == at(1, 11)
    assert escalation.responded_at - escalation.raised_at == timedelta(hours=1)


def test_the_bodys_list_shows_the_waiting_first(c: Cast) -> None:
    made = _hand_table(c)
    listed = list(queries.waiting_first(queries.for_body(c.probation_body)))
    assert listed[0] == made[4]
    page = client_for(c.probation).get(reverse("escalations:body", args=[c.probation_body.slug]))
    assert page.text.index(made[4].reference) < page.text.index(made[3].reference)
    assert "Late by 19 hours" in page.text and "Overdue by" in page.text
