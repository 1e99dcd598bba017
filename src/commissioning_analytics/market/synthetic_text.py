"""Descriptions for synthetic records: short, plausible and plainly labelled synthetic."""

from __future__ import annotations

from commissioning_analytics.market.geography import (
    AREAS_BY_SLUG,
    COHORTS_BY_SLUG,
    KIND_REGION,
    SPECIALISMS_BY_SLUG,
)
from commissioning_analytics.market.names import english_list

SYNTHETIC_NOTE = "Synthetic demo record: not a real organisation."

# In the order of ``led_by``: BAME-led, women-led, lived-experience-led, user-led.
_LED_PHRASES = (
    "It is led by and for Black, Asian and minority ethnic people.",
    "It is led by women.",
    "It was founded and is led by people with lived experience of the criminal justice system.",
    "The people who use its services run it.",
)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if not text[:4].isupper() else text


_LOWER = {
    term.slug: _lower_first(term.name)
    for term in (*COHORTS_BY_SLUG.values(), *SPECIALISMS_BY_SLUG.values())
}


def _area_name(slug: str) -> str:
    area = AREAS_BY_SLUG[slug]
    return f"the {area.name} probation region" if area.kind == KIND_REGION else area.name


def area_phrase(area_slugs: tuple[str, ...]) -> str:
    names = [_area_name(slug) for slug in area_slugs]
    if names == ["England and Wales"]:
        return "across England and Wales"
    return "in " + english_list(names)


def describe_provider(
    name: str,
    areas: tuple[str, ...],
    specialisms: tuple[str, ...],
    cohorts: tuple[str, ...],
    led_by: tuple[bool, ...] = (False, False, False, False),
    *,
    prime: bool = False,
) -> str:
    serves = english_list([_LOWER[c] for c in cohorts])
    offers = english_list([_LOWER[s] for s in specialisms])
    kind = "holds large contracts and leads supply chains" if prime else "works with"
    opening = (
        f"{name} {kind} delivering {offers} {area_phrase(areas)}, for {serves}."
        if prime
        else f"{name} {kind} {serves} {area_phrase(areas)}, offering {offers}."
    )
    led = [phrase for phrase, flag in zip(_LED_PHRASES, led_by, strict=True) if flag]
    return " ".join([opening, *led, SYNTHETIC_NOTE])
