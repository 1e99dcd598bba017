"""The UK8 contract payment notice and the UK17 payments compliance notice (LAW-1, LAW-3;
issue 14): the payments over £30,000 of a quarter as the contract's transactions, a buyer's
half-year figures as its own release; both valid OCDS with no errors, offline."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from commissioning.opendata.ocds import examples as ex
from commissioning.opendata.ocds.compliance import build_payments_compliance
from commissioning.opendata.ocds.contract import build_contract
from commissioning.opendata.ocds.data import (
    ContractPayment,
    ContractPayments,
    Notice,
    PaymentsCompliance,
    Period,
)
from commissioning.opendata.ocds.packaging import build_record, release_package
from commissioning.opendata.ocds.payment import build_contract_payments
from commissioning.opendata.ocds.validate import validate_package
from commissioning_analytics.timelines.working_days import LONDON

QUARTER = Period(
    datetime(2026, 4, 1, tzinfo=LONDON), datetime(2026, 6, 30, 23, 59, 59, tzinfo=LONDON)
)


def _payment(ident: str, amount: str, day: int = 15) -> ContractPayment:
    return ContractPayment(
        id=ident,
        paid=datetime(2026, 5, day, tzinfo=LONDON),
        amount=Decimal(amount),
        payer=ex.BUYER,
        payee=ex.PRIME,
    )


def _payments(*payments: ContractPayment, published: datetime | None = None) -> ContractPayments:
    return ContractPayments(
        contract=ex.contract(),
        quarter=QUARTER,
        payments=payments,
        notice=Notice(published=published or datetime(2026, 7, 10, 9, tzinfo=LONDON)),
    )


def _figures(published: datetime | None = None) -> PaymentsCompliance:
    return PaymentsCompliance(
        reference="north-pcc",
        buyer=ex.BUYER,
        period=Period(
            datetime(2026, 4, 1, tzinfo=LONDON), datetime(2026, 9, 30, 23, 59, 59, tzinfo=LONDON)
        ),
        invoices_paid=12,
        average_days_to_pay=Decimal("24.5"),
        paid_in_1_to_30_days=Decimal("83.3"),
        paid_in_31_to_60_days=Decimal("16.7"),
        paid_in_61_days_or_more=Decimal("0.0"),
        invoices_fell_due=12,
        due_but_unpaid=Decimal("0.0"),
        notice=Notice(published=published or datetime(2026, 10, 1, 9, tzinfo=LONDON)),
    )


def test_uk8_lists_each_payment_as_a_transaction_of_the_contract() -> None:
    release = build_contract_payments(
        _payments(_payment("p1", "45000.50"), _payment("p2", "30000.01"))
    )
    assert release["tag"] == ["implementation"]
    assert release["id"].startswith(f"{release['ocid']}-UK8-")
    (contract,) = release["contracts"]
    transactions = contract["implementation"]["transactions"]
    assert [t["value"]["amount"] for t in transactions] == [45000.5, 30000.01]
    assert transactions[0]["payer"]["id"] == ex.BUYER.id
    assert transactions[0]["payee"]["id"] == ex.PRIME.id
    assert transactions[0]["date"] == "2026-05-15T00:00:00+01:00"
    (notice,) = contract["implementation"]["documents"]
    assert notice["noticeType"] == "UK8"
    assert notice["description"] == (
        "2 payments over £30,000 made under the contract from 1 April 2026 to 30 June 2026, "
        "£75,000.51 in all."
    )


def test_uk8_refuses_a_payment_of_30000_or_less() -> None:
    with pytest.raises(ValueError, match="not over £30,000"):
        build_contract_payments(_payments(_payment("p1", "30000.00")))


def test_uk8_is_published_only_after_the_quarter_ends() -> None:
    with pytest.raises(ValueError, match="after the quarter has ended"):
        build_contract_payments(
            _payments(_payment("p1", "45000"), published=datetime(2026, 6, 30, 12, tzinfo=LONDON))
        )


def test_uk17_is_the_buyers_own_release_with_its_figures() -> None:
    release = build_payments_compliance(_figures())
    assert release["ocid"] == "ocds-commissioning-payments-north-pcc"
    assert release["id"] == "ocds-commissioning-payments-north-pcc-UK17-20260401-20260930"
    assert release["buyer"]["id"] == ex.BUYER.id
    assert release["parties"][0]["roles"] == list(ex.BUYER.roles)
    (notice,) = release["planning"]["documents"]
    assert notice["noticeType"] == "UK17"
    assert notice["description"] == (
        "Payments compliance, 1 April 2026 to 30 September 2026: 12 invoices paid, on average "
        "24.5 days after they were received (day 1 is the day after an invoice is received); "
        "paid within 1 to 30 days: 83.3%; 31 to 60 days: 16.7%; 61 days or more: 0.0%; "
        "12 invoices fell due, due but not paid by the period's end: 0.0%."
    )


def test_uk17_is_published_only_after_the_period_ends() -> None:
    with pytest.raises(ValueError, match="after the period has ended"):
        build_payments_compliance(_figures(datetime(2026, 9, 30, 12, tzinfo=LONDON)))


def test_uk8_and_uk17_validate_with_no_errors() -> None:
    releases = [
        build_contract(ex.contract()),
        build_contract_payments(_payments(_payment("p1", "45000"))),
        build_payments_compliance(_figures()),
    ]
    published = datetime(2026, 10, 2, tzinfo=LONDON)
    package = release_package(
        releases, uri=f"{ex.BASE}/ocds", published_date=published, publisher_name="Test"
    )
    result = validate_package(package)
    assert result.error_count == 0, result.summary()
    record = build_record(releases[:2])
    assert record["compiledRelease"]["contracts"][0]["implementation"]["transactions"]
