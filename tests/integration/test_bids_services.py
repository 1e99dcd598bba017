"""Bid services (PRO-7, PRO-8, EVA-1, EVA-4) with frozen time: consented supply chains, late bids
refused by the server's clock, withdraw and resubmit with receipts, sealed storage, opening.

Also holds the small builders the other bid tests import (:func:`bidding_setup`, sample files).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.bids import consent, keys, opening, reading, services, submission
from commissioning.bids.content import COST_LINES, Terms
from commissioning.bids.models import Bid, BidDocument, BidKey, Subcontractor
from commissioning.directory.models import Organisation
from commissioning.notifications.models import Notification
from commissioning.procurement.models import Lot, Opportunity
from tests.factories import OrganisationFactory, UserFactory, member_of
from tests.procurement_factories import commissioner_of, open_opportunity

pytestmark = pytest.mark.django_db

START = datetime(2027, 1, 11, 10, 0, tzinfo=UTC)
PRICE = Decimal("287654.32")
ANSWER = "Caseworkers with lived experience meet every person at the gate."
ROLE = "Specialist service for women in the north"


def pdf_bytes() -> bytes:
    return b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes(real: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if real:
            archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@dataclass
class Setting:
    opportunity: Opportunity
    lot: Lot
    prime_org: Organisation
    prime: User
    sub_org: Organisation
    sub_user: User
    commissioner: User

    @property
    def deadline(self) -> datetime:
        assert self.opportunity.bid_deadline is not None
        return self.opportunity.bid_deadline


def bidding_setup() -> Setting:
    opportunity = open_opportunity(published_at=START)
    prime_org = OrganisationFactory(name="Northshire Resettlement Trust")
    sub_org = OrganisationFactory(name="Women Onward CIC")
    return Setting(
        opportunity=opportunity,
        lot=opportunity.lots.order_by("number").first(),  # type: ignore[arg-type]
        prime_org=prime_org,
        prime=member_of(prime_org),
        sub_org=sub_org,
        sub_user=member_of(sub_org),
        commissioner=commissioner_of(opportunity),
    )


def complete_bid(s: Setting, price: Decimal = PRICE) -> Bid:
    """A bid with price, full-cost disclosure and every criterion answered (no supply chain)."""
    bid = services.start_bid(s.prime, s.lot, s.prime_org)
    services.save_pricing(
        s.prime,
        bid,
        price=price,
        costs={key: Decimal("50000") for key in COST_LINES},
        has_subsidy=True,
        subsidy_details="Rent-free rooms in the council's hub, worth £12,000 a year.",
    )
    answers = {str(c.pk): ANSWER for c in services.answerable_criteria(bid)}
    services.save_answers(s.prime, bid, answers)
    return bid


def name_sub(s: Setting, bid: Bid) -> Subcontractor:
    terms = Terms(
        role=ROLE,
        services="One-to-one support",
        referrals_per_year=120,
        value_per_year=Decimal("45000.00"),
    )
    return services.add_subcontractor(s.prime, bid, s.sub_org, terms)


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(START + timedelta(days=1), tick=False) as traveller:
        yield traveller


@pytest.fixture
def s(clock: Any) -> Setting:
    return bidding_setup()


# ---------------------------------------------------------------- supply chain consent (PRO-7)


def test_a_named_subcontractor_must_confirm_before_the_bid_can_be_submitted(
    s: Setting, django_capture_on_commit_callbacks: Any
) -> None:
    bid = complete_bid(s)
    sub = name_sub(s, bid)
    request = Notification.objects.get(user=s.sub_user, kind="bid.subcontract.request")
    assert "Northshire Resettlement Trust" in request.subject

    with pytest.raises(submission.SubmissionRefused) as refused:
        submission.submit(s.prime, bid)
    assert "Women Onward CIC has not yet confirmed it agrees to be named." in refused.value.messages
    assert not bid.receipts.exists()

    # The sub-contractor sees exactly what it is promised, and confirms.
    terms = consent.promised_terms(s.sub_user, sub)
    assert terms == Terms(ROLE, "One-to-one support", 120, Decimal("45000.00"))
    consent.answer(s.sub_user, sub, confirm=True)
    told = Notification.objects.get(user=s.prime, kind="bid.subcontract.confirmed")
    assert "Women Onward CIC confirmed" in told.subject

    with django_capture_on_commit_callbacks(execute=True):
        receipt = submission.submit(s.prime, bid)
    bid.refresh_from_db()
    assert bid.status == Bid.Status.SUBMITTED
    assert receipt.digest == reading.sealed_digest(bid) and len(receipt.digest) == 64
    assert receipt.submitted_at == START + timedelta(days=1)
    emails = [m for m in mail.outbox if receipt.reference in m.subject]
    assert [m.to for m in emails] == [[s.prime.email]]
    assert receipt.digest in emails[0].body


def test_a_subcontractor_can_decline_with_a_reason_and_the_prime_is_told(s: Setting) -> None:
    bid = complete_bid(s)
    sub = name_sub(s, bid)
    with pytest.raises(ValidationError):
        consent.answer(s.sub_user, sub, confirm=False, reason="  ")
    consent.answer(s.sub_user, sub, confirm=False, reason="We cannot take 120 referrals.")
    sub.refresh_from_db()
    assert sub.consent == Subcontractor.Consent.DECLINED
    told = Notification.objects.get(user=s.prime, kind="bid.subcontract.declined")
    assert "We cannot take 120 referrals." in told.body
    assert submission.submission_problems(s.prime, bid) == [
        "Women Onward CIC declined to be named: remove it from the supply chain."
    ]
    services.remove_subcontractor(s.prime, sub)
    assert submission.submit(s.prime, bid).reference.startswith("BID-")


def test_only_the_named_organisation_sees_its_terms_and_answers(s: Setting) -> None:
    sub = name_sub(s, complete_bid(s))
    for outsider in (member_of(OrganisationFactory()), s.commissioner, s.prime):
        with pytest.raises(PermissionDenied):
            consent.promised_terms(outsider, sub)
        with pytest.raises(PermissionDenied):
            consent.answer(outsider, sub, confirm=True)


def test_a_bid_cannot_name_its_own_organisation_or_the_same_one_twice(s: Setting) -> None:
    bid = complete_bid(s)
    terms = Terms("Role", "Services", 1, Decimal(1))
    with pytest.raises(ValidationError, match="Your own organisation"):
        services.add_subcontractor(s.prime, bid, s.prime_org, terms)
    name_sub(s, bid)
    with pytest.raises(ValidationError, match="already in this bid"):
        services.add_subcontractor(s.prime, bid, s.sub_org, terms)


def test_an_organisation_cannot_bid_in_an_exercise_it_commissions(s: Setting) -> None:
    partner = OrganisationFactory()
    s.opportunity.exercise.partners.add(partner)
    with pytest.raises(ValidationError, match="commissions"):
        services.start_bid(member_of(partner), s.lot, partner)


# ---------------------------------------------------------------- deadline, withdraw, resubmit


def test_a_late_bid_is_refused_by_the_servers_clock(s: Setting, clock: Any) -> None:
    bid = complete_bid(s)
    late = member_of(OrganisationFactory())
    clock.move_to(s.deadline)  # the deadline itself is late (PRO-8)
    with pytest.raises(submission.SubmissionRefused, match="late bids are refused"):
        submission.submit(s.prime, bid)
    with pytest.raises(ValidationError, match="not open for bids"):
        services.start_bid(late, s.lot, late.memberships.get().organisation)
    with pytest.raises(ValidationError, match="deadline has passed"):
        services.save_pricing(
            s.prime,
            bid,
            price=Decimal(1),
            costs={k: Decimal(0) for k in COST_LINES},
            has_subsidy=False,
        )
    bid.refresh_from_db()
    assert bid.status == Bid.Status.DRAFT and not bid.receipts.exists()


def test_a_bid_submitted_a_second_before_the_deadline_counts(s: Setting, clock: Any) -> None:
    bid = complete_bid(s)
    clock.move_to(s.deadline - timedelta(seconds=1))
    assert submission.submit(s.prime, bid).submitted_at < s.deadline


def test_withdraw_change_and_resubmit_the_latest_submission_counts(s: Setting, clock: Any) -> None:
    bid = complete_bid(s)
    first = submission.submit(s.prime, bid)
    with pytest.raises(ValidationError, match="withdraw it before changing"):
        services.save_answers(s.prime, bid, {})

    clock.shift(timedelta(days=2))
    submission.withdraw(s.prime, bid)
    bid.refresh_from_db()
    assert bid.status == Bid.Status.WITHDRAWN
    services.save_pricing(
        s.prime,
        bid,
        price=Decimal("250000.00"),
        costs={k: Decimal("50000") for k in COST_LINES},
        has_subsidy=False,
    )
    clock.shift(timedelta(days=1))
    second = submission.submit(s.prime, bid)

    assert list(bid.receipts.all()) == [second, first]
    assert second.digest != first.digest
    assert second.digest == reading.sealed_digest(bid)
    assert services.own_content(s.prime, bid).price == Decimal("250000.00")
    actions = list(
        AuditEvent.objects.filter(target_type="bids.Bid", target_id=str(bid.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[-4:] == ["bid.submit", "bid.withdraw", "bid.pricing", "bid.submit"]


def test_withdrawal_after_the_deadline_is_refused(s: Setting, clock: Any) -> None:
    bid = complete_bid(s)
    submission.submit(s.prime, bid)
    clock.move_to(s.deadline + timedelta(minutes=1))
    with pytest.raises(ValidationError, match="deadline has passed"):
        submission.withdraw(s.prime, bid)


# ---------------------------------------------------------------- sealed at rest (PRO-8)


def test_stored_fields_hold_only_ciphertext(s: Setting) -> None:
    bid = complete_bid(s)
    name_sub(s, bid)
    services.add_document(s.prime, bid, name="method.pdf", size=len(pdf_bytes()), data=pdf_bytes())
    stored = Bid.objects.get(pk=bid.pk)
    raw = bytes(stored.sealed_content)
    for secret in (str(PRICE).encode(), ANSWER.encode(), b"Rent-free", b"staff"):
        assert secret not in raw
    sub = Subcontractor.objects.get(bid=bid)
    assert ROLE.encode() not in bytes(sub.sealed_terms) and b"45000" not in bytes(sub.sealed_terms)
    document = BidDocument.objects.get(bid=bid)
    assert b"%PDF" not in bytes(document.sealed_data)
    assert b"method" not in bytes(document.sealed_name)
    # The data key is stored wrapped: the wrapped form is not the key and needs the KEK.
    wrapped = bytes(BidKey.objects.get(opportunity=s.opportunity).wrapped_key)
    assert len(wrapped) > 32
    # The bidder reads it back through the access-checked service.
    assert services.own_content(s.prime, bid).price == PRICE


def test_audit_records_carry_no_bid_content(s: Setting) -> None:
    bid = complete_bid(s)
    name_sub(s, bid)
    text = str(list(AuditEvent.objects.values_list("changes", flat=True)))
    assert str(PRICE) not in text and ANSWER not in text and ROLE not in text


def test_no_one_gets_the_key_before_the_deadline(s: Setting) -> None:
    bid = complete_bid(s)
    submission.submit(s.prime, bid)
    admin = UserFactory(role=User.Role.ADMIN, is_superuser=True, is_staff=True)
    for user in (s.commissioner, admin, s.prime):
        with pytest.raises(keys.BidsSealed):
            keys.released_key(user, s.opportunity)
        with pytest.raises(PermissionDenied):
            opening.opened_bid(user, bid)
    for user in (s.commissioner, admin, s.sub_user):
        with pytest.raises(PermissionDenied):
            services.own_content(user, bid)


def test_opening_only_after_the_deadline_by_the_bodys_commissioner(s: Setting, clock: Any) -> None:
    bid = complete_bid(s)
    submission.submit(s.prime, bid)
    draft = services.start_bid(
        member_of(other := OrganisationFactory()), s.lot, other
    )  # never submitted
    with pytest.raises(keys.BidsSealed):
        opening.open_bids(s.commissioner, s.opportunity)

    clock.move_to(s.deadline + timedelta(hours=1))
    other_body = commissioner_of(open_opportunity(published_at=START))
    admin = UserFactory(role=User.Role.ADMIN, is_superuser=True, is_staff=True)
    for outsider in (other_body, admin, s.prime):
        with pytest.raises(PermissionDenied):
            opening.open_bids(outsider, s.opportunity)
    with pytest.raises(keys.BidsSealed, match="not been opened"):
        opening.opened_bid(s.commissioner, bid)

    assert opening.open_bids(s.commissioner, s.opportunity) == 1
    assert AuditEvent.objects.filter(action="bids.open", actor=s.commissioner).count() == 1
    assert Notification.objects.filter(user=s.prime, kind="bids.opened").exists()
    view = opening.opened_bid(s.commissioner, bid)
    assert view.content.price == PRICE
    assert view.digest_matches_receipt
    with pytest.raises(PermissionDenied):
        opening.opened_bid(s.commissioner, draft)
    with pytest.raises(PermissionDenied):
        opening.opened_bid(other_body, bid)
    # Opening again changes nothing.
    assert opening.open_bids(s.commissioner, s.opportunity) == 1
    assert AuditEvent.objects.filter(action="bids.open").count() == 1


# ---------------------------------------------------------------- documents


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00 not a pdf", "not a real PDF"),
        ("fake.docx", docx_bytes(real=False), "not a real Word"),
        ("fake.xlsx", docx_bytes(), "not a real Excel"),
        ("notes.txt", b"plain text", "must be a PDF, DOCX"),
        ("data.csv", b"a,b\x00c", "not a real CSV"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_bad_documents_are_refused_and_nothing_is_saved(
    s: Setting, name: str, data: bytes, message: str
) -> None:
    bid = complete_bid(s)
    with pytest.raises(ValidationError, match=message):
        services.add_document(s.prime, bid, name=name, size=len(data), data=data)
    assert not BidDocument.objects.exists()


def test_a_document_over_10_mb_is_refused(s: Setting) -> None:
    bid = complete_bid(s)
    data = b"%PDF-" + b"0" * (10 * 1024 * 1024)
    with pytest.raises(ValidationError, match="smaller than 10 MB"):
        services.add_document(s.prime, bid, name="big.pdf", size=len(data), data=data)
    assert not BidDocument.objects.exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [("method.pdf", pdf_bytes()), ("C:\\docs\\plan.docx", docx_bytes()), ("costs.csv", b"a,b\n")],
)
def test_good_documents_are_sealed_and_read_back(s: Setting, name: str, data: bytes) -> None:
    bid = complete_bid(s)
    document = services.add_document(s.prime, bid, name=name, size=len(data), data=data)
    stored_name, stored = services.own_document(s.prime, document)
    assert stored == data
    assert "\\" not in stored_name and stored_name.split(".")[-1] == name.split(".")[-1]
