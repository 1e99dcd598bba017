"""The UK8 contract payment notice (LAW-1): the payments over £30,000 the buyer made to the
contract's supplier in a quarter, as the contract's ``implementation.transactions``, with the
notice document (``implementationNotice``, the UK extension's code for a notice about the
implementation of a contract, "transactions, milestones, metrics or performance failures") in
the contract's ``implementation.documents``; tag ``implementation``.

Procurement Act 2023 s.53: a contracting authority publishes, each quarter and within 30 days of
its end, the payments over £30,000 it made under a public contract. Payments of £30,000 or less,
and a notice published before the quarter has ended, are refused.
"""

from __future__ import annotations

from decimal import Decimal

from commissioning.opendata.ocds.award import implementation_release
from commissioning.opendata.ocds.common import (
    DEFAULT_OCID_PREFIX,
    JsonDict,
    iso,
    money,
    notice_document,
    ocid_for,
    org_ref,
)
from commissioning.opendata.ocds.data import ContractPayment, ContractPayments

#: Payments over this amount are published (PA 2023 s.53: "more than £30,000").
PAYMENT_NOTICE_THRESHOLD = Decimal("30000")


def _transaction(payment: ContractPayment) -> JsonDict:
    return {
        "id": payment.id,
        "date": iso(payment.paid),
        "value": money(payment.amount),
        "payer": org_ref(payment.payer),
        "payee": org_ref(payment.payee),
    }


def _description(payments: ContractPayments) -> str:
    total = sum((p.amount for p in payments.payments), Decimal(0))
    start, end = payments.quarter.start, payments.quarter.end
    assert start is not None and end is not None
    count = len(payments.payments)
    noun = "payment" if count == 1 else "payments"
    return (
        f"{count} {noun} over £30,000 made under the contract from {start.day} {start:%B %Y} "
        f"to {end.day} {end:%B %Y}, £{total:,.2f} in all."
    )


def build_contract_payments(
    payments: ContractPayments, *, prefix: str = DEFAULT_OCID_PREFIX
) -> JsonDict:
    """UK8 contract payment notice: each payment over £30,000 in the quarter as a transaction
    of the contract, and the notice document. Refuses an empty notice, a payment of £30,000 or
    less, a payment outside the quarter and a notice published before the quarter ended."""
    quarter = payments.quarter
    if quarter.start is None or quarter.end is None:
        raise ValueError("a contract payment notice covers a quarter with a start and an end")
    if not payments.payments:
        raise ValueError("a contract payment notice lists at least one payment")
    if payments.notice.published <= quarter.end:
        raise ValueError(
            f"a contract payment notice for the quarter ending {iso(quarter.end)} is published "
            "after the quarter has ended"
        )
    for payment in payments.payments:
        if payment.amount <= PAYMENT_NOTICE_THRESHOLD:
            raise ValueError(
                f"payment {payment.id} of £{payment.amount:,.2f} is not over £30,000, so it is "
                "not published in a contract payment notice"
            )
        if not quarter.start <= payment.paid <= quarter.end:
            raise ValueError(f"payment {payment.id} was not made in the notice's quarter")
    ocid = ocid_for(payments.contract.reference, prefix)
    implementation = {
        "transactions": [_transaction(p) for p in payments.payments],
        "documents": [
            notice_document(
                ocid,
                "UK8",
                "implementationNotice",
                "Contract payment notice",
                payments.notice,
                _description(payments),
            )
        ],
    }
    return implementation_release(
        payments.contract,
        "UK8",
        payments.notice,
        ["implementation"],
        "active",
        implementation,
        prefix=prefix,
    )
