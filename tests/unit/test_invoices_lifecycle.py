"""An invoice's state machine (LAW-3, UK17): the table's moves, the guards that need no
database and the one status writer, on unsaved invoices."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from commissioning.invoices import lifecycle
from commissioning.invoices.models import Invoice

Status = Invoice.Status
TODAY = date(2026, 10, 1)


def _invoice(**fields: object) -> Invoice:
    values: dict[str, object] = {
        "amount": Decimal("1000.00"),
        "amount_paid": Decimal("0.00"),
        "received_on": date(2026, 8, 3),
        "due_on": date(2026, 9, 2),
        "terms_days": 30,
    }
    values.update(fields)
    return Invoice(**values)


def test_the_table_allows_payment_dispute_and_resolution_and_paid_is_final() -> None:
    assert set(lifecycle.allowed_next(Status.AWAITING_PAYMENT)) == {
        Status.PART_PAID,
        Status.PAID,
        Status.DISPUTED,
    }
    assert set(lifecycle.allowed_next(Status.DISPUTED)) == {
        Status.AWAITING_PAYMENT,
        Status.PART_PAID,
    }
    assert lifecycle.allowed_next(Status.PAID) == []
    assert not lifecycle.can_pay(Status.DISPUTED)
    assert not lifecycle.can_dispute(Status.PAID)


def test_a_part_payment_leaves_it_part_paid_and_the_rest_pays_it() -> None:
    invoice = _invoice()
    assert lifecycle.after_payment(invoice, Decimal("400.00")) is Status.PART_PAID
    invoice.amount_paid = Decimal("400.00")
    assert lifecycle.after_payment(invoice, Decimal("600.00")) is Status.PAID


def test_payment_guards_name_each_field() -> None:
    invoice = _invoice(amount_paid=Decimal("400.00"))
    invoice.status = Status.PART_PAID  # in memory only, to test the guard
    problems = lifecycle.payment_problems(invoice, Decimal("600.01"), date(2026, 8, 2), TODAY)
    assert problems == {
        "amount": "The amount paid must be £600.00 or less: that is what is still owed",
        "paid_on": "The date paid must be on or after 3 August 2026, the day the invoice was "
        "received",
    }
    future = lifecycle.payment_problems(invoice, Decimal("1.00"), date(2026, 10, 2), TODAY)
    assert future == {"paid_on": "The date paid must be today or in the past"}
    assert lifecycle.payment_problems(invoice, Decimal("600.00"), date(2026, 8, 3), TODAY) == {}


def test_a_disputed_invoice_is_not_paid_until_resolved() -> None:
    invoice = _invoice()
    lifecycle.move(invoice, Status.DISPUTED)
    invoice.disputed_on = date(2026, 8, 10)
    assert "__all__" in lifecycle.payment_problems(invoice, Decimal("1"), date(2026, 8, 20), TODAY)
    assert lifecycle.resolution_problems(invoice, " ", date(2026, 8, 9), TODAY) == {
        "resolution": "Enter how the dispute was resolved",
        "resolved_on": "The date of the resolution must be on or after 10 August 2026, the day "
        "of the dispute",
    }
    assert lifecycle.after_resolution(invoice) is Status.AWAITING_PAYMENT


def test_dispute_needs_a_reason_and_a_date_after_receipt() -> None:
    invoice = _invoice()
    assert lifecycle.dispute_problems(invoice, "", date(2026, 8, 1), TODAY) == {
        "reason": "Enter why the invoice is disputed",
        "disputed_on": "The date of the dispute must be on or after 3 August 2026, the day the "
        "invoice was received",
    }


def test_move_refuses_a_move_outside_the_table() -> None:
    invoice = _invoice()
    lifecycle.move(invoice, Status.PAID)
    with pytest.raises(Exception, match="paid cannot become disputed"):
        lifecycle.move(invoice, Status.DISPUTED)
    assert invoice.status == Status.PAID


def test_every_move_names_an_audit_action() -> None:
    actions = {t.action for t in lifecycle.TRANSITIONS.values()}
    assert actions == {"invoice.payment", "invoice.dispute", "invoice.resolve"}
