"""Money and months on directory pages, and the API's writable fields matching the form's."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commissioning.directory.forms import PoundsField
from commissioning.directory.models import LED_BY_FIELDS
from commissioning.directory.schemas import OrganisationPatch
from commissioning.directory.services import EDITABLE_FIELDS, UPDATABLE_FIELDS
from commissioning.directory.templatetags.directory_format import months, pounds


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1234567.00"), "£1,234,567"),
        (Decimal("0"), "£0"),
        (Decimal("1234.5"), "£1,234.50"),
        (Decimal("0.005"), "£0.01"),  # half up
        ("250000", "£250,000"),
        (None, ""),
        ("not money", ""),
    ],
)
def test_pounds(value: object, shown: str) -> None:
    assert pounds(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("14.0"), "14 months"),
        (Decimal("1.0"), "1 month"),
        (Decimal("4.5"), "4.5 months"),
        (Decimal("0"), "0 months"),
        (None, ""),
    ],
)
def test_months(value: object, shown: str) -> None:
    assert months(value) == shown


@pytest.mark.parametrize(
    ("typed", "value"),
    [("£250,000", Decimal("250000")), (" 1,500.50 ", Decimal("1500.50")), ("", None)],
)
def test_pounds_field_accepts_what_people_type(typed: str, value: Decimal | None) -> None:
    assert PoundsField(required=False).clean(typed) == value


def test_api_patch_accepts_exactly_what_the_form_edits() -> None:
    # and the version the edit started from (no lost updates: audit.versions)
    assert set(OrganisationPatch.model_fields) == {*EDITABLE_FIELDS, "led_by", "version"}
    assert {*EDITABLE_FIELDS, *LED_BY_FIELDS} == UPDATABLE_FIELDS
