"""How a refused stale save of a contract's documents says what changed (issue 13; PBR-1): the
parts of the document that differ, with short values old and new, never the whole document."""

from __future__ import annotations

from commissioning.contracts.stale import document_change


def test_short_values_are_quoted_and_nested_parts_named() -> None:
    before = {"name": "Old terms", "service_fee": {"annual_value": "1.00"}, "term_periods": 8}
    after = {"name": "New terms", "service_fee": {"annual_value": "2.00"}, "term_periods": 8}
    assert document_change("payment mechanism", before, after) == (
        "payment mechanism: name: Old terms → New terms, service fee changed"
    )


def test_long_values_added_keys_and_whole_documents() -> None:
    before = {"description": "x" * 81}
    after = {"description": "y" * 81, "volume_fees": []}
    assert document_change("payment mechanism", before, after) == (
        "payment mechanism: description changed, volume fees changed"
    )
    assert document_change("observed volumes and outcomes", None, {}) == (
        "observed volumes and outcomes added"
    )
    assert document_change("stress-test assumptions", {}, None) == "stress-test assumptions removed"
    assert document_change("payment mechanism", before, dict(before)) == (
        "payment mechanism saved unchanged"
    )
