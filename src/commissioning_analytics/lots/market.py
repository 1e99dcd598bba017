"""A market of providers as column arrays, for the lot accessibility report (PRO-1, PRO-2).

:class:`MarketColumns` holds one row per provider: income, reserves, size band, organisation
type, led-by flags, and the areas and specialisms served as boolean indicator matrices (a column
per area or specialism; with 55 areas and 16 specialisms a market of 17,000 providers takes about
1.2 MB). :class:`AreaTree` is the geography: England and Wales → probation regions → police force
areas, with approximate population weights.

Adapters: :func:`market_columns_from_records` for any sequence of provider records (the synthetic
market's organisations, or plain objects mapped from the directory), and
:func:`market_columns_from_synthetic` for a :class:`SyntheticMarket`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

import numpy as np
import numpy.typing as npt

from commissioning_analytics.market.geography import (
    AREAS,
    KIND_NATIONAL,
    KIND_PFA,
    SPECIALISMS,
    AreaSpec,
)
from commissioning_analytics.market.size import SizeBand, size_bands
from commissioning_analytics.market.synthetic_types import SyntheticMarket

LED_BY_GROUPS: tuple[str, ...] = ("bame_led", "women_led", "lived_experience_led", "user_led")
"""The led-by flags (the directory's ``LED_BY_FIELDS``)."""

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class AreaTree:
    """Areas with their parents: the national area is the root; regions hang from it (even where
    the source data gives them no parent); police force areas hang from their region."""

    slugs: tuple[str, ...]
    names: tuple[str, ...]
    parent: IntArray = field(repr=False)
    """Index of each area's parent, -1 for the root."""
    is_leaf: BoolArray = field(repr=False)
    """Police force areas: the finest areas that lots are built from."""
    weight: npt.NDArray[np.float64] = field(repr=False)
    """Approximate population (millions); for non-leaves the sum of their leaves."""

    @classmethod
    def from_specs(cls, specs: Sequence[AreaSpec] = AREAS) -> AreaTree:
        slugs = tuple(a.slug for a in specs)
        index = {slug: i for i, slug in enumerate(slugs)}
        roots = [i for i, a in enumerate(specs) if a.kind == KIND_NATIONAL]
        if len(roots) != 1:
            raise ValueError("the geography needs exactly one national area")
        root = roots[0]
        parent = np.array(
            [
                -1 if i == root else index[a.parent] if a.parent else root
                for i, a in enumerate(specs)
            ],
            dtype=np.intp,
        )
        is_leaf = np.array([a.kind == KIND_PFA for a in specs])
        weight = np.array([a.weight if a.kind == KIND_PFA else 0.0 for a in specs])
        tree = cls(slugs, tuple(a.name for a in specs), parent, is_leaf, weight)
        for leaf in np.flatnonzero(is_leaf):
            for ancestor in tree.ancestors(int(leaf)):
                weight[ancestor] += weight[leaf]
        return tree

    def index(self, slug: str) -> int:
        try:
            return self.slugs.index(slug)
        except ValueError:
            raise ValueError(f"unknown area {slug!r}") from None

    def ancestors(self, i: int) -> list[int]:
        out: list[int] = []
        while self.parent[i] >= 0:
            i = int(self.parent[i])
            out.append(i)
        return out

    def descendants(self, i: int) -> list[int]:
        return [j for j in range(len(self.slugs)) if i in self.ancestors(j)]

    def related(self, i: int) -> list[int]:
        """The area, the areas containing it and the areas inside it, in index order."""
        return sorted({i, *self.ancestors(i), *self.descendants(i)})

    def leaves_under(self, i: int) -> list[int]:
        """The police force areas an area covers (itself, if it is one)."""
        return [j for j in [i, *self.descendants(i)] if self.is_leaf[j]]

    @property
    def root(self) -> int:
        return int(np.flatnonzero(self.parent < 0)[0])


@dataclass(frozen=True)
class MarketColumns:
    """Providers as columns, a row each (see the module docstring)."""

    provider_ids: npt.NDArray[np.str_]
    annual_income: npt.NDArray[np.float64]
    reserves_months: npt.NDArray[np.float64]
    org_type: npt.NDArray[np.str_]
    led_by: Mapping[str, BoolArray]
    areas: BoolArray
    """``areas[p, a]``: provider ``p`` says it serves area ``a`` (columns in ``geography``)."""
    specialisms: BoolArray
    """``specialisms[p, s]``: provider ``p`` offers specialism ``s``."""
    specialism_slugs: tuple[str, ...]
    geography: AreaTree
    size_band: npt.NDArray[np.str_] = field(init=False, repr=False)
    reach: BoolArray = field(init=False, repr=False)
    """``reach[p, a]``: provider ``p`` serves area ``a``, an area inside it or one containing it
    (column-major, precomputed so that a lot's scope is a few column look-ups)."""
    local_reach: BoolArray = field(init=False, repr=False)
    """As ``reach`` but not counting the national area (for the "local" providers of an area)."""
    band_masks: Mapping[str, BoolArray] = field(init=False, repr=False)
    any_led_by: BoolArray = field(init=False, repr=False)
    """Led by any of the led-by groups ("specialist-led" in the report)."""

    def __post_init__(self) -> None:
        n = len(self.provider_ids)
        columns = [self.annual_income, self.reserves_months, self.org_type, *self.led_by.values()]
        if any(len(c) != n for c in columns):
            raise ValueError("every provider column needs one value per provider")
        if self.areas.shape != (n, len(self.geography.slugs)):
            raise ValueError("areas must be a providers × areas indicator matrix")
        if self.specialisms.shape != (n, len(self.specialism_slugs)):
            raise ValueError("specialisms must be a providers × specialisms indicator matrix")
        bands = size_bands(self.annual_income)
        object.__setattr__(self, "size_band", bands)
        object.__setattr__(self, "band_masks", {b.value: bands == b.value for b in SizeBand})
        flags = list(self.led_by.values())
        any_led = np.logical_or.reduce(flags) if flags else np.zeros(n, dtype=bool)
        object.__setattr__(self, "any_led_by", np.asarray(any_led, dtype=bool))
        tree = self.geography
        reach = np.zeros(self.areas.shape, dtype=bool, order="F")
        local = np.zeros(self.areas.shape, dtype=bool, order="F")
        for a in range(len(tree.slugs)):
            related = tree.related(a)
            reach[:, a] = self.areas[:, related].any(axis=1)
            nearby = [j for j in related if j != tree.root] if a != tree.root else related
            local[:, a] = self.areas[:, nearby].any(axis=1)
        object.__setattr__(self, "reach", reach)
        object.__setattr__(self, "local_reach", local)

    def __len__(self) -> int:
        return len(self.provider_ids)

    def specialism_index(self, slug: str) -> int:
        try:
            return self.specialism_slugs.index(slug)
        except ValueError:
            raise ValueError(f"unknown specialism {slug!r}") from None


def membership_matrix(rows: Sequence[Sequence[str]], vocabulary: Sequence[str]) -> BoolArray:
    """A ``len(rows) × len(vocabulary)`` boolean indicator matrix from lists of slugs.

    >>> membership_matrix([("a",), ("b", "a"), ()], ["a", "b"]).astype(int).tolist()
    [[1, 0], [1, 1], [0, 0]]
    """
    index = {slug: i for i, slug in enumerate(vocabulary)}
    unknown = sorted({slug for row in rows for slug in row} - index.keys())
    if unknown:
        raise ValueError(f"unknown slugs: {unknown}")
    matrix = np.zeros((len(rows), len(vocabulary)), dtype=bool)
    pairs = [(r, index[slug]) for r, row in enumerate(rows) for slug in row]
    if pairs:
        matrix[tuple(np.array(pairs).T)] = True
    return matrix


class ProviderRecord(Protocol):
    """What the adapter reads from a provider (``SyntheticOrganisation`` has all of it)."""

    @property
    def slug(self) -> str: ...
    @property
    def org_type(self) -> str: ...
    @property
    def annual_income(self) -> Decimal: ...
    @property
    def reserves_months(self) -> Decimal: ...
    @property
    def areas(self) -> tuple[str, ...]: ...
    @property
    def specialisms(self) -> tuple[str, ...]: ...
    @property
    def bame_led(self) -> bool: ...
    @property
    def women_led(self) -> bool: ...
    @property
    def lived_experience_led(self) -> bool: ...
    @property
    def user_led(self) -> bool: ...


def market_columns_from_records(
    records: Sequence[ProviderRecord],
    geography: AreaTree | None = None,
    specialism_slugs: Sequence[str] | None = None,
) -> MarketColumns:
    """Columns from provider records; unknown area or specialism slugs raise ``ValueError``."""
    tree = geography or AreaTree.from_specs()
    specs = tuple(specialism_slugs or (t.slug for t in SPECIALISMS))
    areas = membership_matrix([r.areas for r in records], tree.slugs)
    specialisms = membership_matrix([r.specialisms for r in records], specs)
    return MarketColumns(
        provider_ids=np.array([r.slug for r in records], dtype=str),
        annual_income=np.array([float(r.annual_income) for r in records], dtype=np.float64),
        reserves_months=np.array([float(r.reserves_months) for r in records], dtype=np.float64),
        org_type=np.array([r.org_type for r in records], dtype=str),
        led_by={
            g: np.array([bool(getattr(r, g)) for r in records], dtype=bool) for g in LED_BY_GROUPS
        },
        areas=areas,
        specialisms=specialisms,
        specialism_slugs=specs,
        geography=tree,
    )


def market_columns_from_synthetic(market: SyntheticMarket) -> MarketColumns:
    """The synthetic market's providers (VCS and primes) as :class:`MarketColumns`."""
    return market_columns_from_records(
        market.providers,
        AreaTree.from_specs(market.areas),
        [t.slug for t in market.specialisms],
    )
