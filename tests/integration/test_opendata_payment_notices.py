"""UK8 contract payment notices and UK17 payments compliance notices from the recorded
payments (LAW-1, LAW-3; issue 14): only payments over £30,000, only once the quarter has ended,
published once; a body's ended half-years as UK17; both valid OCDS with no errors."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client
from django.utils import timezone

from commissioning.audit.permanence import PermanentRecordError
from commissioning.invoices import payment_notices, services
from commissioning.invoices.models import Payment, PaymentNotice
from commissioning.invoices.payment_notices import Quarter
from commissioning.opendata.ocds.validate import validate_package
from tests.invoice_factories import cast, invoice

pytestmark = pytest.mark.django_db
TODAY = date(2027, 6, 30)
Q2 = Quarter(date(2026, 4, 1), date(2026, 6, 30))
AFTER_Q2 = datetime(2026, 7, 3, 9, tzinfo=UTC)


def _paid(c: object, ref: str, received: date, paid: date, amount: str) -> None:
    sent = invoice(c.prime, c.contract, "prime", ref, received, amount=amount)  # type: ignore[attr-defined]
    services.record_payment(c.body_finance, sent, amount=amount, paid_on=paid, today=TODAY)  # type: ignore[attr-defined]


def _payments_of_q2() -> object:
    c = cast()
    _paid(c, "P-1", date(2026, 4, 2), date(2026, 4, 28), "45000.00")  # over £30,000
    _paid(c, "P-2", date(2026, 5, 2), date(2026, 5, 30), "30000.00")  # not over
    _paid(c, "P-3", date(2026, 6, 2), date(2026, 7, 2), "52000.00")  # paid in the next quarter
    sub = invoice(c.housing, c.contract, "housing-charity", "H-1", date(2026, 4, 2), "40000.00")
    services.record_payment(c.prime, sub, amount="40000.00", paid_on=date(2026, 5, 1), today=TODAY)
    return c


def test_a_quarters_notice_holds_only_the_bodys_payments_over_30000() -> None:
    c = _payments_of_q2()
    (notice,) = payment_notices.publish_quarter(Q2, now=AFTER_Q2)
    assert notice.contract == c.contract  # type: ignore[attr-defined]
    assert [p.amount for p in notice.payments.all()] == [45000]
    assert payment_notices.publish_quarter(Q2, now=AFTER_Q2) == []  # published once
    assert PaymentNotice.objects.count() == 1


def test_a_published_notice_and_the_payments_it_lists_are_never_deleted() -> None:
    _payments_of_q2()
    (notice,) = payment_notices.publish_quarter(Q2, now=AFTER_Q2)
    listed = notice.payments.get()
    for attempt in (notice.delete, listed.delete, Payment.objects.filter(pk=listed.pk).delete):
        with pytest.raises(PermanentRecordError), transaction.atomic():
            attempt()
    assert [p.amount for p in PaymentNotice.objects.get().payments.all()] == [45000]
    unlisted = Payment.objects.exclude(pk=listed.pk).first()
    assert unlisted is not None
    unlisted.delete()  # a payment no notice lists is not yet public


def test_a_quarter_is_published_only_after_it_ends() -> None:
    _payments_of_q2()
    with pytest.raises(ValueError, match="has not ended"):
        payment_notices.publish_quarter(Q2, now=datetime(2026, 6, 30, 12, tzinfo=UTC))
    assert not PaymentNotice.objects.exists()


def test_the_command_publishes_a_named_quarter_once() -> None:
    _payments_of_q2()
    call_command("publish_payment_notices", "--quarter", "2026-Q2")
    call_command("publish_payment_notices", "--quarter", "2026-Q2")
    assert PaymentNotice.objects.count() == 1
    with pytest.raises(CommandError, match="not a quarter"):
        call_command("publish_payment_notices", "--quarter", "2026-5")


def test_the_contracts_ocds_carries_the_uk8_and_validates(client: Client) -> None:
    c = _payments_of_q2()
    payment_notices.publish_quarter(Q2, now=AFTER_Q2)
    reference = c.contract.reference  # type: ignore[attr-defined]
    package = client.get(f"/api/contracts/{reference}/ocds").json()
    uk8 = [r for r in package["releases"] if "-UK8-" in r["id"]]
    (release,) = uk8
    (transaction,) = release["contracts"][0]["implementation"]["transactions"]
    assert transaction["value"] == {"amount": 45000, "currency": "GBP"}
    assert release["contracts"][0]["implementation"]["documents"][0]["noticeType"] == "UK8"
    result = validate_package(package)
    assert result.error_count == 0, result.summary()
    bulk = client.get("/opendata/ocds/releases.json").json()
    assert any("-UK8-" in r["id"] for r in bulk["releases"])
    page = client.get(f"/contracts/{reference}/invoices/")
    assert "Contract payment notices" in page.content.decode()
    assert "£45,000.00" in page.content.decode()


def test_a_bodys_ended_half_years_are_uk17_notices_that_validate(client: Client) -> None:
    c = _payments_of_q2()
    body = c.contract.commissioning_body  # type: ignore[attr-defined]
    response = client.get(f"/api/payments-compliance/{body.slug}/ocds")
    package = response.json()
    (release,) = package["releases"]  # April to September 2026 (today is later)
    assert release["ocid"].endswith(f"payments-{body.slug}")
    (document,) = release["planning"]["documents"]
    assert document["noticeType"] == "UK17"
    # P-1 paid on day 26, P-2 on day 28, P-3 on day 30: all within 1 to 30 days.
    assert "3 invoices paid, on average 28.0 days" in document["description"]
    assert "paid within 1 to 30 days: 100.0%" in document["description"]
    result = validate_package(package)
    assert result.error_count == 0, result.summary()
    page = client.get(f"/payments-compliance/{body.slug}/").content.decode()
    assert f"/api/payments-compliance/{body.slug}/ocds" in page


def test_no_uk17_while_the_first_half_year_is_under_way(client: Client) -> None:
    c = cast()
    today = timezone.localdate()
    _paid(c, "P-1", today, today, "1000.00")
    body = c.contract.commissioning_body
    assert client.get(f"/api/payments-compliance/{body.slug}/ocds").status_code == 404
    assert client.get("/api/payments-compliance/nobody/ocds").status_code == 404
