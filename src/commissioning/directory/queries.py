"""Reading the provider directory (MKT-1): one query for the web page and the JSON API.

:func:`search_organisations` is the only place the directory's filters become SQL, so the page at
``/directory/`` and ``GET /api/organisations`` always agree. Every many-to-many filter is an
``EXISTS`` subquery rather than a join, so no organisation appears twice and no ``DISTINCT`` is
needed; counting stays a plain ``COUNT(*)`` over the organisation table.

Search (``q``) splits the text into words and keeps organisations whose ``search_text`` (the
lower-cased name, description and charity number, kept by :meth:`Organisation.save`) contains
every word. Words are lower-cased here, so a plain ``LIKE '%word%'`` suffices on both SQLite and
PostgreSQL without wrapping every row in ``UPPER()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from commissioning.directory.models import LED_BY_FIELDS, Area, Cohort, Organisation, Specialism

MAX_SEARCH_WORDS = 10
"""More words than this are ignored: each adds a ``LIKE`` over every row."""


class Show:
    """Which organisations the directory lists (the ``show`` parameter)."""

    PROVIDERS = "providers"
    BODIES = "bodies"
    ALL = "all"

    CHOICES = [
        (PROVIDERS, "Providers"),
        (BODIES, "Commissioning bodies"),
        (ALL, "Providers and commissioning bodies"),
    ]


@dataclass(frozen=True)
class Lookups:
    """The small reference tables the filters choose from, loaded once per request."""

    areas: Sequence[Area]
    specialisms: Sequence[Specialism]
    cohorts: Sequence[Cohort]

    @classmethod
    def load(cls) -> Lookups:
        return cls(
            areas=list(Area.objects.only("id", "slug", "name", "kind", "parent_id")),
            specialisms=list(Specialism.objects.all()),
            cohorts=list(Cohort.objects.all()),
        )

    def area(self, slug: str) -> Area | None:
        return next((area for area in self.areas if area.slug == slug), None)

    def specialism(self, slug: str) -> Specialism | None:
        return next((item for item in self.specialisms if item.slug == slug), None)

    def cohort(self, slug: str) -> Cohort | None:
        return next((item for item in self.cohorts if item.slug == slug), None)


@dataclass(frozen=True)
class DirectoryFilters:
    """Validated filters (see :class:`commissioning.directory.filters.DirectoryFilterForm`)."""

    q: str = ""
    show: str = Show.PROVIDERS
    area: Area | None = None
    area_ids: frozenset[int] = field(default_factory=frozenset)
    specialism: Specialism | None = None
    cohort: Cohort | None = None
    size: str = ""
    led_by: tuple[str, ...] = ()
    org_type: str = ""

    @property
    def words(self) -> list[str]:
        return search_words(self.q)


def search_words(text: str) -> list[str]:
    """The distinct lower-case words of a search, in order, at most :data:`MAX_SEARCH_WORDS`."""
    words: list[str] = []
    for word in text.lower().split():
        if word not in words:
            words.append(word)
    return words[:MAX_SEARCH_WORDS]


def areas_matching(area: Area, all_areas: Iterable[Area]) -> frozenset[int]:
    """The ids of the areas whose organisations count as working in ``area``.

    The directory answers "who works here?":

    * an organisation serving ``area`` itself matches;
    * so does one serving an area that *contains* it (the probation region around a police
      force area) and every national (England and Wales) organisation, which works everywhere;
    * choosing a probation region also finds organisations serving any police force area inside
      it, since they work in that region too.

    Choosing the national area lists the organisations that work across England and Wales; it does
    not list every local organisation (that is what "any area" is for).
    """
    areas = list(all_areas)
    by_id = {item.pk: item for item in areas}
    matching = {area.pk}
    matching.update(item.pk for item in areas if item.kind == Area.Kind.NATIONAL)

    parent_id = area.parent_id
    while parent_id is not None and parent_id not in matching:
        matching.add(parent_id)
        parent = by_id.get(parent_id)
        parent_id = parent.parent_id if parent else None

    if area.kind != Area.Kind.NATIONAL:
        children: dict[int, list[int]] = {}
        for item in areas:
            if item.parent_id is not None:
                children.setdefault(item.parent_id, []).append(item.pk)
        pending = list(children.get(area.pk, []))
        while pending:
            child = pending.pop()
            if child not in matching:
                matching.add(child)
                pending.extend(children.get(child, []))
    return frozenset(matching)


def areas_within_reach(area: Area) -> frozenset[int]:
    """:func:`areas_matching` over every area in the database (one small query)."""
    return areas_matching(area, Area.objects.only("id", "kind", "parent_id"))


def serves_any_area(through: type[Model], owner: str, area_ids: Iterable[int]) -> Exists:
    """``EXISTS`` over an area link table (``through``, whose ``owner`` lookup leads back to the
    listed row) for any of ``area_ids``: never duplicates a row, so no ``DISTINCT``."""
    return Exists(
        through._default_manager.filter(
            **{owner: OuterRef("pk")}, area_id__in=sorted(set(area_ids))
        )
    )


def serving_area(
    queryset: QuerySet[Any], area: Area, *, through: type[Model], owner: str
) -> QuerySet[Any]:
    """The one area rule of every public list (issue 11 item 25b; MKT-1, CYC-1, PRO-1): the
    rows of ``queryset`` whose areas (the link table ``through``, ``owner`` leading back to the
    row) reach ``area`` as :func:`areas_matching` defines it — a region takes in its police
    force areas, and national rows match everywhere. The directory, the exercise list and the
    opportunity list (and their API filters) all filter through here."""
    return queryset.filter(serves_any_area(through, owner, areas_within_reach(area)))


def _related_exists(through: type[Model], **conditions: object) -> Exists:
    """``EXISTS`` over a many-to-many table: never duplicates an organisation row."""
    return Exists(through._default_manager.filter(organisation_id=OuterRef("pk"), **conditions))


def search_organisations(filters: DirectoryFilters) -> QuerySet[Organisation]:
    """Organisations matching ``filters``, ordered by name, without duplicates.

    The queryset is lazy and unsliced: callers count it and take one page, then
    :func:`with_list_relations` fetches the many-to-many values for that page only.
    """
    queryset = Organisation.objects.all()
    if filters.show == Show.PROVIDERS:
        queryset = queryset.filter(is_commissioning_body=False)
    elif filters.show == Show.BODIES:
        queryset = queryset.filter(is_commissioning_body=True)

    for word in filters.words:
        queryset = queryset.filter(search_text__contains=word)
    if filters.area_ids:
        queryset = queryset.filter(
            serves_any_area(Organisation.areas.through, "organisation_id", filters.area_ids)
        )
    if filters.specialism is not None:
        queryset = queryset.filter(
            _related_exists(Organisation.specialisms.through, specialism_id=filters.specialism.pk)
        )
    if filters.cohort is not None:
        queryset = queryset.filter(
            _related_exists(Organisation.cohorts.through, cohort_id=filters.cohort.pk)
        )
    if filters.size:
        queryset = queryset.filter(size_band=filters.size)
    if filters.led_by:
        led_by = Q()
        for name in filters.led_by:
            if name in LED_BY_FIELDS:
                led_by |= Q(**{name: True})
        queryset = queryset.filter(led_by)
    if filters.org_type:
        queryset = queryset.filter(org_type=filters.org_type)
    return queryset.order_by("name", "pk")


LIST_COLUMNS = (
    "id",
    "name",
    "slug",
    "org_type",
    "size_band",
    "is_commissioning_body",
    "commissioning_tier",
    "is_prime",
    *LED_BY_FIELDS,
    "is_synthetic",
)
"""What a results row shows; the long description and search text stay in the database."""


def list_rows(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Only the columns a results row needs."""
    return queryset.only(*LIST_COLUMNS)


@dataclass(frozen=True)
class Row:
    """One organisation of a results page, with the areas, specialisms and cohorts it names."""

    organisation: Organisation
    areas: list[Area]
    specialisms: list[Specialism]
    cohorts: list[Cohort]

    @classmethod
    def of(cls, organisation: Organisation) -> Row:
        """From an organisation whose relations are prefetched (see organisation_for_profile)."""
        return cls(
            organisation,
            list(organisation.areas.all()),
            list(organisation.specialisms.all()),
            list(organisation.cohorts.all()),
        )


def _related_ids(through: type[Model], column: str, ids: list[int]) -> dict[int, list[int]]:
    pairs = (
        through._default_manager.filter(organisation_id__in=ids)
        .order_by()
        .values_list("organisation_id", column)
    )
    related: dict[int, list[int]] = {}
    for organisation_id, related_id in pairs:
        related.setdefault(organisation_id, []).append(related_id)
    return related


def _pick(ids: list[int], table: Sequence[Any]) -> list[Any]:
    """The objects of ``table`` (a lookup list, in display order) with these ids, in that order."""
    wanted = set(ids)
    return [item for item in table if item.pk in wanted]


def with_relations(
    organisations: Iterable[Organisation], lookups: Lookups, *, cohorts: bool = True
) -> list[Row]:
    """One page of organisations with their related values.

    The reference tables are already in memory (the filters need them), so each relation costs
    one query of id pairs for this page's rows, and no model object per link: much cheaper than
    ``prefetch_related`` for a page of 25 or 100 organisations. ``cohorts=False`` skips the
    cohorts (the web results do not show them).
    """
    page = list(organisations)
    ids = [organisation.pk for organisation in page]
    if not ids:
        return []
    areas = _related_ids(Organisation.areas.through, "area_id", ids)
    specialisms = _related_ids(Organisation.specialisms.through, "specialism_id", ids)
    cohort_ids = _related_ids(Organisation.cohorts.through, "cohort_id", ids) if cohorts else {}
    return [
        Row(
            organisation,
            _pick(areas.get(organisation.pk, []), lookups.areas),
            _pick(specialisms.get(organisation.pk, []), lookups.specialisms),
            _pick(cohort_ids.get(organisation.pk, []), lookups.cohorts),
        )
        for organisation in page
    ]


def organisation_for_profile(slug: str) -> Organisation:
    """One organisation with everything its profile page shows; raises ``DoesNotExist``."""
    return Organisation.objects.prefetch_related("areas", "specialisms", "cohorts").get(slug=slug)


def exercises_of(organisation: Organisation) -> dict[str, list[Any]]:
    """The commissioning exercises a body runs, and those it joins as a partner, newest first."""
    from commissioning.exercises.models import CommissioningExercise

    if not organisation.is_commissioning_body:
        return {"led": [], "partnered": []}
    columns = ("reference", "title", "tier", "stage", "is_synthetic", "created_at")
    led = CommissioningExercise.objects.filter(commissioning_body=organisation).only(*columns)
    partnered = CommissioningExercise.objects.filter(partners=organisation).only(*columns)
    return {
        "led": list(led.order_by("-created_at", "reference")),
        "partnered": list(partnered.order_by("-created_at", "reference")),
    }
