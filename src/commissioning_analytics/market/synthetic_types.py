"""Plain records of the synthetic market: what :func:`generate_market` returns (MKT-1, CYC-1).

Framework-free; the demo loader maps them to ORM rows. Areas, specialisms, cohorts, commissioning
bodies and partners are referred to by slug, so a record can be read without the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from commissioning_analytics.market.geography import AreaSpec, Term

TIERS = ("national", "sub_national", "local")
STAGES = ("assess_need", "plan", "procure", "deliver", "review")
"""The commissioning cycle's stages in order (the same values as the exercises app's ``Stage``)."""


@dataclass(frozen=True)
class SyntheticOrganisation:
    """One organisation: a provider (VCS, social enterprise, private, prime) or a public body."""

    name: str
    slug: str
    org_type: str
    annual_income: Decimal
    reserves_months: Decimal
    areas: tuple[str, ...]
    specialisms: tuple[str, ...] = ()
    cohorts: tuple[str, ...] = ()
    bame_led: bool = False
    women_led: bool = False
    lived_experience_led: bool = False
    user_led: bool = False
    is_prime: bool = False
    public_body_kind: str = ""
    is_commissioning_body: bool = False
    commissioning_tier: str = ""
    charity_number: str = ""
    company_number: str = ""
    description: str = ""
    website: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    is_synthetic: bool = True


@dataclass(frozen=True)
class SyntheticStageChange:
    """One step of an exercise's history: it reached ``stage`` at ``changed_at``."""

    stage: str
    changed_at: datetime
    reason: str = ""


@dataclass(frozen=True)
class SyntheticExercise:
    reference: str
    title: str
    tier: str
    commissioning_body: str
    service_area: str
    areas: tuple[str, ...]
    summary: str
    estimated_annual_value: Decimal | None
    history: tuple[SyntheticStageChange, ...]
    partners: tuple[str, ...] = ()
    is_synthetic: bool = True

    @property
    def stage(self) -> str:
        """The current stage: the last one reached."""
        return self.history[-1].stage

    @property
    def created_at(self) -> datetime:
        return self.history[0].changed_at


@dataclass(frozen=True)
class ProviderColumns:
    """The providers as column arrays (a row each, in ``providers`` order) for fast statistics."""

    annual_income: npt.NDArray[np.int64]
    reserves_months: npt.NDArray[np.float64]
    org_type: npt.NDArray[np.str_]
    is_prime: npt.NDArray[np.bool_]
    bame_led: npt.NDArray[np.bool_]
    women_led: npt.NDArray[np.bool_]
    lived_experience_led: npt.NDArray[np.bool_]
    user_led: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class SyntheticMarket:
    """A whole synthetic market, deterministic from ``seed`` and sized by ``scale``."""

    seed: int
    scale: float
    areas: tuple[AreaSpec, ...]
    specialisms: tuple[Term, ...]
    cohorts: tuple[Term, ...]
    providers: tuple[SyntheticOrganisation, ...]
    public_bodies: tuple[SyntheticOrganisation, ...]
    exercises: tuple[SyntheticExercise, ...]
    columns: ProviderColumns = field(repr=False, compare=False)

    @property
    def organisations(self) -> tuple[SyntheticOrganisation, ...]:
        """Providers then public bodies (commissioning bodies and joint-commissioning partners)."""
        return self.providers + self.public_bodies

    @property
    def vcs_providers(self) -> tuple[SyntheticOrganisation, ...]:
        """Providers that are not primes: the criminal-justice voluntary sector (seed 000)."""
        return tuple(org for org in self.providers if not org.is_prime)

    @property
    def primes(self) -> tuple[SyntheticOrganisation, ...]:
        return tuple(org for org in self.providers if org.is_prime)

    @property
    def commissioning_bodies(self) -> tuple[SyntheticOrganisation, ...]:
        return tuple(org for org in self.public_bodies if org.is_commissioning_body)

    @property
    def partners(self) -> tuple[SyntheticOrganisation, ...]:
        return tuple(org for org in self.public_bodies if not org.is_commissioning_body)
