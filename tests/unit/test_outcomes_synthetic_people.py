"""Synthetic comparison pool (OUT-1, OUT-2, EQU-2): determinism, layout, areas, histories."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from commissioning_analytics.market.geography import POLICE_FORCE_AREAS
from commissioning_analytics.outcomes.measures import DISPOSAL_TYPES, OFFENCE_COLUMNS
from commissioning_analytics.outcomes_synthetic import COVARIATES, Targets, generate_people
from commissioning_analytics.outcomes_synthetic.people import ETHNICITY_GROUPS


def test_same_seed_gives_identical_files_and_another_seed_does_not() -> None:
    first, again, other = (
        generate_people(7, 3_000),
        generate_people(7, 3_000),
        generate_people(8, 3_000),
    )
    pd.testing.assert_frame_equal(first.people, again.people)
    pd.testing.assert_frame_equal(first.offences, again.offences)
    assert not first.people["age"].equals(other.people["age"])


def test_people_columns_ids_and_ranges() -> None:
    people = generate_people(1, 5_000).people
    assert people["person_id"].iloc[0] == "SYN-P-0000001"
    assert people["person_id"].is_unique
    assert set(COVARIATES) <= set(people.columns)
    assert people["index_date"].min() >= pd.Timestamp("2022-01-01")
    assert people["index_date"].max() <= pd.Timestamp("2024-12-31")
    assert set(people["index_type"]) == {
        "custody_release_short",
        "custody_release_long",
        "community_order",
    }
    assert people["age"].between(18, 80).all()
    assert (people["age_first_offence"] <= people["age"]).all()
    assert (people["age_first_offence"] >= 10).all()
    assert (people["prior_custodial"] <= people["prior_offences"]).all()
    assert people["ogrs_score"].between(0, 100).all()
    assert set(people["ethnicity"]) <= set(ETHNICITY_GROUPS)
    assert set(people["sex"]) == {"female", "male"}
    assert ((people["sex"] == "female") == (people["female"] == 1)).all()
    for name in COVARIATES:
        assert np.isfinite(people[name].to_numpy(dtype=float)).all(), name


def test_areas_are_police_force_areas_with_stable_indices() -> None:
    slugs = {area.slug for area in POLICE_FORCE_AREAS}
    one, two = generate_people(1, 20_000).people, generate_people(2, 20_000).people
    assert set(one["area"]) <= slugs
    assert len(set(one["area"])) == 42
    both = pd.concat([one, two])
    per_area = both.groupby("area")[["area_deprivation", "area_employment"]].nunique()
    assert (per_area == 1).all().all()
    # London is the largest area by population (weights from geography).
    assert one["area"].value_counts().index[0] == "london"


def test_offences_are_after_the_index_date_with_known_disposals() -> None:
    data = generate_people(3, 5_000)
    offences = data.offences
    assert tuple(offences.columns) == OFFENCE_COLUMNS
    assert set(offences["disposal_type"]) <= DISPOSAL_TYPES
    assert set(offences["person_id"]) <= set(data.people["person_id"])
    index = data.people.set_index("person_id")["index_date"]
    assert (offences["offence_date"] > offences["person_id"].map(index)).all()
    assert (offences["disposal_date"] >= offences["offence_date"]).all()


def test_targets_are_parameters() -> None:
    low = generate_people(4, 20_000, targets=Targets(overall_rate=0.20))
    high = generate_people(4, 20_000, targets=Targets(overall_rate=0.30))
    pd.testing.assert_series_equal(low.people["age"], high.people["age"])
    assert low.offences["person_id"].nunique() < high.offences["person_id"].nunique()


def test_impossible_targets_are_refused() -> None:
    with pytest.raises(ValueError, match="impossible rates"):
        generate_people(1, 100, targets=Targets(overall_rate=0.05))
