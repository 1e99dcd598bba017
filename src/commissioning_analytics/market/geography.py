"""The public geography and vocabularies of the criminal-justice market in England & Wales.

Framework-free reference data (public facts) used by the synthetic market (MKT-1) and by the
directory: the 42 police force areas that have a Police and Crime Commissioner (or a mayor with
PCC powers) — the 43 territorial forces less the City of London — each in one of the 12
probation regions, plus the national area "England and Wales".

Population weights are *approximate* relative resident populations in millions (rounded, from
the 2021 censuses), good only for placing synthetic organisations roughly where people live.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NATIONAL_AREA_SLUG = "england-and-wales"
NATIONAL_AREA_NAME = "England and Wales"

KIND_NATIONAL = "national"
KIND_REGION = "probation_region"
KIND_PFA = "police_force_area"


def slugify(text: str) -> str:
    """A URL slug (lower-case ASCII letters, digits and hyphens), like Django's ``slugify``."""
    text = text.lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


@dataclass(frozen=True)
class AreaSpec:
    """One area of the public geography. ``parent`` is the parent's slug (PFA → region)."""

    slug: str
    name: str
    kind: str
    country: str
    parent: str | None = None
    weight: float = 0.0


@dataclass(frozen=True)
class Term:
    """A specialism or cohort: a slug and the name people read."""

    slug: str
    name: str


# Probation region → its police force areas with approximate populations (millions).
_REGIONS: dict[str, tuple[tuple[str, float], ...]] = {
    "North East": (("Northumbria", 1.48), ("Durham", 0.66), ("Cleveland", 0.57)),
    "Yorkshire and the Humber": (
        ("North Yorkshire", 0.83),
        ("West Yorkshire", 2.35),
        ("South Yorkshire", 1.40),
        ("Humberside", 0.94),
    ),
    "North West": (
        ("Cumbria", 0.50),
        ("Lancashire", 1.53),
        ("Merseyside", 1.43),
        ("Cheshire", 1.09),
    ),
    "Greater Manchester": (("Greater Manchester", 2.87),),
    "East Midlands": (
        ("Derbyshire", 1.05),
        ("Nottinghamshire", 1.16),
        ("Leicestershire", 1.10),
        ("Lincolnshire", 0.77),
        ("Northamptonshire", 0.79),
    ),
    "West Midlands": (
        ("West Midlands", 2.92),
        ("Staffordshire", 1.14),
        ("West Mercia", 1.31),
        ("Warwickshire", 0.60),
    ),
    "East of England": (
        ("Norfolk", 0.92),
        ("Suffolk", 0.76),
        ("Cambridgeshire", 0.90),
        ("Essex", 1.83),
        ("Hertfordshire", 1.20),
        ("Bedfordshire", 0.69),
    ),
    "London": (("London", 8.80),),
    "Kent, Surrey and Sussex": (("Kent", 1.87), ("Surrey", 1.20), ("Sussex", 1.72)),
    "South Central": (("Thames Valley", 2.42), ("Hampshire and Isle of Wight", 2.00)),
    "South West": (
        ("Avon and Somerset", 1.76),
        ("Devon and Cornwall", 1.80),
        ("Dorset", 0.78),
        ("Gloucestershire", 0.65),
        ("Wiltshire", 0.73),
    ),
    "Wales": (
        ("Dyfed-Powys", 0.52),
        ("Gwent", 0.60),
        ("North Wales", 0.70),
        ("South Wales", 1.33),
    ),
}

# Police force areas whose PCC functions sit with another office holder (public facts, since 2024).
PCC_BODY_NAMES: dict[str, str] = {
    "London": "Mayor's Office for Policing and Crime (London)",
    "Greater Manchester": "Mayor of Greater Manchester (police and crime functions)",
    "West Yorkshire": "Mayor of West Yorkshire (police and crime functions)",
    "South Yorkshire": "Mayor of South Yorkshire (police and crime functions)",
    "North Yorkshire": "Mayor of York and North Yorkshire (police, fire and crime functions)",
    "Cumbria": "Police, Fire and Crime Commissioner for Cumbria",
    "Essex": "Police, Fire and Crime Commissioner for Essex",
    "Northamptonshire": "Police, Fire and Crime Commissioner for Northamptonshire",
    "Staffordshire": "Police, Fire and Crime Commissioner for Staffordshire",
}

POLICE_FORCE_NAMES: dict[str, str] = {
    "London": "Metropolitan Police Service",
    "Hampshire and Isle of Wight": "Hampshire and Isle of Wight Constabulary",
}


def region_slug(region_name: str) -> str:
    """Regions get a suffix so they never clash with a same-named police force area."""
    return f"{slugify(region_name)}-probation-region"


def _build_areas() -> tuple[AreaSpec, ...]:
    areas = [AreaSpec(NATIONAL_AREA_SLUG, NATIONAL_AREA_NAME, KIND_NATIONAL, "")]
    for region, forces in _REGIONS.items():
        country = "Wales" if region == "Wales" else "England"
        weight = round(sum(w for _, w in forces), 2)
        areas.append(AreaSpec(region_slug(region), region, KIND_REGION, country, None, weight))
    for region, forces in _REGIONS.items():
        country = "Wales" if region == "Wales" else "England"
        for name, weight in forces:
            areas.append(
                AreaSpec(slugify(name), name, KIND_PFA, country, region_slug(region), weight)
            )
    return tuple(areas)


AREAS: tuple[AreaSpec, ...] = _build_areas()
"""England and Wales, then the 12 probation regions, then the 42 police force areas."""

PROBATION_REGIONS: tuple[AreaSpec, ...] = tuple(a for a in AREAS if a.kind == KIND_REGION)
POLICE_FORCE_AREAS: tuple[AreaSpec, ...] = tuple(a for a in AREAS if a.kind == KIND_PFA)
AREAS_BY_SLUG: dict[str, AreaSpec] = {a.slug: a for a in AREAS}


def forces_in_region(region: AreaSpec | str) -> tuple[AreaSpec, ...]:
    slug = region if isinstance(region, str) else region.slug
    return tuple(a for a in POLICE_FORCE_AREAS if a.parent == slug)


def region_of(force_area: AreaSpec | str) -> AreaSpec:
    area = AREAS_BY_SLUG[force_area] if isinstance(force_area, str) else force_area
    if area.parent is None:
        raise ValueError(f"{area.name} is not a police force area")
    return AREAS_BY_SLUG[area.parent]


def pcc_body_name(force_area: AreaSpec) -> str:
    """The commissioning body that holds the PCC's functions for a police force area."""
    return PCC_BODY_NAMES.get(
        force_area.name, f"Police and Crime Commissioner for {force_area.name}"
    )


def police_force_name(force_area: AreaSpec) -> str:
    return POLICE_FORCE_NAMES.get(force_area.name, f"{force_area.name} Police")


def _terms(*names: str, slugs: dict[str, str] | None = None) -> tuple[Term, ...]:
    slugs = slugs or {}
    return tuple(Term(slugs.get(name, slugify(name)), name) for name in names)


SPECIALISMS: tuple[Term, ...] = _terms(
    "Accommodation",
    "Education, training and employment",
    "Substance misuse",
    "Mental health",
    "Finance, benefit and debt",
    "Families and relationships",
    "Attitudes, thinking and behaviour",
    "Domestic abuse",
    "Mentoring",
    "Restorative justice",
    "Women's services",
    "Arts",
    "Sport",
    "Advocacy and advice",
    "Health and wellbeing",
    "Resettlement through the gate",
)

COHORTS: tuple[Term, ...] = _terms(
    "Women",
    "Young adults (18\u201325)",
    "BAME people",
    "Families of people in prison",
    "Older people",
    "People with convictions",
    "Veterans",
    "Disabled people",
    "LGBTQ+ people",
    "Foreign national people",
    "People with learning disabilities or difficulties",
    slugs={"Young adults (18\u201325)": "young-adults", "LGBTQ+ people": "lgbtq-people"},
)

SPECIALISMS_BY_SLUG: dict[str, Term] = {t.slug: t for t in SPECIALISMS}
COHORTS_BY_SLUG: dict[str, Term] = {t.slug: t for t in COHORTS}
