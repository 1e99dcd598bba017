"""A concern's state machine and the summary's small-count rule (SUP-5)."""

from __future__ import annotations

from commissioning.concerns import crypto, lifecycle
from commissioning.concerns.models import Concern

Status = Concern.Status


def test_a_concern_is_acknowledged_before_it_is_closed() -> None:
    assert lifecycle.allowed_next(Status.RECEIVED) == [Status.ACKNOWLEDGED]
    assert Status.CLOSED in lifecycle.allowed_next(Status.REFERRED)
    assert lifecycle.allowed_next(Status.CLOSED) == []


def test_every_move_needs_a_message_and_closing_an_outcome() -> None:
    concern = Concern(status=Status.UNDER_REVIEW)
    refused = lifecycle.problems(concern, Status.CLOSED, message=" ", outcome="")
    assert refused == {
        "message": "Enter a message to the reporter",
        "outcome": "Choose the outcome",
    }
    assert lifecycle.problems(concern, Status.CLOSED, message="Done", outcome="upheld") == {}
    assert lifecycle.problems(Concern(status=Status.CLOSED), Status.CLOSED, message="x") == {
        "__all__": "This concern is closed."
    }


def test_a_receipt_is_sixteen_digits_in_groups_of_four() -> None:
    receipt = crypto.new_receipt()
    assert len(receipt) == 16 and receipt.isdigit()
    assert crypto.normalise_receipt(crypto.grouped(receipt)) == receipt
    assert crypto.grouped("1234567812345678") == "1234 5678 1234 5678"
    assert crypto.normalise_receipt("1234-5678-1234-567") == ""
    assert crypto.normalise_receipt("1234 5678 1234 567x") == ""
