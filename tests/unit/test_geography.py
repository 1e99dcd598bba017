"""The public geography of the market (MKT-1): 42 PCC areas in 12 probation regions."""

from __future__ import annotations

import re

from commissioning_analytics.market import geography as geo

EXPECTED = {
    "North East": {"Northumbria", "Durham", "Cleveland"},
    "Yorkshire and the Humber": {
        "North Yorkshire",
        "West Yorkshire",
        "South Yorkshire",
        "Humberside",
    },
    "North West": {"Cumbria", "Lancashire", "Merseyside", "Cheshire"},
    "Greater Manchester": {"Greater Manchester"},
    "East Midlands": {
        "Derbyshire",
        "Nottinghamshire",
        "Leicestershire",
        "Lincolnshire",
        "Northamptonshire",
    },
    "West Midlands": {"West Midlands", "Staffordshire", "West Mercia", "Warwickshire"},
    "East of England": {
        "Norfolk",
        "Suffolk",
        "Cambridgeshire",
        "Essex",
        "Hertfordshire",
        "Bedfordshire",
    },
    "London": {"London"},
    "Kent, Surrey and Sussex": {"Kent", "Surrey", "Sussex"},
    "South Central": {"Thames Valley", "Hampshire and Isle of Wight"},
    "South West": {
        "Avon and Somerset",
        "Devon and Cornwall",
        "Dorset",
        "Gloucestershire",
        "Wiltshire",
    },
    "Wales": {"Dyfed-Powys", "Gwent", "North Wales", "South Wales"},
}

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def test_42_pcc_areas_in_12_probation_regions_and_one_national_area() -> None:
    assert len(geo.POLICE_FORCE_AREAS) == 42
    assert len(geo.PROBATION_REGIONS) == 12
    national = [a for a in geo.AREAS if a.kind == geo.KIND_NATIONAL]
    assert [(a.slug, a.name) for a in national] == [("england-and-wales", "England and Wales")]
    assert len(geo.AREAS) == 55


def test_every_force_area_sits_in_the_expected_region() -> None:
    actual = {
        region.name: {f.name for f in geo.forces_in_region(region)}
        for region in geo.PROBATION_REGIONS
    }
    assert actual == EXPECTED
    for force in geo.POLICE_FORCE_AREAS:
        assert geo.region_of(force).name in EXPECTED
        assert force.name in EXPECTED[geo.region_of(force).name]


def test_city_of_london_has_no_pcc_so_is_left_out() -> None:
    names = {a.name for a in geo.AREAS}
    assert "City of London" not in names
    assert "London" in names


def test_wales_is_the_only_welsh_region() -> None:
    for area in geo.AREAS[1:]:
        region = area if area.kind == geo.KIND_REGION else geo.region_of(area)
        assert area.country == ("Wales" if region.name == "Wales" else "England")


def test_slugs_are_unique_and_regions_never_clash_with_force_areas() -> None:
    slugs = [a.slug for a in geo.AREAS]
    assert len(set(slugs)) == len(slugs)
    assert all(SLUG.match(s) for s in slugs)
    assert geo.AREAS_BY_SLUG["london"].kind == geo.KIND_PFA
    assert geo.AREAS_BY_SLUG["london-probation-region"].kind == geo.KIND_REGION


def test_population_weights_are_positive_and_regions_sum_their_forces() -> None:
    assert all(f.weight > 0 for f in geo.POLICE_FORCE_AREAS)
    for region in geo.PROBATION_REGIONS:
        total = sum(f.weight for f in geo.forces_in_region(region))
        assert abs(region.weight - total) < 0.01
    # Rough sanity: England and Wales have about 60 million people; London is the largest area.
    assert 55 < sum(f.weight for f in geo.POLICE_FORCE_AREAS) < 65
    assert max(geo.POLICE_FORCE_AREAS, key=lambda a: a.weight).name == "London"


def test_pcc_body_names_use_mayoral_titles_where_they_apply() -> None:
    by_name = {a.name: a for a in geo.POLICE_FORCE_AREAS}
    assert (
        geo.pcc_body_name(by_name["Northumbria"]) == "Police and Crime Commissioner for Northumbria"
    )
    assert "Mayor's Office for Policing and Crime" in geo.pcc_body_name(by_name["London"])
    assert geo.pcc_body_name(by_name["Greater Manchester"]).startswith(
        "Mayor of Greater Manchester"
    )
    assert geo.pcc_body_name(by_name["West Yorkshire"]).startswith("Mayor of West Yorkshire")
    assert geo.police_force_name(by_name["London"]) == "Metropolitan Police Service"
    assert geo.police_force_name(by_name["Durham"]) == "Durham Police"


def test_specialisms_and_cohorts_have_unique_slugs() -> None:
    assert len(geo.SPECIALISMS) == 16
    assert len(geo.COHORTS) == 11
    for terms in (geo.SPECIALISMS, geo.COHORTS):
        slugs = [t.slug for t in terms]
        assert len(set(slugs)) == len(slugs)
        assert all(SLUG.match(s) for s in slugs)
    assert geo.SPECIALISMS_BY_SLUG["womens-services"].name == "Women's services"
    assert geo.COHORTS_BY_SLUG["young-adults"].name == "Young adults (18\u201325)"
    assert geo.COHORTS_BY_SLUG["lgbtq-people"].name == "LGBTQ+ people"


def test_slugify_matches_the_urls_people_expect() -> None:
    assert geo.slugify("Kent, Surrey and Sussex") == "kent-surrey-and-sussex"
    assert geo.slugify("Women's services") == "womens-services"
    assert geo.slugify("Dyfed-Powys") == "dyfed-powys"
    assert geo.slugify("  A & B  ") == "a-and-b"
