"""Offline OCDS validation with libcoveocds: every stage validates, broken data fails (LAW-1)."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from commissioning.opendata.ocds import examples as ex
from commissioning.opendata.ocds import extensions as ext
from commissioning.opendata.ocds.award import build_award
from commissioning.opendata.ocds.contract import build_contract
from commissioning.opendata.ocds.engagement import build_planning
from commissioning.opendata.ocds.packaging import build_record, record_package, release_package
from commissioning.opendata.ocds.tender import build_cancellation, build_tender
from commissioning.opendata.ocds.validate import (
    OfflineError,
    local_extension_adapter,
    validate_package,
)

STAGES: dict[str, Callable[[], dict[str, Any]]] = {
    "planning UK2": lambda: build_planning(ex.planning()),
    "tender UK4 with two lots": lambda: build_tender(ex.tender()),
    "cancellation UK12": lambda: build_cancellation(ex.cancellation()),
    "award UK6": lambda: build_award(ex.award()),
    "contract UK7 over 5m with 3 KPIs": lambda: build_contract(ex.contract()),
}


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to open a socket or resolve a name fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    yield


def _package(*releases: dict[str, Any]) -> dict[str, Any]:
    return release_package(
        releases,
        uri="https://commissioning.example.org/api/ocds/CE-2026-0001.json",
        published_date=ex.at(9, 1),
        publisher_name="Commissioning platform (synthetic)",
    )


@pytest.mark.parametrize("stage", list(STAGES))
def test_each_stage_validates_with_zero_errors(stage: str) -> None:
    result = validate_package(_package(STAGES[stage]()))
    assert result.error_count == 0, result.summary()
    assert result.invalid_extensions == ()
    assert result.is_valid


def test_the_extensions_are_applied_not_ignored() -> None:
    """UK and lots fields validate as schema fields, not as unknown additional fields."""
    result = validate_package(_package(STAGES["tender UK4 with two lots"]()))
    assert not any("suitability" in path or "lots" in path for path in result.additional_fields)
    assert not any("noticeType" in path for path in result.additional_fields)


def test_a_record_package_of_the_whole_process_validates() -> None:
    record = build_record([make() for make in STAGES.values()])
    package = record_package(
        [record],
        uri="https://commissioning.example.org/api/ocds/records/CE-2026-0001.json",
        published_date=ex.at(9, 1),
        publisher_name="Commissioning platform (synthetic)",
    )
    result = validate_package(package)
    assert result.error_count == 0, result.summary()


def test_missing_ocid_is_an_error() -> None:
    release = build_tender(ex.tender())
    del release["ocid"]
    result = validate_package(_package(release))
    assert not result.is_valid
    assert any("ocid" in error for error in result.errors), result.summary()


def test_wrong_types_in_uk_fields_are_errors() -> None:
    release = build_tender(ex.tender())
    release["tender"]["lots"][0]["suitability"]["vcse"] = "yes"
    release["tender"]["documents"][0]["noticeType"] = 4
    result = validate_package(_package(release))
    assert result.error_count == 2, result.summary()
    assert any("lots/0/suitability/vcse" in error for error in result.errors)
    assert any("documents/0/noticeType" in error for error in result.errors)
    assert "2 error(s)" in result.summary()


def test_closed_codelist_violation_is_an_error() -> None:
    release = build_tender(ex.tender())
    release["tender"]["status"] = "openForBusiness"
    result = validate_package(_package(release))
    assert any("tender/status" in error for error in result.errors), result.summary()


def test_an_unknown_extension_is_refused_offline_and_reported() -> None:
    package = _package(build_tender(ex.tender()))
    package["extensions"] = [*package["extensions"], "https://example.org/ext/extension.json"]
    result = validate_package(package)
    assert len(result.invalid_extensions) == 1
    assert result.invalid_extensions[0].startswith("https://example.org/ext/extension.json")
    assert result.error_count == 1


def test_adapter_serves_local_files_and_refuses_everything_else() -> None:
    session = requests.Session()
    session.mount("https://", local_extension_adapter())
    ok = session.get(ext.UK)
    assert ok.status_code == 200
    assert ok.json()["name"]["en"] == "United Kingdom"
    codelist = session.get(ext.UK.replace("extension.json", "codelists/+bidStatistics.csv"))
    assert "smeFinalStageBids" in codelist.text
    missing = session.get(ext.UK.replace("extension.json", "nope.json"))
    assert missing.status_code == 404
    escape = session.get(ext.UK.replace("extension.json", "..%2F..%2Fstandard-1__1__5-schema.zip"))
    assert escape.status_code == 404
    with pytest.raises(OfflineError):
        session.get("https://standard.open-contracting.org/schema/1__1__5/release-schema.json")


def test_every_declared_extension_is_the_real_one_in_shared() -> None:
    """No stand-in schemas: enquiries and submission terms come from ``shared/`` (issue 11
    item 10)."""
    extensions_dir = ext.ocds_data_dir() / "extensions"
    for url in ext.declared_extensions():
        folder = ext.extension_base_dir(url)
        assert folder.parent == extensions_dir, url
        assert (folder / "extension.json").is_file(), url
    assert ext.SUBMISSION_TERMS in ext.declared_extensions()


def test_lot_submission_terms_resolve_and_are_checked_without_pruning() -> None:
    """The lots extension's ``Lot.submissionTerms`` refers to ``SubmissionTerms``: declaring the
    submissionTerms extension resolves it, so its fields are known and their types enforced."""
    release = build_tender(ex.tender())
    release["tender"]["lots"][0]["submissionTerms"] = {"multipleBidsAllowed": False}
    result = validate_package(_package(release))
    assert result.is_valid and not result.additional_fields, result.summary()
    assert not any("pruned" in warning for warning in result.warnings), result.summary()
    release["tender"]["lots"][0]["submissionTerms"] = {"multipleBidsAllowed": "no"}
    result = validate_package(_package(release))
    assert result.error_count == 1, result.summary()
    assert "submissionTerms/multipleBidsAllowed" in result.errors[0]


def test_a_dangling_reference_is_an_error_never_pruned() -> None:
    """Without the submissionTerms extension ``Lot.submissionTerms`` cannot be dereferenced:
    that is reported as an error instead of being quietly removed from the schema."""
    package = _package(build_tender(ex.tender()))
    package["extensions"].remove(ext.SUBMISSION_TERMS)
    result = validate_package(package)
    assert any(error.startswith("schema reference error") for error in result.errors), (
        result.summary()
    )


def test_shared_dir_can_be_overridden_and_a_missing_zip_is_explained(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OCDS_SHARED_DIR", str(tmp_path))
    assert ext.shared_dir() == tmp_path.resolve()
    assert ext.standard_zip_path() == tmp_path.resolve() / "data/ocds/standard-1__1__5-schema.zip"
    with pytest.raises(FileNotFoundError, match="OCDS_SHARED_DIR"):
        validate_package(_package(build_tender(ex.tender())))


def test_additional_checks_are_warnings_with_their_location_not_errors() -> None:
    release = build_tender(ex.tender())
    release["tender"]["title"] = ""
    result = validate_package(_package(release))
    assert result.error_count == 0
    assert "empty_field: releases/0/tender/title" in result.warnings
    assert "warning: empty_field: releases/0/tender/title" in result.summary()


def test_enquiries_are_checked_against_the_declared_enquiries_extension() -> None:
    """``tender.enquiries`` is declared (PRO-4): its fields are known, its types enforced."""
    release = build_tender(ex.tender())
    assert ext.ENQUIRY in _package(release)["extensions"]
    result = validate_package(_package(release))
    assert result.is_valid and not result.additional_fields, result.summary()
    release["tender"]["enquiries"][0]["dateAnswered"] = 12
    result = validate_package(_package(release))
    assert result.error_count == 1, result.summary()
    assert any("enquiries/0/dateAnswered" in error for error in result.errors)
