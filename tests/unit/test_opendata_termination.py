"""The UK11 contract termination release (LAW-1; issue 12, contract ending): the contract closes
with the OCDS status ``terminated`` whether it ran its term or was terminated early, its period
ends on its last day, and the notice says which — valid OCDS, offline."""

from __future__ import annotations

import pytest

from commissioning.opendata.ocds import examples as ex
from commissioning.opendata.ocds.contract import build_contract
from commissioning.opendata.ocds.data import ContractEnding, Notice
from commissioning.opendata.ocds.packaging import build_record, release_package
from commissioning.opendata.ocds.termination import build_contract_termination
from commissioning.opendata.ocds.validate import validate_package


def _ending(early: bool, reason: str | None = None) -> ContractEnding:
    return ContractEnding(
        contract=ex.contract(),
        ended=ex.at(9, 30, 23),
        notice=Notice(published=ex.at(10, 2), url=f"{ex.BASE}/contract"),
        early=early,
        reason=reason,
    )


def test_an_early_termination_is_a_terminated_contract_with_its_reason() -> None:
    release = build_contract_termination(_ending(True, "The provider closed."))
    assert release["tag"] == ["contractTermination"]
    assert release["id"].startswith(f"{release['ocid']}-UK11-")
    (contract,) = release["contracts"]
    assert contract["status"] == "terminated"
    assert contract["period"]["endDate"] == "2026-09-30T23:00:00+01:00"
    (notice,) = contract["implementation"]["documents"]
    assert notice["noticeType"] == "UK11"
    assert notice["documentType"] == "contractTerminationNotice"
    assert notice["description"] == (
        "Terminated early; its last day was 30 September 2026. Reason: The provider closed."
    )


def test_a_contract_that_ran_its_term_is_terminated_too() -> None:
    (contract,) = build_contract_termination(_ending(False))["contracts"]
    assert contract["status"] == "terminated"
    assert contract["implementation"]["documents"][0]["description"] == (
        "Ended at the end of its term, 30 September 2026."
    )


def test_an_early_termination_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="without a reason"):
        build_contract_termination(_ending(True, " "))


def test_the_release_and_the_record_validate_with_no_errors() -> None:
    releases = [build_contract(ex.contract()), build_contract_termination(_ending(True, "Why"))]
    package = release_package(
        releases, uri=f"{ex.BASE}/ocds", published_date=ex.at(10, 3), publisher_name="Test"
    )
    result = validate_package(package)
    assert result.error_count == 0, result.summary()
    compiled = build_record(releases)["compiledRelease"]
    assert compiled["contracts"][0]["status"] == "terminated"
