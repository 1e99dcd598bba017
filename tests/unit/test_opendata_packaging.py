"""Release/record packages and the compiled release of one process (PRO-9)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from commissioning.opendata.ocds import examples as ex
from commissioning.opendata.ocds import extensions as ext
from commissioning.opendata.ocds.award import build_award
from commissioning.opendata.ocds.contract import build_contract
from commissioning.opendata.ocds.engagement import build_planning
from commissioning.opendata.ocds.packaging import (
    build_record,
    compile_releases,
    record_package,
    release_package,
)
from commissioning.opendata.ocds.tender import build_cancellation, build_tender


def _releases() -> list[dict]:
    return [
        build_planning(ex.planning()),
        build_tender(ex.tender()),
        build_award(ex.award()),
        build_contract(ex.contract()),
    ]


def test_release_package_has_the_required_metadata_and_declared_extensions() -> None:
    package = release_package(
        _releases(),
        uri="https://example.org/p.json",
        published_date=ex.at(9, 1),
        publisher_name="Commissioning",
        publisher_scheme="GB-COH",
        publisher_uid="01234567",
    )
    assert package["version"] == "1.1"
    assert package["publishedDate"] == "2026-09-01T12:00:00+01:00"
    assert package["publisher"] == {"name": "Commissioning", "scheme": "GB-COH", "uid": "01234567"}
    assert ext.UK in package["extensions"]
    assert ext.LOTS in package["extensions"]
    assert len(package["extensions"]) == len(set(package["extensions"]))
    assert json.loads(json.dumps(package)) == package


@pytest.mark.parametrize("wrap", [release_package, record_package])
def test_an_empty_package_is_refused(wrap: Any) -> None:
    """Issue 11 item 6: the package schemas need at least one release or record, so no
    endpoint can publish an empty package by mistake."""
    with pytest.raises(ValueError, match="at least one item"):
        wrap([], uri="https://example.org/p.json", published_date=ex.at(9, 1), publisher_name="C")


def test_compiled_release_merges_stages_by_id() -> None:
    compiled = compile_releases(list(reversed(_releases())))  # order of input does not matter
    assert compiled["tag"] == ["compiled"]
    assert compiled["id"] == "ocds-commissioning-CE-2026-0001-compiled"
    assert compiled["date"] == "2026-08-21T09:00:00+01:00"  # the latest release's date
    # The UK2 planning section survives later releases that do not repeat it.
    assert compiled["planning"]["documents"][0]["noticeType"] == "UK2"
    # The tender from UK4 replaced the planning-stage tender's status, keeping its lots.
    assert compiled["tender"]["status"] == "active"
    assert [lot["id"] for lot in compiled["tender"]["lots"]] == ["1", "2"]
    # The award merged by id: UK6's notice document kept, UK7's status applied.
    (award,) = compiled["awards"]
    assert award["status"] == "active"
    assert award["documents"][0]["noticeType"] == "UK6"
    assert compiled["contracts"][0]["documents"][0]["noticeType"] == "UK7"
    # Parties merged by id, one entry each.
    assert [p["id"] for p in compiled["parties"]] == [ex.BUYER.id, ex.PRIME.id, ex.SUB.id]


def test_compiled_release_after_cancellation_shows_the_termination() -> None:
    compiled = compile_releases([*_releases()[:2], build_cancellation(ex.cancellation())])
    assert compiled["tender"]["status"] == "cancelled"
    notice_types = [doc.get("noticeType") for doc in compiled["tender"]["documents"]]
    assert notice_types == ["UK4", None, None, "UK12"]  # specification, SME barriers


def test_null_removes_a_field_when_compiling() -> None:
    tender = build_tender(ex.tender())
    later = json.loads(json.dumps(tender))
    later["id"] = tender["id"] + "-update"
    later["date"] = "2026-03-10T09:00:00+00:00"
    later["tender"] = {"submissionMethodDetails": None, "description": "Updated"}
    tender["tender"]["submissionMethodDetails"] = "Through the platform"
    compiled = compile_releases([tender, later])
    assert "submissionMethodDetails" not in compiled["tender"]
    assert compiled["tender"]["description"] == "Updated"


def test_record_embeds_releases_in_date_order() -> None:
    releases = _releases()
    record = build_record(list(reversed(releases)))
    assert record["ocid"] == "ocds-commissioning-CE-2026-0001"
    assert [r["id"] for r in record["releases"]] == [r["id"] for r in releases]
    package = record_package(
        [record], uri="https://example.org/r.json", published_date=ex.at(9, 1), publisher_name="C"
    )
    assert package["records"] == [record]


def test_a_record_refuses_mixed_ocids_and_no_releases() -> None:
    other = build_planning(ex.planning(), prefix="ocds-other-")
    with pytest.raises(ValueError, match="share an ocid"):
        compile_releases([build_planning(ex.planning()), other])
    with pytest.raises(ValueError, match="at least one"):
        compile_releases([])
