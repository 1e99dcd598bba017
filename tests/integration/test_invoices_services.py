"""Recording invoices, payments and disputes under a contract (LAW-3, UK17): who may, the due
date from the terms of each tier, part payments, one transaction with its audit record."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.audit.models import AuditEvent
from commissioning.invoices import access, services
from commissioning.invoices.models import Invoice
from tests.invoice_factories import cast, invoice

pytestmark = pytest.mark.django_db
TODAY = date(2027, 6, 30)


def test_due_dates_follow_each_tiers_terms() -> None:
    c = cast()
    prime_invoice = invoice(c.prime, c.contract, "prime", "P-1", date(2026, 5, 5))
    housing_invoice = invoice(c.housing, c.contract, "housing-charity", "H-1", date(2026, 5, 5))
    assert (prime_invoice.tier, prime_invoice.payer) == (
        Invoice.Tier.PRIME,
        c.contract.commissioning_body,
    )
    assert prime_invoice.due_on == date(2026, 6, 4)  # 30 days
    assert (housing_invoice.tier, housing_invoice.payer) == (
        Invoice.Tier.SUBCONTRACTOR,
        c.contract.prime,
    )
    assert housing_invoice.due_on == date(2026, 5, 19)  # the charity's 14 days
    event = AuditEvent.objects.get(action="invoice.record", target_id=str(housing_invoice.pk))
    assert event.actor == c.housing
    assert event.changes["due_on"]["to"] == "2026-05-19"


def test_only_the_issuer_records_and_only_for_its_own_party() -> None:
    c = cast()
    with pytest.raises(PermissionDenied):
        invoice(c.outsider, c.contract, "prime", "X-1", date(2026, 5, 5))
    with pytest.raises(ValidationError) as error:
        invoice(c.housing, c.contract, "womens-centre", "X-2", date(2026, 5, 5))
    assert error.value.message_dict == {"party": ["Select the organisation issuing the invoice"]}
    assert not Invoice.objects.exists()


def test_bad_input_names_every_field_and_writes_nothing() -> None:
    c = cast()
    with pytest.raises(ValidationError) as error:
        services.record_invoice(
            c.prime,
            c.contract,
            services.InvoiceInput("prime", " ", 25, "12.345", date(2027, 7, 1)),
            today=TODAY,
        )
    assert error.value.message_dict == {
        "reference": ["Enter the invoice number"],
        "period": ["The period must be a number from 1 to 24"],
        "received_on": ["The date received must be today or in the past"],
        "amount": ["The amount must be in pounds and pence, like 1250.00"],
    }
    invoice(c.prime, c.contract, "prime", "P-1", date(2026, 5, 5))
    with pytest.raises(ValidationError, match="already recorded"):
        invoice(c.prime, c.contract, "prime", "P-1", date(2026, 5, 6))
    assert Invoice.objects.count() == 1
    assert AuditEvent.objects.filter(action="invoice.record").count() == 1


def test_part_payments_then_paid_on_the_day_of_the_last() -> None:
    c = cast()
    sent = invoice(c.housing, c.contract, "housing-charity", "H-1", date(2026, 5, 5), "900.00")
    with pytest.raises(PermissionDenied):
        services.record_payment(c.housing, sent, amount="900.00", paid_on=date(2026, 5, 9))
    services.record_payment(c.prime, sent, amount="400.00", paid_on=date(2026, 5, 20), today=TODAY)
    assert (sent.status, sent.amount_paid, sent.paid_on) == (
        Invoice.Status.PART_PAID,
        Decimal("400.00"),
        None,
    )
    with pytest.raises(ValidationError) as error:
        services.record_payment(
            c.prime, sent, amount="500.01", paid_on=date(2026, 6, 1), today=TODAY
        )
    assert error.value.message_dict["amount"] == [
        "The amount paid must be £500.00 or less: that is what is still owed"
    ]
    services.record_payment(c.prime, sent, amount="500.00", paid_on=date(2026, 7, 14), today=TODAY)
    sent.refresh_from_db()
    assert (sent.status, sent.amount_paid, sent.paid_on) == (
        Invoice.Status.PAID,
        Decimal("900.00"),
        date(2026, 7, 14),
    )
    assert sent.payments.count() == 2
    assert AuditEvent.objects.filter(action="invoice.payment", actor=c.prime).count() == 2


def test_dispute_then_resolution_moves_the_due_date() -> None:
    c = cast()
    sent = invoice(c.prime, c.contract, "prime", "P-1", date(2026, 5, 5))
    with pytest.raises(PermissionDenied):
        services.dispute(c.prime, sent, reason="No", disputed_on=date(2026, 5, 6), today=TODAY)
    services.dispute(
        c.body_finance, sent, reason="Wrong period", disputed_on=date(2026, 5, 8), today=TODAY
    )
    assert sent.status == Invoice.Status.DISPUTED
    with pytest.raises(ValidationError, match="record how the dispute was resolved"):
        services.record_payment(
            c.body_finance, sent, amount="1000.00", paid_on=date(2026, 5, 9), today=TODAY
        )
    services.resolve(
        c.body_finance,
        sent,
        resolution="Reissued for period 1",
        resolved_on=date(2026, 5, 15),
        today=TODAY,
    )
    assert sent.status == Invoice.Status.AWAITING_PAYMENT
    assert sent.due_on == date(2026, 6, 14)
    assert sent.undisputed_from == date(2026, 5, 15)


def test_the_payer_corrects_the_day_received() -> None:
    c = cast()
    sent = invoice(c.housing, c.contract, "housing-charity", "H-1", date(2026, 5, 5))
    with pytest.raises(PermissionDenied):
        services.correct_received(c.housing, sent, received_on=date(2026, 5, 4), today=TODAY)
    services.correct_received(c.prime, sent, received_on=date(2026, 5, 12), today=TODAY)
    assert (sent.received_on, sent.due_on) == (date(2026, 5, 12), date(2026, 5, 26))
    assert AuditEvent.objects.filter(action="invoice.correct_received", actor=c.prime).exists()


def test_who_sees_which_invoices() -> None:
    c = cast()
    mine = invoice(c.housing, c.contract, "housing-charity", "H-1", date(2026, 5, 5))
    theirs = invoice(c.womens, c.contract, "womens-centre", "W-1", date(2026, 5, 5))
    prime = invoice(c.prime, c.contract, "prime", "P-1", date(2026, 5, 5))
    everything = {mine, theirs, prime}
    assert set(access.visible_invoices(c.commissioner, c.contract)) == everything
    assert set(access.visible_invoices(c.prime, c.contract)) == everything
    assert set(access.visible_invoices(c.housing, c.contract)) == {mine}
    assert not access.visible_invoices(c.outsider, c.contract).exists()
    from django.contrib.auth.models import AnonymousUser

    assert not access.visible_invoices(AnonymousUser(), c.contract).exists()
    assert not access.can_view_invoice(c.housing, theirs)


def test_the_payer_hears_of_an_invoice_and_the_issuer_of_its_payment() -> None:
    from commissioning.notifications.models import Notification

    c = cast()
    sent = invoice(c.housing, c.contract, "housing-charity", "H-1", date(2026, 5, 5), "900.00")
    told = Notification.objects.get(user=c.prime)
    assert told.subject.startswith("Invoice H-1 from ")
    assert "due by 19 May 2026" in told.body and told.url == sent.get_absolute_url()
    assert not Notification.objects.filter(user=c.womens).exists()
    services.record_payment(c.prime, sent, amount="900.00", paid_on=date(2026, 6, 1), today=TODAY)
    assert Notification.objects.get(user=c.housing).subject == "Invoice H-1 was paid in full"
