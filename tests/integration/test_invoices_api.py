"""The invoices API (LAW-3, UK17): the same rules and messages as the forms, in the one error
shape; outsiders refused; a payment sent twice with one Idempotency-Key paid once; the public
compliance figures of a body and of a contract's prime."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from commissioning.invoices.models import Invoice, Payment
from tests.factories import client_for, member_of
from tests.invoice_factories import cast, invoice

pytestmark = pytest.mark.django_db


def _post(user: Any, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client_for(user).post(url, body, content_type="application/json", headers=headers)


def test_listing_is_for_the_contracts_parties_only() -> None:
    c = cast()
    invoice(c.housing, c.contract, "housing-charity", "H-1", date(2026, 5, 5))
    invoice(c.prime, c.contract, "prime", "P-1", date(2026, 5, 5))
    url = f"/api/contracts/{c.contract.reference}/invoices"
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 401 and set(anonymous.json()) == {"detail", "errors"}
    outsider = client_for(c.outsider).get(url)
    assert outsider.status_code == 403
    assert outsider.json() == {
        "detail": "Only the contract's parties see its invoices.",
        "errors": {},
    }
    assert [i["reference"] for i in client_for(c.housing).get(url).json()["results"]] == ["H-1"]
    assert {i["reference"] for i in client_for(c.commissioner).get(url).json()["results"]} == {
        "H-1",
        "P-1",
    }


def test_recording_refuses_what_the_form_refuses() -> None:
    c = cast()
    url = f"/api/contracts/{c.contract.reference}/invoices"
    body = {
        "party": "housing-charity",
        "reference": "H-1",
        "period": 1,
        "amount": "12.345",
        "received_on": "2026-05-05",
    }
    assert _post(c.outsider, url, body).status_code == 403
    refused = _post(c.housing, url, body)
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": "The amount must be in pounds and pence, like 1250.00",
        "errors": {"amount": ["The amount must be in pounds and pence, like 1250.00"]},
    }
    assert not Invoice.objects.exists()
    made = _post(c.housing, url, body | {"amount": "1250.00"})
    assert made.status_code == 201
    assert made.json()["due_on"] == "2026-05-19" and made.json()["status"] == "awaiting_payment"


def test_payments_and_disputes_are_the_payers_and_repeats_pay_once() -> None:
    c = cast()
    sent = invoice(c.housing, c.contract, "housing-charity", "H-1", date(2026, 5, 5), "900.00")
    base = f"/api/contracts/{c.contract.reference}/invoices/{sent.pk}"
    payment = {"amount": "400.00", "paid_on": "2026-05-20"}
    assert _post(c.housing, f"{base}/payments", payment).status_code == 403
    assert _post(c.outsider, f"{base}/payments", payment).status_code == 404
    for _ in range(2):
        paid = _post(c.prime, f"{base}/payments", payment, **{"Idempotency-Key": "pay-1"})
        assert paid.status_code == 201
        assert paid.json()["invoice"]["amount_paid"] == "400.00"
    assert Payment.objects.count() == 1
    too_much = _post(c.prime, f"{base}/payments", {"amount": "600.00", "paid_on": "2026-05-21"})
    assert too_much.status_code == 400
    assert too_much.json()["errors"] == {
        "amount": ["The amount paid must be £500.00 or less: that is what is still owed"]
    }
    no_reason = _post(c.prime, f"{base}/dispute", {"reason": " ", "disputed_on": "2026-05-22"})
    assert no_reason.status_code == 400
    assert no_reason.json()["errors"] == {"reason": ["Enter why the invoice is disputed"]}
    disputed = _post(c.prime, f"{base}/dispute", {"reason": "Short", "disputed_on": "2026-05-22"})
    assert disputed.json()["status"] == "disputed"
    resolved = _post(
        c.prime, f"{base}/resolution", {"resolution": "Agreed", "resolved_on": "2026-05-25"}
    )
    assert resolved.json()["status"] == "part_paid" and resolved.json()["due_on"] == "2026-06-08"


def test_public_compliance_figures() -> None:
    c = cast()
    late = invoice(c.housing, c.contract, "housing-charity", "H-1", date(2026, 5, 1))
    _post(
        c.prime,
        f"/api/contracts/{c.contract.reference}/invoices/{late.pk}/payments",
        {"amount": "1000.00", "paid_on": "2026-07-10"},
    )
    chain = client_for(None).get(f"/api/contracts/{c.contract.reference}/payments-compliance")
    summer = next(p for p in chain.json()["periods"] if p["first_day"] == "2026-04-01")
    assert summer["average_days_to_pay"] == 70.0
    assert summer["share_paid_61_days_or_more"] == 1.0
    assert summer["against_terms"][0]["later_than_terms"] is True
    body = client_for(None).get(f"/api/payments-compliance/{c.contract.commissioning_body.slug}")
    assert body.status_code == 200 and body.json()["periods"] == []
    assert client_for(None).get("/api/payments-compliance/no-such-body").status_code == 404


def test_a_stale_api_change_is_refused_with_409_and_nothing_written() -> None:
    """No lost updates (issue 13): each change to an invoice takes the ``version`` read with it;
    one sent from before another's change is refused with 409 in the error shape, naming who
    changed it, and nothing is written. Fresh versions are accepted."""
    c = cast()
    c.prime.username = "prime-finance"
    c.prime.save()
    other = member_of(c.prime.memberships.get().organisation, username="prime-clerk")
    sent = invoice(c.housing, c.contract, "housing-charity", "H-1", date(2026, 5, 5), "900.00")
    listing = f"/api/contracts/{c.contract.reference}/invoices"
    base = f"{listing}/{sent.pk}"
    [read] = client_for(c.prime).get(listing).json()["results"]
    version = read["version"]
    assert version.isdigit()
    paid = _post(
        c.prime,
        f"{base}/payments",
        {"amount": "400.00", "paid_on": "2026-05-20", "version": version},
    )
    assert paid.status_code == 201
    moved_on = paid.json()["invoice"]["version"]
    assert int(moved_on) > int(version)
    for path, body in (
        ("payments", {"amount": "100.00", "paid_on": "2026-05-21"}),
        ("dispute", {"reason": "Short", "disputed_on": "2026-05-22"}),
        ("resolution", {"resolution": "Agreed", "resolved_on": "2026-05-25"}),
    ):
        stale = _post(other, f"{base}/{path}", {**body, "version": version})
        assert stale.status_code == 409, path
        assert set(stale.json()) == {"detail", "errors"}
        assert "prime-finance" in stale.json()["detail"]
        assert stale.json()["errors"] == {"version": [f"Now {moved_on}."]}
    stored = Invoice.objects.get(pk=sent.pk)
    assert (stored.amount_paid, stored.status, stored.dispute_reason) == (
        Decimal("400.00"),
        Invoice.Status.PART_PAID,
        "",
    )
    assert Payment.objects.count() == 1
    disputed = _post(
        other,
        f"{base}/dispute",
        {"reason": "Short", "disputed_on": "2026-05-22", "version": moved_on},
    )
    assert disputed.status_code == 200 and disputed.json()["status"] == "disputed"
    resolved = _post(
        c.prime,
        f"{base}/resolution",
        {"resolution": "Agreed", "resolved_on": "2026-05-25", "version": moved_on},
    )
    assert resolved.status_code == 409 and "prime-clerk" in resolved.json()["detail"]
