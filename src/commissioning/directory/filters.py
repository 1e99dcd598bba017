"""The directory's filters (MKT-1), validated once for the web page and the JSON API.

:class:`DirectoryFilterForm` turns query parameters (``q``, ``show``, ``area``, ``specialism``,
``cohort``, ``size``, ``led_by``, ``org_type``) into :class:`DirectoryFilters`. An unknown slug or
value is a field error that names the parameter: the page shows it in the error summary and next
to the filter (and still applies the filters that were valid); the API answers 400.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from commissioning.directory.models import LED_BY_FIELDS, SIZE_BAND_CHOICES, Area, Organisation
from commissioning.directory.queries import DirectoryFilters, Lookups, Show, areas_matching
from commissioning.kernel.forms import GovUKForm

MAX_QUERY_LENGTH = 200

_AREA_GROUPS = (
    (Area.Kind.NATIONAL, "National"),
    (Area.Kind.PROBATION_REGION, "Probation regions"),
    (Area.Kind.POLICE_FORCE_AREA, "Police force areas"),
)


def _choose(what: str) -> dict[str, str]:
    return {"invalid_choice": f"Choose {what} from the list"}


class DirectoryFilterForm(GovUKForm):
    q = forms.CharField(
        label="Search",
        help_text="Name, description or charity number",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": f"Search must be {MAX_QUERY_LENGTH} characters or fewer"},
    )
    show = forms.ChoiceField(
        label="Show",
        choices=Show.CHOICES,
        required=False,
        error_messages=_choose("what to show"),
    )
    area = forms.ChoiceField(label="Area served", required=False, error_messages=_choose("an area"))
    specialism = forms.ChoiceField(
        label="Specialism", required=False, error_messages=_choose("a specialism")
    )
    cohort = forms.ChoiceField(
        label="People supported", required=False, error_messages=_choose("a group of people")
    )
    size = forms.ChoiceField(
        label="Size (annual income)",
        choices=[("", "Any size"), *SIZE_BAND_CHOICES],
        required=False,
        error_messages=_choose("a size band"),
    )
    led_by = forms.MultipleChoiceField(
        label="Led by",
        help_text="Organisations led by any of the groups you select",
        choices=list(LED_BY_FIELDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": (
                "Choose who leads the organisation from the list: " + ", ".join(LED_BY_FIELDS)
            ),
            "invalid_list": "Choose who leads the organisation from the list",
        },
    )
    org_type = forms.ChoiceField(
        label="Type of organisation",
        choices=[("", "Any type"), *Organisation.OrgType.choices],
        required=False,
        error_messages=_choose("a type of organisation"),
    )

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, lookups: Lookups | None = None
    ) -> None:
        super().__init__(data)
        self.lookups = lookups or Lookups.load()
        self.fields["area"].choices = [("", "Any area")] + [  # type: ignore[attr-defined]
            (
                label,
                [(area.slug, area.name) for area in self.lookups.areas if area.kind == kind],
            )
            for kind, label in _AREA_GROUPS
        ]
        self.fields["specialism"].choices = [("", "Any specialism")] + [  # type: ignore[attr-defined]
            (item.slug, item.name) for item in self.lookups.specialisms
        ]
        self.fields["cohort"].choices = [("", "Anyone")] + [  # type: ignore[attr-defined]
            (item.slug, item.name) for item in self.lookups.cohorts
        ]

    def filters(self) -> DirectoryFilters:
        """The filters that are valid (call after :meth:`is_valid`); invalid ones are left out."""
        cleaned = getattr(self, "cleaned_data", {})
        area = self.lookups.area(cleaned.get("area") or "")
        specialism = self.lookups.specialism(cleaned.get("specialism") or "")
        cohort = self.lookups.cohort(cleaned.get("cohort") or "")
        return DirectoryFilters(
            q=(cleaned.get("q") or "").strip(),
            show=cleaned.get("show") or Show.PROVIDERS,
            area=area,
            area_ids=areas_matching(area, self.lookups.areas) if area else frozenset(),
            specialism=specialism,
            cohort=cohort,
            size=cleaned.get("size") or "",
            led_by=tuple(cleaned.get("led_by") or ()),
            org_type=cleaned.get("org_type") or "",
        )

    def error_dict(self) -> dict[str, list[str]]:
        """Errors keyed by query parameter, for the API's 400 answer."""
        return {name: [str(message) for message in errors] for name, errors in self.errors.items()}
