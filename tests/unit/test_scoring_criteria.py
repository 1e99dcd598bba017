"""Criteria sets, scales and the criteria library (EVA-1, EVA-2, EVA-3)."""

from decimal import Decimal

import pytest

from commissioning_analytics.scoring.criteria import (
    DEFAULT_QUALITY_SCALE,
    Band,
    CriteriaSet,
    Criterion,
    CriterionKind,
    Scale,
)
from commissioning_analytics.scoring.errors import ScoringError
from commissioning_analytics.scoring.library import LIBRARY, PRICE, library_criterion


def crit(id: str, kind: CriterionKind, weight: str, minimum: int | None = None) -> Criterion:
    return Criterion(id, id.title(), kind, Decimal(weight), minimum)


PRICE_40 = crit("price", CriterionKind.PRICE, "40")
SERVICE_50 = crit("service", CriterionKind.QUALITY, "50")
SOCIAL_10 = crit("social", CriterionKind.SOCIAL_VALUE, "10")


def test_valid_set_exposes_price_and_social_value_share() -> None:
    criteria = CriteriaSet.of([PRICE_40, SERVICE_50, SOCIAL_10])
    assert criteria.price == PRICE_40
    assert criteria.price_weight == Decimal(40)
    assert criteria.social_value_share == Decimal(10)
    assert criteria.judged == (SERVICE_50, SOCIAL_10)
    assert criteria["service"] is SERVICE_50
    assert "Social value carries 10%" in criteria.summary()


def test_fractional_decimal_weights_add_up_exactly() -> None:
    criteria = CriteriaSet.of(
        [
            crit("price", CriterionKind.PRICE, "33.3"),
            crit("a", CriterionKind.QUALITY, "33.3"),
            crit("b", CriterionKind.SOCIAL_VALUE, "33.4"),
        ]
    )
    assert criteria.social_value_share == Decimal("33.4")


def test_weights_must_add_up_to_100() -> None:
    with pytest.raises(ScoringError, match=r"add up to 99%"):
        CriteriaSet.of([PRICE_40, crit("service", CriterionKind.QUALITY, "49"), SOCIAL_10])


def test_social_value_below_ten_percent_is_refused_with_its_share() -> None:
    with pytest.raises(ScoringError, match=r"at least 10% .*it carries 7\.5%"):
        CriteriaSet.of(
            [
                PRICE_40,
                crit("service", CriterionKind.QUALITY, "52.5"),
                crit("social", CriterionKind.SOCIAL_VALUE, "7.5"),
            ]
        )


def test_price_alone_is_refused() -> None:
    with pytest.raises(ScoringError, match=r"Price \('price'\) cannot be the only.*quality"):
        CriteriaSet.of([crit("price", CriterionKind.PRICE, "100")])


def test_only_one_price_criterion() -> None:
    with pytest.raises(ScoringError, match=r"Only one price criterion.*'p1', 'p2'"):
        CriteriaSet.of(
            [
                crit("p1", CriterionKind.PRICE, "20"),
                crit("p2", CriterionKind.PRICE, "20"),
                SERVICE_50,
                SOCIAL_10,
            ]
        )


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ScoringError, match="service repeated"):
        CriteriaSet.of([PRICE_40, SERVICE_50, crit("service", CriterionKind.SOCIAL_VALUE, "10")])


def test_unknown_criterion_lookup_names_it() -> None:
    criteria = CriteriaSet.of([PRICE_40, SERVICE_50, SOCIAL_10])
    with pytest.raises(ScoringError, match="'nope'"):
        criteria["nope"]


def test_threshold_must_lie_on_the_scale() -> None:
    with pytest.raises(ScoringError, match=r"'service': minimum score 120 is outside"):
        crit("service", CriterionKind.QUALITY, "50", minimum=120)


def test_price_cannot_have_a_minimum_score() -> None:
    with pytest.raises(ScoringError, match="'price' is price"):
        crit("price", CriterionKind.PRICE, "40", minimum=50)


def test_weighted_criteria_need_positive_weight() -> None:
    with pytest.raises(ScoringError, match=r"'service' must carry a positive weight \(got 0%\)"):
        crit("service", CriterionKind.QUALITY, "0")


def test_pass_fail_criteria_carry_no_weight_and_require_a_pass() -> None:
    with pytest.raises(ScoringError, match="'insurance' is pass/fail"):
        crit("insurance", CriterionKind.PASS_FAIL, "5")
    insurance = crit("insurance", CriterionKind.PASS_FAIL, "0")
    assert insurance.scale.points == (0, 100)
    assert insurance.minimum == 100
    criteria = CriteriaSet.of([PRICE_40, SERVICE_50, SOCIAL_10, insurance])
    assert criteria.weighted_judged == (SERVICE_50, SOCIAL_10)
    assert "a fail disqualifies" in insurance.summary()


def test_default_scale_descriptors() -> None:
    assert DEFAULT_QUALITY_SCALE.points == (0, 25, 50, 75, 100)
    assert [DEFAULT_QUALITY_SCALE.descriptor(p) for p in (0, 25, 50, 75, 100)] == [
        "Unacceptable",
        "Poor",
        "Acceptable",
        "Good",
        "Excellent",
    ]
    assert DEFAULT_QUALITY_SCALE.band_index(75) == 3
    with pytest.raises(ScoringError, match=r"Score 60 is not on the scale \[0, 25, 50, 75, 100\]"):
        DEFAULT_QUALITY_SCALE.band_index(60)
    assert DEFAULT_QUALITY_SCALE.summary().startswith("0 Unacceptable / 25 Poor")


def test_scale_must_start_at_zero_and_increase() -> None:
    with pytest.raises(ScoringError, match="start at 0 and increase"):
        Scale((Band(0, "a"), Band(50, "b"), Band(50, "c")))
    with pytest.raises(ScoringError, match="at least two bands"):
        Scale((Band(0, "a"),))


def test_summary_names_threshold_descriptor() -> None:
    service = crit("service", CriterionKind.QUALITY, "50", minimum=50)
    assert service.summary() == "Service (quality), weight 50%, minimum score 50 (Acceptable)"


def test_library_has_the_criteria_the_issue_names_with_guidance() -> None:
    names = {entry.name for entry in LIBRARY}
    assert names == {
        "Quality of the service model",
        "Front-line experience with the cohort",
        "Track record of working fairly with the voluntary sector",
        "Diversity of the proposed supply chain",
        "Equality strategy for the 9 protected characteristics",
        "Service user involvement",
        "Committed minimum spend on outcomes-based services",
        "Neighbourhood impact",
        "Social value (Social Value Model themes)",
        "Employment and skills for people with convictions",
    }
    for entry in LIBRARY:
        assert len(entry.guidance_for_bidders) > 40
        assert len(entry.guidance_for_evaluators) > 40
        assert entry.requirements
        assert entry.name in entry.summary()
    assert library_criterion("social-value-model").kind is CriterionKind.SOCIAL_VALUE
    assert library_criterion("price") is PRICE


def test_library_criteria_build_a_valid_set() -> None:
    criteria = CriteriaSet.of(
        [
            library_criterion("price").use(30),
            library_criterion("service-model").use(40, minimum=50),
            library_criterion("vcs-track-record").use(15),
            library_criterion("social-value-model").use(15),
        ]
    )
    service = criteria["service-model"]
    assert service.minimum == 50
    assert service.scale is DEFAULT_QUALITY_SCALE
    assert "pathway from referral" in service.guidance_for_bidders
    assert criteria.social_value_share == Decimal(15)


def test_unknown_library_criterion_lists_the_choices() -> None:
    with pytest.raises(ScoringError, match=r"No library criterion 'speed'; choose from .*price"):
        library_criterion("speed")
