"""Formatting for directory pages: money in pounds and months of reserves."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def pounds(value: Any) -> str:
    """``Decimal("1234567.00")`` → "£1,234,567"; pence are shown only when there are some."""
    amount = _decimal(value)
    if amount is None:
        return ""
    amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount == amount.to_integral_value():
        return f"{sign}£{int(amount):,}"
    return f"{sign}£{amount:,.2f}"


@register.filter
def months(value: Any) -> str:
    """``Decimal("14.0")`` → "14 months"; ``Decimal("1.0")`` → "1 month"; "4.5 months"."""
    amount = _decimal(value)
    if amount is None:
        return ""
    number = f"{amount.normalize():f}" if amount != amount.to_integral_value() else f"{int(amount)}"
    return f"{number} month" if amount == 1 else f"{number} months"


@register.simple_tag
def govuk_widget(field: Any, css_class: str, error_class: str = "") -> SafeString:
    """Render a bound field's widget with GOV.UK classes, its error state and hint/error ids."""
    classes = [css_class]
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_hint")
    if field.errors:
        if error_class:
            classes.append(error_class)
        described_by.extend(
            f"{field.auto_id}_{number}_error" for number in range(1, len(field.errors) + 1)
        )
    attrs = {"class": " ".join(classes)}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    widget: SafeString = field.as_widget(attrs=attrs)
    return widget


def _options(choices: Any, selected: set[str]) -> SafeString:
    parts = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', value, _options(label, selected))
            )
        else:
            parts.append(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    value,
                    mark_safe(" selected") if str(value) in selected else "",
                    label,
                )
            )
    return mark_safe("".join(parts))  # every part went through format_html


@register.simple_tag
def govuk_select(field: Any) -> SafeString:
    """A GOV.UK select for a choice field, rendered in Python: the directory's filter panel has
    one with every area in it, and Django's per-option widget templates made it the slowest part
    of the page."""
    value = field.value()
    values = value if isinstance(value, (list, tuple)) else [value]
    selected = {str(item) for item in values if item not in (None, "")}
    if not selected:
        selected = {""}
    classes = "govuk-select govuk-!-width-full" + (" govuk-select--error" if field.errors else "")
    described_by = [f"{field.auto_id}_hint"] if field.help_text else []
    described_by += [f"{field.auto_id}_{n}_error" for n in range(1, len(field.errors) + 1)]
    return format_html(
        '<select name="{}" id="{}" class="{}"{}>{}</select>',
        field.html_name,
        field.auto_id,
        classes,
        format_html(' aria-describedby="{}"', " ".join(described_by)) if described_by else "",
        _options(field.field.choices, selected),
    )
