"""Widgets any form may use, tied to no record."""

from __future__ import annotations

from typing import Any

from django import forms


class ChooseSeveral(forms.SelectMultiple):
    """A short <select multiple>; with JavaScript, an autocomplete to add and buttons to remove."""

    template_name = "kernel/widgets/choose_several.html"

    def __init__(self, add_label: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {
                "size": 8,
                "class": "govuk-select app-choose-several",
                "data-module": "app-choose-several",
                "data-add-label": add_label,
                **(attrs or {}),
            }
        )

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        how = f"{widget_attrs.get('id', name)}-how"
        described = widget_attrs.get("aria-describedby", "")
        widget_attrs["aria-describedby"] = f"{described} {how}".strip()
        context["widget"]["how_id"] = how
        return context
