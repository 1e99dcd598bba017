"""One definition of reserves everywhere users read it (issue 11 item 14; PBR-6, SUP-3): free
reserves, in months of expenditure. The directory stores that figure; the risk table, the stress
test, a lot's selection condition, the command line and the API say so in the same words, so
no page can be read as meaning total reserves or months of income."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import models

from commissioning.directory.models import Organisation
from commissioning.procurement.forms import LotForm
from commissioning.procurement.models import Lot
from tests.unit.test_cli_payments import cli, example

SRC = Path(__file__).resolve().parents[2] / "src" / "commissioning"
TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|<[^>]*>", re.DOTALL)
BARE_RESERVES = re.compile(r"(?<!free )\breserves\b", re.IGNORECASE)


def _words_users_read(template: Path) -> str:
    """The template's text: tags, variables and markup taken out."""
    return TEMPLATE_CODE.sub(" ", template.read_text(encoding="utf-8"))


def test_every_template_says_free_reserves() -> None:
    templates = sorted(SRC.rglob("templates/**/*.html"))
    assert len(templates) > 50
    bare = {
        str(path.relative_to(SRC)): BARE_RESERVES.findall(" ".join(_words_users_read(path).split()))
        for path in templates
    }
    assert {path: found for path, found in bare.items() if found} == {}


@pytest.mark.parametrize(
    ("field", "label"),
    [
        (Organisation._meta.get_field("reserves_months"), "Months of free reserves"),
        (
            Lot._meta.get_field("minimum_reserves_months"),
            "Minimum free reserves (months of expenditure)",
        ),
    ],
)
def test_the_fields_name_the_definition(field: models.Field[object, object], label: str) -> None:
    assert field.verbose_name == label


def test_the_lot_form_explains_free_reserves() -> None:
    field = LotForm().fields["minimum_reserves_months"]
    assert field.label == "Minimum free reserves (months of expenditure)"
    assert "months of the bidder's spending" in field.help_text


def test_the_command_line_heads_its_column_free_reserves(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["payments", "simulate", example("illustrative-supply-chain"), "--paths", "50"]
    code, out, _ = cli(argv, capsys)
    assert code == 0
    header = next(line for line in out.splitlines() if "P(run out)" in line)
    assert "Free reserves" in header
    assert "Free reserves (months of expenditure) and costs are worked out" in out
