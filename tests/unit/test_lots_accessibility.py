"""The lot accessibility report (PRO-1, PRO-2) on a tiny market counted by hand.

The lot: the North East probation region (Northumbria, Durham, Cleveland), mentoring, £300,000 a
year, minimum turnover 3× the annual value (£900,000) and 3 months' reserves.

=====================  =========  ========  ==========  ============  =========  ========
provider               type       income    reserves    areas         in scope   eligible
=====================  =========  ========  ==========  ============  =========  ========
national-prime         private    £20m      6           E&W           yes        yes
ne-mentors             charity    £1m       4           NE region     yes        yes
durham-mentors         charity    £250k     12          Durham        yes        no
cleveland-mentors      charity    £200k     2           Cleveland     yes        no
northumbria-mentors    charity    £400k     5           Northumbria   yes        no
northumbria-housing    charity    £450k     6           Northumbria   no (spec)  –
london-mentors         charity    £5m       6           London        no (area)  –
durham-social          social e.  £80k      10          Durham        yes        no
=====================  =========  ========  ==========  ============  =========  ========
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from commissioning_analytics.lots.accessibility import (
    EXCLUDES_LOCAL_CHARITIES,
    REG_58_9,
    accessibility_report,
    assess_lot,
)
from commissioning_analytics.lots.conditions import AccessibilityParams, LotSpec
from commissioning_analytics.lots.market import MarketColumns, market_columns_from_records
from commissioning_analytics.market.synthetic_types import SyntheticOrganisation

NE = "north-east-probation-region"


def org(
    slug: str,
    org_type: str,
    income: int,
    reserves: str,
    areas: tuple[str, ...],
    specialisms: tuple[str, ...] = ("mentoring",),
    *,
    bame_led: bool = False,
    women_led: bool = False,
    lived: bool = False,
) -> SyntheticOrganisation:
    return SyntheticOrganisation(
        name=slug,
        slug=slug,
        org_type=org_type,
        annual_income=Decimal(income),
        reserves_months=Decimal(reserves),
        areas=areas,
        specialisms=specialisms,
        bame_led=bame_led,
        women_led=women_led,
        lived_experience_led=lived,
    )


HAND_MARKET = (
    org("national-prime", "private", 20_000_000, "6", ("england-and-wales",)),
    org("ne-mentors", "vcs_charity", 1_000_000, "4", (NE,)),
    org("durham-mentors", "vcs_charity", 250_000, "12", ("durham",), women_led=True),
    org("cleveland-mentors", "vcs_charity", 200_000, "2", ("cleveland",), lived=True),
    org("northumbria-mentors", "vcs_charity", 400_000, "5", ("northumbria",)),
    org("northumbria-housing", "vcs_charity", 450_000, "6", ("northumbria",), ("accommodation",)),
    org("london-mentors", "vcs_charity", 5_000_000, "6", ("london",)),
    org("durham-social", "social_enterprise", 80_000, "10", ("durham",), bame_led=True),
)

LOT = LotSpec(
    name="North East mentoring",
    areas=(NE,),
    specialisms=("mentoring",),
    annual_value=Decimal(300_000),
    duration_months=36,
    min_turnover_multiple=Decimal(3),
    min_reserves_months=Decimal(3),
)


@pytest.fixture(scope="module")
def market() -> MarketColumns:
    return market_columns_from_records(HAND_MARKET)


def test_counts_in_scope_and_eligible_by_hand(market: MarketColumns) -> None:
    result = assess_lot(market, LOT)
    assert (result.total.in_scope, result.total.eligible) == (6, 2)
    bands = {band: (c.in_scope, c.eligible) for band, c in result.by_size_band.items()}
    assert bands == {
        "micro": (0, 0),
        "small": (1, 0),
        "medium": (3, 0),
        "large": (1, 1),
        "major": (1, 1),
    }
    assert (result.small.in_scope, result.small.eligible) == (4, 0)
    led = {group: (c.in_scope, c.eligible) for group, c in result.by_led_by.items()}
    assert led == {
        "bame_led": (1, 0),
        "women_led": (1, 0),
        "lived_experience_led": (1, 0),
        "user_led": (0, 0),
    }
    assert (result.specialist_led.in_scope, result.specialist_led.eligible) == (3, 0)
    # Local charities: ne-, durham-, cleveland- and northumbria-mentors; only ne-mentors passes.
    assert (result.local_charities.in_scope, result.local_charities.eligible) == (4, 1)


def test_reg_58_9_warning_when_turnover_exceeds_twice_the_annual_value(
    market: MarketColumns,
) -> None:
    codes = [w.code for w in assess_lot(market, LOT).warnings]
    assert REG_58_9 in codes
    at_the_limit = LotSpec(
        "At the limit", (NE,), Decimal(300_000), 36, ("mentoring",), Decimal(2), Decimal(3)
    )
    assert REG_58_9 not in [w.code for w in assess_lot(market, at_the_limit).warnings]
    message = next(w.message for w in assess_lot(market, LOT).warnings if w.code == REG_58_9)
    assert "£900,000" in message and "reg. 58(9)" in message


def test_warning_when_conditions_exclude_most_local_charities(market: MarketColumns) -> None:
    result = assess_lot(market, LOT)
    warning = next(w for w in result.warnings if w.code == EXCLUDES_LOCAL_CHARITIES)
    assert "3 of the 4 local charities" in warning.message and "75%" in warning.message
    # With the threshold raised to 80%, excluding 75% is no longer flagged.
    tolerant = AccessibilityParams(charity_exclusion_threshold=0.8)
    codes = [w.code for w in assess_lot(market, LOT, tolerant).warnings]
    assert EXCLUDES_LOCAL_CHARITIES not in codes


def test_no_conditions_means_everyone_in_scope_is_eligible(market: MarketColumns) -> None:
    open_lot = LotSpec("Open", (NE,), Decimal(300_000), 36, ("mentoring",))
    result = assess_lot(market, open_lot)
    assert result.total.in_scope == result.total.eligible == 6
    assert result.warnings == ()


def test_a_force_area_lot_takes_region_and_national_providers_but_not_neighbours(
    market: MarketColumns,
) -> None:
    durham = LotSpec("Durham", ("durham",), Decimal(50_000), 24)
    result = assess_lot(market, durham)
    # national-prime, ne-mentors (region), durham-mentors, durham-social; no specialism filter.
    assert result.total.in_scope == 4


def test_report_summary_and_warnings(market: MarketColumns) -> None:
    report = accessibility_report(market, [LOT])
    text = report.summary()
    assert "North East mentoring: 2 of 6 providers in scope" in text
    assert "WARNING reg-58-9" in text and "SUGGESTION: split by police force area" in text
    assert {code for _, code in ((n, w.code) for n, w in report.warnings)} == {
        REG_58_9,
        EXCLUDES_LOCAL_CHARITIES,
    }


def test_lot_validation() -> None:
    with pytest.raises(ValueError):
        LotSpec("No areas", (), Decimal(1), 12)
    with pytest.raises(ValueError):
        LotSpec("Free", (NE,), Decimal(0), 12)
    with pytest.raises(ValueError):
        LotSpec("Negative", (NE,), Decimal(1), 12, min_reserves_months=Decimal(-1))


def test_unknown_areas_and_specialisms_are_refused(market: MarketColumns) -> None:
    with pytest.raises(ValueError, match="unknown area"):
        assess_lot(market, LotSpec("Atlantis", ("atlantis",), Decimal(1), 12))
    with pytest.raises(ValueError, match="unknown specialism"):
        assess_lot(market, LotSpec("Juggling", (NE,), Decimal(1), 12, ("juggling",)))


def test_lot_and_params_validation() -> None:
    with pytest.raises(ValueError, match="duration"):
        LotSpec("Never", (NE,), Decimal(1), 0)
    assert LotSpec("Open", (NE,), Decimal(1), 12).minimum_turnover is None
    assert LOT.minimum_turnover == Decimal(900_000)
    with pytest.raises(ValueError):
        AccessibilityParams(charity_exclusion_threshold=1.5)
    with pytest.raises(ValueError):
        AccessibilityParams(split_value_basis="by whim")
