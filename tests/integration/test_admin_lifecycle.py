"""Issue 11 (PRO-8, PRO-3, ADR 0006, ADR 0009): a site administrator tries every route of items
1-3 and every other admin screen that touches a bid, an opportunity's dates or status, a
membership of a provider organisation, an award or a contract; none of them reads a bid before
its deadline or changes a lifecycle without its notices, and no published record is deleted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse

from commissioning import permissions
from commissioning.accounts import services as account_services
from commissioning.accounts.models import Membership, User
from commissioning.audit.models import AuditEvent
from commissioning.audit.services import Action
from commissioning.awards.models import LotAward, PriceAdjustment
from commissioning.bids import keys, opening
from commissioning.bids.models import Bid, Receipt
from commissioning.contracts.models import Contract, ContractParty
from commissioning.directory.models import Organisation
from commissioning.exercises.models import CommissioningExercise
from commissioning.procurement.models import DateChange, Lot, Opportunity
from tests.contract_factories import contract_with_parties
from tests.factories import UserFactory
from tests.integration.test_bids_api import SECRETS, assert_no_secrets, full_bid
from tests.integration.test_bids_services import Setting, complete_bid
from tests.integration.test_bids_services import clock as clock
from tests.integration.test_bids_services import s as s
from tests.procurement_factories import DraftOpportunityFactory

pytestmark = pytest.mark.django_db

MEMBERSHIP_INLINE = {
    "memberships-TOTAL_FORMS": "1",
    "memberships-INITIAL_FORMS": "0",
    "memberships-MIN_NUM_FORMS": "0",
    "memberships-MAX_NUM_FORMS": "1000",
}


@pytest.fixture
def root() -> User:
    return UserFactory(username="root", role=User.Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(root: User) -> Client:
    client = Client()
    client.force_login(root)
    return client


def _admin_url(model: Any, view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


# ------------------------------------------------------------------------------------ item 1


def test_item_1_the_admin_cannot_move_a_published_bid_deadline(
    s: Setting, admin_client: Client
) -> None:
    opportunity = s.opportunity
    deadline = opportunity.bid_deadline
    full_bid(s)
    url = _admin_url(Opportunity, "change", opportunity.pk)
    page = admin_client.get(url).content.decode()
    assert 'name="bid_deadline_0"' not in page and 'name="_save"' not in page
    response = admin_client.post(
        url,
        {
            "title": opportunity.title,
            "status": "open",
            "bid_deadline_0": "2026-01-01",
            "bid_deadline_1": "12:00:00",
        },
    )
    assert response.status_code == 403
    opportunity.refresh_from_db()
    assert (opportunity.bid_deadline, opportunity.status) == (deadline, "open")
    assert not DateChange.objects.filter(opportunity=opportunity).exists()
    public = Client().get(reverse("procurement:detail", args=[opportunity.reference]))
    assert "Open for bids" in public.content.decode()
    with pytest.raises(keys.BidsSealed):
        opening.open_bids(s.commissioner, opportunity)
    # Nor through its lots.
    lot_url = _admin_url(Lot, "change", s.lot.pk)
    assert admin_client.post(lot_url, {"title": "Changed"}).status_code == 403
    assert admin_client.get(_admin_url(Lot, "add")).status_code == 403
    assert admin_client.get(_admin_url(Opportunity, "add")).status_code == 403


def test_item_1_a_drafts_status_and_dates_are_read_only_in_the_admin(root: User) -> None:
    draft = DraftOpportunityFactory()
    model_admin = admin.site._registry[Opportunity]
    request = RequestFactory().get("/")
    request.user = root
    assert model_admin.has_change_permission(request, draft)  # support may fix a typo
    editable = set(model_admin.get_form(request, draft).base_fields)
    lifecycle_fields = {"status", "bid_deadline", "question_deadline", "answers_by"}
    assert not lifecycle_fields & editable
    assert {"published_at", "cancellation_reason", "cancelled_at", "reference"}.isdisjoint(editable)
    assert "title" in editable


# ------------------------------------------------------------------------------------ item 2


def test_item_2_a_user_made_in_the_admin_cannot_be_given_a_bidders_membership(
    s: Setting, admin_client: Client
) -> None:
    bid = complete_bid(s)  # a draft bid
    response = admin_client.post(
        _admin_url(User, "add"),
        {
            "username": "mole",
            "email": "mole@example.org",
            "role": User.Role.PROVIDER,
            "usable_password": "true",
            "password1": "lantern-orchard-47-quietly",
            "password2": "lantern-orchard-47-quietly",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302  # making accounts stays a support task
    mole = User.objects.get(username="mole")

    membership_add = _admin_url(Membership, "add")
    assert admin_client.get(membership_add).status_code == 403
    response = admin_client.post(
        membership_add,
        {"user": mole.pk, "organisation": s.prime_org.pk, "status": "approved"},
    )
    assert response.status_code == 403
    # Nor through the user's page (its memberships inline adds nothing).
    admin_client.post(
        _admin_url(User, "change", mole.pk),
        {
            "username": "mole",
            "email": "mole@example.org",
            "role": User.Role.PROVIDER,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            **MEMBERSHIP_INLINE,
            "memberships-0-organisation": s.prime_org.pk,
            "memberships-0-status": "approved",
        },
    )
    # Nor by asking and having the admin approve it.
    pending = Membership.objects.create(user=mole, organisation=s.prime_org)
    admin_client.post(
        _admin_url(Membership, "changelist"),
        {"action": "approve_selected", "_selected_action": [pending.pk]},
    )
    pending.refresh_from_db()
    assert pending.status == Membership.Status.PENDING
    assert s.prime_org.pk not in mole.approved_organisation_ids()

    mole_client = Client()
    mole_client.force_login(mole)
    for client in (mole_client, admin_client):
        response = client.get(f"/api/bids/{bid.pk}/content")
        assert response.status_code in (403, 404)
        assert_no_secrets(response.content.decode())


# ------------------------------------------------------------------------------------ item 3


def test_item_3_a_published_contract_cannot_be_deleted(admin_client: Client) -> None:
    contract = contract_with_parties()
    delete_url = _admin_url(Contract, "delete", contract.pk)
    assert admin_client.get(delete_url).status_code == 403
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    bulk = admin_client.post(
        _admin_url(Contract, "changelist"),
        {"action": "delete_selected", "_selected_action": [contract.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert Contract.objects.filter(pk=contract.pk).exists()
    assert Client().get(contract.get_absolute_url()).status_code == 200
    assert Client().get(f"/api/contracts/{contract.reference}").status_code == 200
    change = admin_client.post(
        _admin_url(Contract, "change", contract.pk), {"status": "terminated"}
    )
    assert change.status_code == 403
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE


# ---------------------------------------------------------------- every other admin screen

LIFECYCLE_OWNED = (Bid, Receipt, LotAward, PriceAdjustment, Contract, ContractParty, DateChange)
"""Records no admin screen adds, changes or deletes."""


def test_every_admin_screen_leaves_lifecycle_records_alone(s: Setting, root: User) -> None:
    """Every registered admin (including inlines) of a lifecycle-owned model is read-only;
    published opportunities and their lots are too, and none is deleted here."""
    published = s.opportunity
    request = RequestFactory().get("/")
    request.user = root
    checked = set()
    for model, model_admin in admin.site._registry.items():
        inlines = [inline(model, admin.site) for inline in model_admin.inlines]
        for screen in (model_admin, *inlines):
            owned = screen.model in LIFECYCLE_OWNED
            if not owned:
                continue
            checked.add(screen.model)
            label = f"{model.__name__} / {type(screen).__name__}"
            if screen is model_admin:
                assert not screen.has_add_permission(request), label
            else:
                assert not screen.has_add_permission(request, None), label
            assert not screen.has_change_permission(request, None), label
            assert not screen.has_delete_permission(request, None), label
    assert {Bid, Receipt, LotAward, PriceAdjustment, Contract, ContractParty} <= checked

    opportunity_admin = admin.site._registry[Opportunity]
    assert not opportunity_admin.has_change_permission(request, published)
    assert not opportunity_admin.has_delete_permission(request, published)
    lot_admin = admin.site._registry[Lot]
    assert not lot_admin.has_change_permission(request, s.lot)
    assert not lot_admin.has_delete_permission(request, s.lot)
    for inline_class in opportunity_admin.inlines:
        inline = inline_class(Opportunity, admin.site)
        assert not inline.has_add_permission(request, published)
        assert not inline.has_change_permission(request, published)
        assert not inline.has_delete_permission(request, published)
    membership_admin = admin.site._registry[Membership]
    assert not membership_admin.has_add_permission(request)
    assert not membership_admin.has_change_permission(request, None)
    exercise_admin = admin.site._registry[CommissioningExercise]
    assert "stage" in exercise_admin.get_readonly_fields(request, published.exercise)
    assert not exercise_admin.has_delete_permission(request, published.exercise)


def test_every_admin_page_of_a_sealed_bid_shows_nothing_it_says(
    s: Setting, admin_client: Client
) -> None:
    bid = full_bid(s)
    pages = [
        _admin_url(Bid, "changelist"),
        _admin_url(Bid, "change", bid.pk),
        _admin_url(Bid, "history", bid.pk),
        _admin_url(Opportunity, "change", s.opportunity.pk),
        _admin_url(Lot, "change", s.lot.pk),
        _admin_url(Organisation, "change", s.prime_org.pk),
        reverse("admin:audit_auditevent_changelist"),
    ]
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for secret in SECRETS:
            assert secret not in html, (url, secret)
    assert admin_client.post(_admin_url(Bid, "delete", bid.pk), {"post": "yes"}).status_code == (
        403
    )
    assert Bid.objects.filter(pk=bid.pk).exists()
    # The organisation that bid cannot be deleted from under it either.
    admin_client.post(_admin_url(Organisation, "delete", s.prime_org.pk), {"post": "yes"})
    assert Organisation.objects.filter(pk=s.prime_org.pk).exists()
    assert s.opportunity.bid_deadline is not None
    assert s.opportunity.bid_deadline > s.opportunity.published_at + timedelta(days=1)


def test_a_bidders_kind_cannot_be_switched_to_a_public_body_in_the_admin(
    s: Setting, root: User
) -> None:
    """Otherwise a site administrator could make a bidder a "public body", approve a member of
    it (whose key opens its draft bids) and switch it back (ADR 0009)."""
    complete_bid(s)
    request = RequestFactory().get("/")
    request.user = root
    organisation_admin = admin.site._registry[Organisation]
    editable = set(organisation_admin.get_form(request, s.prime_org).base_fields)
    assert not {"org_type", "is_commissioning_body"} & editable


def test_the_admin_cannot_set_a_bidders_password_to_sign_in_as_them(
    s: Setting, admin_client: Client
) -> None:
    """Setting a provider member's password would be another way into its draft bids."""
    complete_bid(s)
    url = reverse("admin:auth_user_password_change", args=[s.prime.pk])
    assert "can only be disabled" in admin_client.get(url, follow=True).content.decode()
    new_password = "lantern-orchard-47-quietly"
    response = admin_client.post(
        url,
        {"password1": new_password, "password2": new_password, "usable_password": "true"},
        follow=True,
    )
    assert "can only be disabled" in response.content.decode()
    s.prime.refresh_from_db()
    assert not s.prime.check_password(new_password)
    # Disabling it (taking access away) stays a support task.
    admin_client.post(url, {"usable_password": "false", "unset-password": "1"})
    s.prime.refresh_from_db()
    assert not s.prime.has_usable_password()


# ------------------------------------------------- item 2: emptying a bidder of administrators


def _user_change_data(user: User, **overrides: Any) -> dict[str, Any]:
    """The admin's change form for ``user`` as it stands (the memberships inline is read-only)."""
    data: dict[str, Any] = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    if user.is_active:
        data["is_active"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _make_administrator(s: Setting) -> Membership:
    administrator = Membership.objects.get(user=s.prime, organisation=s.prime_org)
    administrator.is_org_admin = True
    administrator.save(update_fields=["is_org_admin"])
    return administrator


def test_item_2_the_admin_cannot_empty_a_bidder_of_administrators_and_verify_a_new_one(
    s: Setting, root: User, admin_client: Client
) -> None:
    """The reviewer's route: remove or deactivate the organisation's administrator in the admin,
    make a provider account, ask to join from it, verify it as the "first" member and read the
    draft bid. Each step that would open the bid is refused, and the bid stays sealed."""
    bid = complete_bid(s)  # a draft bid of s.prime_org
    administrator = _make_administrator(s)

    # 1. Deleting the administrator's membership (one by one, or in bulk) is refused, saying why.
    response = admin_client.post(
        _admin_url(Membership, "delete", administrator.pk), {"post": "yes"}, follow=True
    )
    assert "last administrator of Northshire Resettlement Trust" in response.content.decode()
    admin_client.post(
        _admin_url(Membership, "changelist"),
        {"action": "delete_selected", "_selected_action": [administrator.pk], "post": "yes"},
    )
    assert Membership.objects.filter(pk=administrator.pk).exists()
    # ... and so is deleting or deactivating the administrator's account.
    response = admin_client.post(
        _admin_url(User, "delete", s.prime.pk), {"post": "yes"}, follow=True
    )
    assert "last administrator of Northshire Resettlement Trust" in response.content.decode()
    response = admin_client.post(
        _admin_url(User, "change", s.prime.pk), _user_change_data(s.prime, is_active=None)
    )
    assert response.status_code == 200
    assert "last administrator of Northshire Resettlement Trust" in response.content.decode()
    s.prime.refresh_from_db()
    assert s.prime.is_active

    # 2. Even with the administrator gone (as before this rule, bypassing the admin), the
    # organisation has had an approved member and has a bid: no "first member" for it.
    User.objects.filter(pk=s.prime.pk).update(is_active=False)
    assert not permissions.can_verify_first_member(root, s.prime_org)

    # 3. A new provider account asks to join.
    mole = UserFactory(username="mole", role=User.Role.PROVIDER)
    request = account_services.request_membership(mole, s.prime_org)

    # 4. Verifying it as the first member is refused, on the members page and in the service.
    page = reverse("accounts:members", args=[s.prime_org.slug])
    verification = {
        "membership": request.pk,
        "checked_against": Membership.VerifiedAgainst.CHARITY_REGISTER,
        "reason": "Phoned the registered number.",
        "decision": "approve",
    }
    assert admin_client.post(page, verification).status_code == 403
    with pytest.raises(PermissionDenied):
        account_services.verify_first_member(
            root,
            request,
            approve=True,
            checked_against=Membership.VerifiedAgainst.CHARITY_REGISTER,
            reason="Phoned the registered number.",
        )
    request.refresh_from_db()
    assert request.status == Membership.Status.PENDING

    # 5. The bid stays unreadable.
    mole_client = Client()
    mole_client.force_login(mole)
    response = mole_client.get(f"/api/bids/{bid.pk}/content")
    assert response.status_code in (403, 404)
    assert_no_secrets(response.content.decode())


def test_item_2_the_admin_removes_members_and_accounts_that_leave_an_administrator(
    s: Setting, admin_client: Client
) -> None:
    """Taking access away stays a support task wherever the organisation keeps an active
    administrator: a plain member's account is deactivated and their membership deleted."""
    complete_bid(s)
    _make_administrator(s)
    colleague = UserFactory(username="colleague", role=User.Role.PROVIDER)
    membership = Membership.objects.create(
        user=colleague, organisation=s.prime_org, status=Membership.Status.APPROVED
    )
    response = admin_client.post(
        _admin_url(User, "change", colleague.pk), _user_change_data(colleague, is_active=None)
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert not colleague.is_active
    admin_client.post(_admin_url(Membership, "delete", membership.pk), {"post": "yes"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    # The removal is kept against the organisation, so it never looks unclaimed.
    removal = AuditEvent.objects.get(action=Action.MEMBERSHIP_REMOVED)
    assert removal.target_id == str(s.prime_org.pk)


def test_item_2_the_last_administrator_of_a_bidder_with_members_stays(
    s: Setting, admin_client: Client
) -> None:
    """No bid yet, but another member: the last administrator cannot be taken away either (no
    one could approve anybody there again)."""
    _make_administrator(s)
    Membership.objects.create(
        user=UserFactory(role=User.Role.PROVIDER),
        organisation=s.prime_org,
        status=Membership.Status.APPROVED,
    )
    administrator = Membership.objects.get(user=s.prime, organisation=s.prime_org)
    admin_client.post(_admin_url(Membership, "delete", administrator.pk), {"post": "yes"})
    assert Membership.objects.filter(pk=administrator.pk).exists()
