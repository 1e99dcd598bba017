"""The public bodies of the synthetic market: commissioning bodies of all three tiers (CYC-1) and
joint-commissioning partners (health, police, local authorities).

The bodies' names are public facts (the Ministry of Justice, HMPPS, the probation regions, the
Police and Crime Commissioners); their records here — contacts, exercises — are invented and
flagged synthetic. The prisons are invented outright.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from commissioning_analytics.market.geography import (
    NATIONAL_AREA_SLUG,
    POLICE_FORCE_AREAS,
    PROBATION_REGIONS,
    AreaSpec,
    pcc_body_name,
    police_force_name,
)
from commissioning_analytics.market.names import PRISON_NAMES, email_domain, unique_slugs
from commissioning_analytics.market.synthetic_types import SyntheticOrganisation

_PUBLIC_NOTE = "Synthetic demo record: the contact details and activity shown here are invented."

MINISTRY_SLUG = "ministry-of-justice"
HMPPS_SLUG = "hm-prison-and-probation-service"


def probation_service_name(region: AreaSpec) -> str:
    return f"Probation Service \u2013 {region.name}"


def _body(
    name: str,
    kind: str,
    area: str,
    description: str,
    *,
    tier: str = "",
    slug: str = "",
    phone: int = 0,
) -> SyntheticOrganisation:
    slug = slug or unique_slugs([name])[0]
    return SyntheticOrganisation(
        name=name,
        slug=slug,
        org_type="public_sector",
        annual_income=Decimal(0),
        reserves_months=Decimal(0),
        areas=(area,),
        public_body_kind=kind,
        is_commissioning_body=bool(tier),
        commissioning_tier=tier,
        description=f"{description} {_PUBLIC_NOTE}",
        contact_name="Commissioning team",
        contact_email=f"commissioning@{email_domain(slug)}",
        contact_phone=f"01632 960{phone % 1000:03d}",
        website=f"https://www.{email_domain(slug)}",
    )


def generate_public_bodies(rng: np.random.Generator) -> tuple[SyntheticOrganisation, ...]:
    """National, sub-national and local commissioning bodies, then partners, in a fixed order."""
    phones = rng.integers(0, 1000, 200).tolist()
    bodies = [
        _body(
            "Ministry of Justice",
            "ministry",
            NATIONAL_AREA_SLUG,
            "Government department; commissions national rehabilitation and victims' services.",
            tier="national",
            slug=MINISTRY_SLUG,
            phone=phones[0],
        ),
        _body(
            "HM Prison and Probation Service",
            "prison_probation",
            NATIONAL_AREA_SLUG,
            "Commissions national prison and probation services, including dynamic framework "
            "services.",
            tier="national",
            slug=HMPPS_SLUG,
            phone=phones[1],
        ),
    ]
    for region in PROBATION_REGIONS:
        bodies.append(
            _body(
                probation_service_name(region),
                "prison_probation",
                region.slug,
                f"The probation region for {region.name}; commissions rehabilitative services "
                "for people on probation.",
                tier="sub_national",
                phone=phones[len(bodies)],
            )
        )
    for pfa in POLICE_FORCE_AREAS:
        bodies.append(
            _body(
                pcc_body_name(pfa),
                "pcc",
                pfa.slug,
                f"Holds the police and crime commissioning functions for {pfa.name}; commissions "
                "victims' services, reducing reoffending and community safety services.",
                tier="local",
                phone=phones[len(bodies)],
            )
        )
    weights = np.array([a.weight for a in POLICE_FORCE_AREAS])
    prison_areas = rng.choice(
        len(POLICE_FORCE_AREAS), size=len(PRISON_NAMES), p=weights / weights.sum()
    )
    for prison, area_index in zip(PRISON_NAMES, prison_areas.tolist(), strict=True):
        pfa = POLICE_FORCE_AREAS[area_index]
        bodies.append(
            _body(
                f"Governor, HMP {prison}",
                "prison",
                pfa.slug,
                f"The governor of HMP {prison}, an invented prison in {pfa.name}; commissions "
                "services delivered inside the prison.",
                tier="local",
                phone=phones[len(bodies)],
            )
        )
    bodies.extend(_partners(phones))
    return tuple(bodies)


def _partners(phones: list[int]) -> list[SyntheticOrganisation]:
    partners: list[SyntheticOrganisation] = []
    for region in PROBATION_REGIONS:
        name = (
            "NHS Wales Health and Justice"
            if region.country == "Wales"
            else f"NHS England Health and Justice \u2013 {region.name}"
        )
        partners.append(
            _body(
                name,
                "health",
                region.slug,
                f"Commissions health services for people in contact with the criminal justice "
                f"system in {region.name}.",
                phone=phones[(len(partners) + 100) % len(phones)],
            )
        )
    for pfa in POLICE_FORCE_AREAS:
        partners.append(
            _body(
                police_force_name(pfa),
                "police",
                pfa.slug,
                f"The territorial police force for {pfa.name}.",
                phone=phones[(len(partners) + 100) % len(phones)],
            )
        )
        partners.append(
            _body(
                f"{pfa.name} Local Authority Partnership",
                "local_authority",
                pfa.slug,
                f"The councils of {pfa.name} working together on community safety, housing and "
                "social care.",
                phone=phones[(len(partners) + 100) % len(phones)],
            )
        )
    return partners
