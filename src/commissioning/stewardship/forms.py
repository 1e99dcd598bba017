"""The market map's GET form: which market, which measure, which year (MKT-1)."""

from __future__ import annotations

from typing import Any

from django import forms

from commissioning.kernel.forms import GovUKForm
from commissioning.stewardship import services


class MarketForm(GovUKForm):
    place = forms.ChoiceField(
        label="Market",
        help_text="An area, a specialism or a group of people served",
        required=False,
        error_messages={"invalid_choice": "Choose a market from the list"},
    )
    measure = forms.ChoiceField(
        label="Colour the map by",
        choices=[(m.key, m.label) for m in services.MEASURES],
        required=False,
        error_messages={"invalid_choice": "Choose a measure from the list"},
    )
    year = forms.TypedChoiceField(
        label="Year",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a year from the list"},
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = services.place_choices()  # type: ignore[attr-defined]
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            ("", "The latest year"),
            *[(str(year), str(year)) for year in reversed(years)],
        ]
