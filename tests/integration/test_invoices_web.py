"""Invoice pages (LAW-3, UK17): the public sees a contract's aggregate figures only; issuers
record invoices, payers pay and dispute, through forms that refuse what the services refuse;
outsiders are refused; each body's compliance page is public."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commissioning.invoices import services
from commissioning.invoices.models import Invoice
from tests.factories import client_for
from tests.integration.stale_edits import assert_stale_edit_refused
from tests.invoice_factories import cast, invoice

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def test_the_public_sees_aggregates_and_no_invoice() -> None:
    c = cast()
    sent = invoice(c.housing, c.contract, "housing-charity", "H-SECRET", date(2026, 5, 5), "900.00")
    page = client_for(None).get(f"/contracts/{c.contract.reference}/invoices/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "All sub-contractors together" in text and "£900.00" in text
    assert "H-SECRET" not in text
    assert client_for(None).get(sent.get_absolute_url()).status_code == 302  # sign in first
    assert client_for(c.outsider).get(sent.get_absolute_url()).status_code == 404
    assert client_for(c.womens).get(sent.get_absolute_url()).status_code == 404
    assert client_for(c.commissioner).get(sent.get_absolute_url()).status_code == 200
    listing = client_for(c.prime).get(f"/contracts/{c.contract.reference}/invoices/")
    assert "H-SECRET" in listing.content.decode()


def test_a_subcontractor_records_an_invoice_and_the_prime_pays_it() -> None:
    c = cast()
    today = timezone.localdate()
    url = f"/contracts/{c.contract.reference}/invoices/new/"
    assert client_for(c.outsider).get(url).status_code == 403
    housing = client_for(c.housing)
    refused = housing.post(
        url,
        {"party": "housing-charity", "reference": "H-7", "period": "1", "amount": "12.345"}
        | _date("received_on", today + timedelta(days=1)),
    )
    assert refused.status_code == 200
    assert "The amount must be in pounds and pence, like 1250.00" in refused.content.decode()
    assert "The date received must be today or in the past" in refused.content.decode()
    assert not Invoice.objects.exists()
    done = housing.post(
        url,
        {"party": "housing-charity", "reference": "H-7", "period": "1", "amount": "1250.00"}
        | _date("received_on", today),
    )
    sent = Invoice.objects.get()
    assert done.status_code == 302 and done["Location"] == sent.get_absolute_url()
    assert sent.due_on == today + timedelta(days=14)
    pay_url = f"{sent.get_absolute_url()}pay/"
    assert housing.post(pay_url, {"amount": "1250.00"} | _date("paid_on", today)).status_code == 403
    paid = client_for(c.prime).post(pay_url, {"amount": "1250.00"} | _date("paid_on", today))
    assert paid.status_code == 302
    sent.refresh_from_db()
    assert (sent.status, sent.paid_on) == (Invoice.Status.PAID, today)


def test_dispute_form_needs_a_reason() -> None:
    c = cast()
    sent = invoice(c.prime, c.contract, "prime", "P-1", date(2026, 5, 5))
    page = client_for(c.body_finance).post(
        f"{sent.get_absolute_url()}dispute/",
        {"reason": ""} | _date("disputed_on", date(2026, 5, 6)),
    )
    assert "Enter why the invoice is disputed" in page.content.decode()
    sent.refresh_from_db()
    assert sent.status == Invoice.Status.AWAITING_PAYMENT


def test_body_compliance_page_is_public_and_your_contracts_lists_invoices() -> None:
    c = cast()
    sent = invoice(c.prime, c.contract, "prime", "P-1", date(2026, 5, 1))
    services.record_payment(c.body_finance, sent, amount="1000.00", paid_on=date(2026, 5, 31))
    body = c.contract.commissioning_body
    page = client_for(None).get(f"/payments-compliance/{body.slug}/")
    text = page.content.decode()
    assert page.status_code == 200 and "1 April 2026 to 30 September 2026" in text
    assert "30.0" in text and "100.0%" in text
    assert body.name in client_for(None).get("/payments-compliance/").content.decode()
    mine = client_for(c.prime).get("/your-contracts/").content.decode()
    assert c.contract.reference in mine and "P-1" in mine and "Paid on time" in mine


def test_owed_comes_from_the_statement_beside_what_was_invoiced_and_paid() -> None:
    """June (period 3) of the illustrative contract: the body owes the prime £135,000 fee +
    £15,000 released + £16,500 outcomes; the prime owes the housing charity £45,408 and the
    women's centre £21,252 less a £5,000 offset against its earlier minimum-value top-up."""
    from commissioning.invoices.presentation import aggregate_subcontractors, contract_money

    c = cast()
    money = contract_money(c.contract)
    assert money.owed[("prime", 3)] == Decimal("166500.00")
    assert money.owed[("housing-charity", 3)] == Decimal("45408.00")
    assert money.owed[("womens-centre", 3)] == Decimal("16252.00")
    sent = invoice(c.housing, c.contract, "housing-charity", "H-3", date(2026, 7, 3), "45408.00", 3)
    services.record_payment(c.prime, sent, amount="20000.00", paid_on=date(2026, 7, 20))
    june = next(r for r in aggregate_subcontractors(c.contract, money) if r["period"] == "June")
    assert june == {
        "period": "June",
        "owed": "£61,660.00",
        "invoiced": "£45,408.00",
        "paid": "£20,000.00",
    }
    page = client_for(c.housing).get(f"/contracts/{c.contract.reference}/invoices/")
    assert "£166,500.00" in page.content.decode()  # the prime's, public


def test_a_day_that_does_not_exist_is_named() -> None:
    c = cast()
    sent = invoice(c.prime, c.contract, "prime", "P-1", date(2026, 5, 5))
    page = client_for(c.body_finance).post(
        f"{sent.get_absolute_url()}pay/",
        {"amount": "10.00", "paid_on_0": "31", "paid_on_1": "2", "paid_on_2": "2027"},
    )
    assert "Enter the date paid as a real date" in page.content.decode()
    assert not sent.payments.exists()


def test_a_stale_received_date_correction_is_refused_naming_who_changed_it() -> None:
    """No lost updates (issue 13; LAW-3): two of the paying body's people open the correction
    form; the first corrects the day received to 3 May, the second's correction to 2 May (from
    the version before) is refused with 409 naming the first and the change, and the invoice
    keeps 3 May."""
    c = cast()
    sent = invoice(c.prime, c.contract, "prime", "P-1", date(2026, 5, 5))
    url = f"{sent.get_absolute_url()}received/"
    page = assert_stale_edit_refused(
        url,
        client_for(c.commissioner),
        client_for(c.body_finance),
        typed_first=_date("received_on", date(2026, 5, 2)),
        typed_second=_date("received_on", date(2026, 5, 3)),
        saved=lambda: Invoice.objects.get(pk=sent.pk).received_on,
        shows="2026-05-03",
    )
    assert c.body_finance.username in page
    stored = Invoice.objects.get(pk=sent.pk)
    assert (stored.received_on, stored.due_on) == (date(2026, 5, 3), date(2026, 6, 2))


def test_a_stale_payment_is_refused_naming_who_paid() -> None:
    """No lost updates (issue 13; LAW-3): two of the paying body's people open the payment form;
    the first records £100.00, the second's £200.00 (from the version before) is refused with
    409 naming the first, and only the first payment is stored."""
    c = cast()
    sent = invoice(c.prime, c.contract, "prime", "P-1", date(2026, 5, 5))
    page = assert_stale_edit_refused(
        f"{sent.get_absolute_url()}pay/",
        client_for(c.commissioner),
        client_for(c.body_finance),
        typed_first={"amount": "200.00"} | _date("paid_on", date(2026, 6, 2)),
        typed_second={"amount": "100.00"} | _date("paid_on", date(2026, 6, 1)),
        saved=lambda: list(sent.payments.values_list("amount", "paid_on")),
        shows="100.00",
    )
    assert c.body_finance.username in page
    stored = Invoice.objects.get(pk=sent.pk)
    assert (stored.amount_paid, stored.status) == (Decimal("100.00"), Invoice.Status.PART_PAID)


def test_a_stale_dispute_is_refused_naming_who_disputed() -> None:
    """No lost updates (issue 13): the second dispute from the version before is refused with
    409 naming the first, whose reason stands."""
    c = cast()
    sent = invoice(c.prime, c.contract, "prime", "P-1", date(2026, 5, 5))
    page = assert_stale_edit_refused(
        f"{sent.get_absolute_url()}dispute/",
        client_for(c.commissioner),
        client_for(c.body_finance),
        typed_first={"reason": "The amount is wrong"} | _date("disputed_on", date(2026, 5, 8)),
        typed_second={"reason": "Billed for the wrong period"}
        | _date("disputed_on", date(2026, 5, 7)),
        saved=lambda: Invoice.objects.values_list("dispute_reason", "disputed_on").get(pk=sent.pk),
        shows="Billed for the wrong period",
    )
    assert c.body_finance.username in page
    stored = Invoice.objects.get(pk=sent.pk)
    assert (stored.dispute_reason, stored.disputed_on) == (
        "Billed for the wrong period",
        date(2026, 5, 7),
    )


def test_a_stale_resolution_is_refused_naming_who_resolved() -> None:
    """No lost updates (issue 13): the second resolution from the version before is refused
    with 409 naming the first; the due date follows the first's day (7 June + 30 days)."""
    c = cast()
    sent = invoice(c.prime, c.contract, "prime", "P-1", date(2026, 5, 5))
    services.dispute(c.commissioner, sent, reason="Wrong period", disputed_on=date(2026, 5, 7))
    page = assert_stale_edit_refused(
        f"{sent.get_absolute_url()}resolve/",
        client_for(c.commissioner),
        client_for(c.body_finance),
        typed_first={"resolution": "Withdrawn and reissued"}
        | _date("resolved_on", date(2026, 6, 9)),
        typed_second={"resolution": "Corrected period agreed"}
        | _date("resolved_on", date(2026, 6, 7)),
        saved=lambda: Invoice.objects.values_list("resolution", "due_on").get(pk=sent.pk),
        shows="Corrected period agreed",
    )
    assert c.body_finance.username in page
    stored = Invoice.objects.get(pk=sent.pk)
    assert (stored.resolution, stored.due_on) == ("Corrected period agreed", date(2026, 7, 7))
