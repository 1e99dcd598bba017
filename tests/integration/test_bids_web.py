"""Bid pages, the admin and the API (PRO-7, PRO-8): the journey through the pages, and proof
that no route shows bid content before the deadline — not to the commissioner, not to site
administrators, not in the admin, not in the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.bids import consent, services, submission
from commissioning.bids.context import bids_for_lot
from commissioning.bids.models import Bid, BidDocument, Subcontractor
from commissioning.procurement.models import Criterion
from tests.factories import UserFactory, client_for
from tests.integration.test_bids_services import (
    ANSWER,
    PRICE,
    ROLE,
    Setting,
    complete_bid,
    name_sub,
    pdf_bytes,
)
from tests.integration.test_bids_services import (
    clock as clock,
)
from tests.integration.test_bids_services import (
    s as s,
)
from tests.procurement_factories import commissioner_of, open_opportunity

pytestmark = pytest.mark.django_db

SECRETS = [str(PRICE), "287,654.32", ANSWER, ROLE, "Rent-free", "method.pdf"]


def assert_no_secrets(html: str) -> None:
    for secret in SECRETS:
        assert secret not in html


def _post_pricing(client: Client, bid: Bid, price: str = "287654.32") -> Any:
    data = {"price": price, "has_subsidy": "no", "subsidy_details": ""}
    data.update({f"cost_{k}": "50000" for k in ("staff", "overheads", "premises")})
    data.update({"cost_subcontracting": "45000", "cost_other": "0"})
    return client.post(reverse("bids:pricing", args=[bid.pk]), data)


def test_the_bid_journey_through_the_pages(
    s: Setting, django_capture_on_commit_callbacks: Any
) -> None:
    prime = client_for(s.prime)
    page = prime.get(reverse("bids:start", args=[s.lot.pk]))
    assert page.status_code == 200
    response = prime.post(
        reverse("bids:start", args=[s.lot.pk]), {"organisation": s.prime_org.slug}
    )
    bid = Bid.objects.get()
    assert response.url == reverse("bids:bid", args=[bid.pk])

    assert _post_pricing(prime, bid).status_code == 302
    criteria = Criterion.objects.filter(opportunity=s.opportunity).exclude(kind="price")
    answers = {f"criterion_{c.pk}": ANSWER for c in criteria}
    assert prime.post(reverse("bids:answers", args=[bid.pk]), answers).status_code == 302
    upload = SimpleUploadedFile("method.pdf", pdf_bytes(), content_type="application/pdf")
    response = prime.post(reverse("bids:document-add", args=[bid.pk]), {"document": upload})
    assert response.status_code == 302
    response = prime.post(
        reverse("bids:subcontractor-add", args=[bid.pk]),
        {
            "organisation": s.sub_org.slug,
            "role": ROLE,
            "services": "One-to-one support",
            "referrals_per_year": "120",
            "value_per_year": "45000",
            "upfront_percent": "20",
            "payment_terms_days": "30",
        },
    )
    assert response.status_code == 302

    page = prime.get(reverse("bids:submit", args=[bid.pk]))
    assert "Women Onward CIC has not yet confirmed" in page.content.decode()
    assert prime.post(reverse("bids:submit", args=[bid.pk])).status_code == 200
    assert not bid.receipts.exists()

    # The sub-contractor sees what it is promised and confirms.
    sub = Subcontractor.objects.get()
    sub_client = client_for(s.sub_user)
    page = sub_client.get(reverse("bids:request", args=[sub.pk])).content.decode()
    assert ROLE in page and "£45,000.00" in page and "120" in page
    assert str(PRICE) not in page and ANSWER not in page  # nothing else of the bid
    response = sub_client.post(reverse("bids:request", args=[sub.pk]), {"decision": "confirm"})
    assert response.status_code == 302
    assert "Confirmed" in sub_client.get(reverse("bids:home")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = prime.post(reverse("bids:submit", args=[bid.pk]))
    receipt = bid.receipts.get()
    assert response.url == reverse("bids:receipt", args=[receipt.reference])
    page = prime.get(response.url).content.decode()
    assert receipt.reference in page and receipt.digest in page
    assert "This is the submission that counts." in page
    own = prime.get(reverse("bids:bid", args=[bid.pk])).content.decode()
    assert "287,654.32" in own and ANSWER in own and "method.pdf" in own


def test_every_bid_page_is_refused_to_the_commissioner_and_site_admins(s: Setting) -> None:
    bid = complete_bid(s)
    sub = name_sub(s, bid)
    document = services.add_document(
        s.prime, bid, name="method.pdf", size=len(pdf_bytes()), data=pdf_bytes()
    )
    consent.answer(s.sub_user, sub, confirm=True)
    receipt = submission.submit(s.prime, bid)
    admin = UserFactory(role=User.Role.ADMIN, is_superuser=True, is_staff=True)
    urls = [
        reverse("bids:bid", args=[bid.pk]),
        reverse("bids:pricing", args=[bid.pk]),
        reverse("bids:answers", args=[bid.pk]),
        reverse("bids:document-add", args=[bid.pk]),
        reverse("bids:document", args=[bid.pk, document.key]),
        reverse("bids:document-remove", args=[bid.pk, document.key]),
        reverse("bids:subcontractor-add", args=[bid.pk]),
        reverse("bids:subcontractor-remove", args=[bid.pk, sub.pk]),
        reverse("bids:submit", args=[bid.pk]),
        reverse("bids:withdraw", args=[bid.pk]),
        reverse("bids:receipt", args=[receipt.reference]),
        reverse("bids:request", args=[sub.pk]),
        reverse("bids:opened-bid", args=[s.opportunity.reference, bid.pk]),
        reverse("bids:opened-document", args=[s.opportunity.reference, bid.pk, document.key]),
    ]
    for user in (s.commissioner, admin):
        client = client_for(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 403, (user.role, url)
            assert_no_secrets(response.content.decode())
    # The commissioner's bids page says the bids are sealed, and shows nothing of them.
    page = client_for(s.commissioner).get(
        reverse("bids:opportunity", args=[s.opportunity.reference])
    )
    html = page.content.decode()
    assert page.status_code == 200 and "sealed until the bid deadline" in html
    assert_no_secrets(html) and "Northshire Resettlement Trust" not in html
    # Opening before the deadline is refused and nothing is recorded.
    client_for(s.commissioner).post(reverse("bids:open", args=[s.opportunity.reference]))
    assert not AuditEvent.objects.filter(action="bids.open").exists()
    # The opportunity page's lot section for them: a link, no content.
    html = render_to_string("bids/lot_section.html", bids_for_lot(s.commissioner, s.lot))
    assert "Bids are sealed until the deadline" in html
    assert_no_secrets(html)


def test_the_admin_shows_only_metadata_to_a_superuser(s: Setting) -> None:
    bid = complete_bid(s)
    name_sub(s, bid)
    services.add_document(s.prime, bid, name="method.pdf", size=len(pdf_bytes()), data=pdf_bytes())
    admin = client_for(UserFactory(role=User.Role.ADMIN, is_superuser=True, is_staff=True))
    changelist = admin.get(reverse("admin:bids_bid_changelist"))
    change = admin.get(reverse("admin:bids_bid_change", args=[bid.pk]))
    assert changelist.status_code == 200 and change.status_code == 200
    for response in (changelist, change):
        html = response.content.decode()
        assert_no_secrets(html)
        assert "sealed_content" not in html
    assert "Northshire Resettlement Trust" in changelist.content.decode()
    assert admin.get(reverse("admin:bids_bid_add")).status_code == 403
    # Nothing else of a bid is in the admin at all.
    index = admin.get(reverse("admin:index")).content.decode()
    assert "/admin/bids/subcontractor/" not in index and "/admin/bids/biddocument/" not in index
    assert "/admin/bids/bidkey/" not in index


def test_every_api_route_to_bids_needs_a_session(s: Setting) -> None:
    """ADR 0006: the bids API serves a bidder's own bids; no route to a bid is open data
    (what each route shows before the deadline: tests/integration/test_bids_api.py)."""
    complete_bid(s)
    schema = Client().get("/api/openapi.json").json()
    routes = [(path, op) for path, ops in schema["paths"].items() for op in ops.values()]
    bid_routes = [(path, op) for path, op in routes if "/bids" in path]
    assert {path for path, _ in bid_routes} == {
        "/api/bids",
        "/api/bids/{bid_id}",
        "/api/bids/{bid_id}/content",
        # Bidding together (PRO-6): the lead's writes, a member's answer, submission.
        "/api/bids/{bid_id}/consortium",
        "/api/bids/{bid_id}/consortium/members",
        "/api/bids/invitations/{member_id}/answer",
        "/api/bids/{bid_id}/submit",
        # Naming a sub-contractor with how it is paid (PRO-7, PBR-7).
        "/api/bids/{bid_id}/supply-chain",
    }
    assert all(op.get("security") for _, op in bid_routes)


def test_after_the_deadline_the_commissioner_opens_and_reads_the_bids(
    s: Setting, clock: Any
) -> None:
    bid = complete_bid(s)
    submission.submit(s.prime, bid)
    clock.move_to(s.deadline + timedelta(hours=2))
    other = client_for(commissioner_of(open_opportunity()))
    assert other.get(reverse("bids:opportunity", args=[s.opportunity.reference])).status_code == 403
    assert other.post(reverse("bids:open", args=[s.opportunity.reference])).status_code == 403

    commissioner = client_for(s.commissioner)
    url = reverse("bids:opportunity", args=[s.opportunity.reference])
    assert "Open the bids" in commissioner.get(url).content.decode()
    opened_url = reverse("bids:opened-bid", args=[s.opportunity.reference, bid.pk])
    assert commissioner.get(opened_url).status_code == 403  # not opened yet
    response = commissioner.post(reverse("bids:open", args=[s.opportunity.reference]))
    assert response.status_code == 302
    page = commissioner.get(url).content.decode()
    assert "Northshire Resettlement Trust" in page
    opened = commissioner.get(opened_url)
    html = opened.content.decode()
    assert "£287,654.32" in html and ANSWER in html and "Rent-free rooms" in html
    assert "Unchanged since submission" in html


def test_a_late_submission_through_the_page_is_refused(s: Setting, clock: Any) -> None:
    bid = complete_bid(s)
    clock.move_to(s.deadline + timedelta(seconds=1))
    response = client_for(s.prime).post(reverse("bids:submit", args=[bid.pk]))
    assert "late bids are refused" in response.content.decode()
    assert Bid.objects.get().status == Bid.Status.DRAFT and not bid.receipts.exists()


def test_withdraw_and_resubmit_through_the_pages(s: Setting) -> None:
    bid = complete_bid(s)
    prime = client_for(s.prime)
    prime.post(reverse("bids:submit", args=[bid.pk]))
    assert _post_pricing(prime, bid, "1.00").status_code == 200  # submitted: refused
    assert prime.post(reverse("bids:withdraw", args=[bid.pk])).status_code == 302
    assert _post_pricing(prime, bid, "260000.00").status_code == 302
    prime.post(reverse("bids:submit", args=[bid.pk]))
    first, latest = bid.receipts.order_by("submitted_at", "pk")
    old = prime.get(reverse("bids:receipt", args=[first.reference])).content.decode()
    assert "Replaced by a later submission." in old
    current = prime.get(reverse("bids:receipt", args=[latest.reference])).content.decode()
    assert "This is the submission that counts." in current


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("report.pdf", b"GIF89a not a pdf", "not a real PDF"),
        ("macro.exe", b"MZ\x90", "must be a PDF, DOCX"),
        ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "smaller than 10 MB"),
    ],
)
def test_bad_uploads_show_an_error_and_save_nothing(
    s: Setting, name: str, data: bytes, error: str
) -> None:
    bid = complete_bid(s)
    upload = SimpleUploadedFile(name, data)
    response = client_for(s.prime).post(
        reverse("bids:document-add", args=[bid.pk]), {"document": upload}
    )
    html = response.content.decode()
    assert response.status_code == 200 and error in html
    assert "<title>Error: " in html
    assert not BidDocument.objects.exists()
    assert not AuditEvent.objects.filter(action="bid.document.add").exists()


def test_the_lot_section_offers_a_bid_to_providers_only(s: Setting) -> None:
    context = bids_for_lot(s.prime, s.lot)
    assert context["bids_can_start"] and not context["bids_is_commissioner"]
    html = render_to_string("bids/lot_section.html", context)
    assert reverse("bids:start", args=[s.lot.pk]) in html
    bid = complete_bid(s)
    html = render_to_string("bids/lot_section.html", bids_for_lot(s.prime, s.lot))
    assert reverse("bids:bid", args=[bid.pk]) in html and "Start a bid" not in html
    name_sub(s, bid)
    html = render_to_string("bids/lot_section.html", bids_for_lot(s.sub_user, s.lot))
    assert reverse("bids:request", args=[Subcontractor.objects.get().pk]) in html
    assert render_to_string("bids/lot_section.html", bids_for_lot(None, s.lot)).strip() == ""
