"""At tender design a lot shows the smallest change in reoffending its yearly cohort could
reliably show (PBR-2, OUT-1; seed 003 §14.5), so payments are not tied to effects no one could
measure."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from commissioning.procurement.models import Opportunity
from tests.factories import client_for
from tests.procurement_factories import commissioner_of, ready_opportunity

pytestmark = pytest.mark.django_db

ASSUMPTION = "This assumes about 40 in 100 people reoffend within a year"


def _lots_text(opportunity: Opportunity) -> str:
    client = client_for(commissioner_of(opportunity))
    response = client.get(reverse("procurement:detail", args=[opportunity.reference]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_a_single_lot_shows_what_its_yearly_cohort_can_detect() -> None:
    """600 people over a 36-month lot is 200 a year; against 200 matched at 40%:
    2.8016 × sqrt(0.24 × 2/200) = 13.72 points, so 14 points or more."""
    draft = ready_opportunity(lots=1, expected_service_users=600)
    lot = draft.lots.get()
    assert lot.duration_months == 36
    assert lot.people_a_year == 200
    text = _lots_text(draft)
    assert (
        "With 200 people a year, a reoffending measure can detect only a change of 14 points "
        "or more."
    ) in text
    assert ASSUMPTION in text


def test_a_shorter_lot_serves_more_people_a_year() -> None:
    """1,800 people over 24 months is 900 a year: 2.8016 × sqrt(0.24 × 2/900) = 6.47 → 7."""
    draft = ready_opportunity(lots=1, expected_service_users=1800)
    draft.lots.update(duration_months=24)
    assert (
        "With 900 people a year, a reoffending measure can detect only a change of 7 points"
    ) in _lots_text(draft)


@pytest.mark.parametrize(
    ("lots", "expected"), [(2, 600), (1, None)], ids=["people-not-split-by-lot", "no-people"]
)
def test_nothing_is_shown_when_the_lot_s_people_a_year_are_unknown(
    lots: int, expected: int | None
) -> None:
    draft = ready_opportunity(lots=lots, expected_service_users=expected)
    assert all(lot.people_a_year is None for lot in draft.lots.all())
    text = _lots_text(draft)
    assert "can detect only a change" not in text
    assert ASSUMPTION not in text
