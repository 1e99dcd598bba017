"""Which areas count as "working in" a chosen area (MKT-1 directory filter), no database.

A police force area matches itself, its probation region and national organisations; a region
also matches its police force areas; the national area matches only national organisations.
"""

from __future__ import annotations

import pytest

from commissioning.directory.models import Area
from commissioning.directory.queries import MAX_SEARCH_WORDS, areas_matching, search_words

NATIONAL = Area(pk=1, slug="england-and-wales", kind=Area.Kind.NATIONAL)
NORTH_EAST = Area(pk=2, slug="north-east", kind=Area.Kind.PROBATION_REGION)
LONDON = Area(pk=3, slug="london", kind=Area.Kind.PROBATION_REGION)
NORTHUMBRIA = Area(pk=4, slug="northumbria", kind=Area.Kind.POLICE_FORCE_AREA, parent_id=2)
DURHAM = Area(pk=5, slug="durham", kind=Area.Kind.POLICE_FORCE_AREA, parent_id=2)
METROPOLITAN = Area(pk=6, slug="metropolitan", kind=Area.Kind.POLICE_FORCE_AREA, parent_id=3)
ALL = [NATIONAL, NORTH_EAST, LONDON, NORTHUMBRIA, DURHAM, METROPOLITAN]


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        (NORTHUMBRIA, {NORTHUMBRIA, NORTH_EAST, NATIONAL}),
        (DURHAM, {DURHAM, NORTH_EAST, NATIONAL}),
        (NORTH_EAST, {NORTH_EAST, NORTHUMBRIA, DURHAM, NATIONAL}),
        (LONDON, {LONDON, METROPOLITAN, NATIONAL}),
        (NATIONAL, {NATIONAL}),
    ],
    ids=lambda value: value.slug if isinstance(value, Area) else "",
)
def test_areas_matching(area: Area, expected: set[Area]) -> None:
    assert areas_matching(area, ALL) == frozenset(item.pk for item in expected)


def test_regions_nested_under_the_national_area_do_not_widen_the_national_filter() -> None:
    """Whether or not regions point at England and Wales as their parent, choosing the national
    area lists only national organisations, and a region still matches national ones."""
    north_east = Area(pk=2, slug="north-east", kind=Area.Kind.PROBATION_REGION, parent_id=1)
    areas = [NATIONAL, north_east, NORTHUMBRIA, DURHAM]
    assert areas_matching(NATIONAL, areas) == {1}
    assert areas_matching(NORTHUMBRIA, areas) == {4, 2, 1}
    assert areas_matching(north_east, areas) == {2, 4, 5, 1}


def test_a_parent_cycle_does_not_loop_forever() -> None:
    first = Area(pk=10, slug="a", kind=Area.Kind.PROBATION_REGION, parent_id=11)
    second = Area(pk=11, slug="b", kind=Area.Kind.PROBATION_REGION, parent_id=10)
    assert areas_matching(first, [first, second]) == {10, 11}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Housing  WOMEN", ["housing", "women"]),
        ("  ", []),
        ("women women housing", ["women", "housing"]),
        ("Ünïcode Café", ["ünïcode", "café"]),
    ],
)
def test_search_words(text: str, words: list[str]) -> None:
    assert search_words(text) == words


def test_search_words_are_capped() -> None:
    text = " ".join(f"w{n}" for n in range(MAX_SEARCH_WORDS + 5))
    assert len(search_words(text)) == MAX_SEARCH_WORDS
