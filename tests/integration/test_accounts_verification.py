"""ADR 0009 (issue 11 item 2, PRO-8): a provider organisation with no administrator gets its
first one only through the support team's verification against its registered details, with
the check and reason recorded; once it has one, the support team cannot approve anyone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from commissioning.accounts import services
from commissioning.accounts.models import Membership, User
from commissioning.audit.models import AuditEvent
from commissioning.audit.services import Action
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]
REASON = "Charity register lists Grace Okafor as a trustee; phoned the registered number."


def _members_url(organisation: Any) -> str:
    return reverse("accounts:members", args=[organisation.slug])


def _verification(membership: Membership, **overrides: str) -> dict[str, Any]:
    data = {
        "membership": membership.pk,
        "checked_against": Membership.VerifiedAgainst.CHARITY_REGISTER,
        "reason": REASON,
        "decision": "approve",
    }
    data.update(overrides)
    return data


@pytest.fixture
def site_admin() -> User:
    return UserFactory(username="support", role=User.Role.ADMIN)


def test_support_verifies_the_first_member_with_a_recorded_reason(
    client: Client, site_admin: User, django_capture_on_commit_callbacks: Capture
) -> None:
    organisation = OrganisationFactory(name="Durham Test Trust", charity_number="1234567")
    request = MembershipFactory(
        organisation=organisation,
        status=Membership.Status.PENDING,
        user=UserFactory(first_name="Grace", last_name="Okafor", email="grace@example.org"),
    )
    client.force_login(site_admin)
    listing = client.get(reverse("accounts:profile")).content.decode()
    assert _members_url(organisation) in listing
    page = client.get(_members_url(organisation)).content.decode()
    assert "has no administrator yet" in page and "charity number 1234567" in page
    assert f"?verify={request.pk}" in page
    form_page = client.get(f"{_members_url(organisation)}?verify={request.pk}")
    assert 'name="reason"' in form_page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_members_url(organisation), _verification(request))
    assert response.status_code == 302

    request.refresh_from_db()
    assert request.status == Membership.Status.APPROVED
    assert request.is_org_admin is True
    assert request.decided_by == site_admin
    assert request.verified_against == Membership.VerifiedAgainst.CHARITY_REGISTER
    assert request.decision_reason == REASON
    event = AuditEvent.objects.get(action=Action.MEMBERSHIP_VERIFY, target_id=str(request.pk))
    assert event.actor == site_admin
    assert event.changes["reason"] == {"from": None, "to": REASON}
    assert event.changes["is_org_admin"] == {"from": False, "to": True}
    assert [message.to for message in mail.outbox] == [["grace@example.org"]]

    # From now on the organisation's own administrator decides; the support team cannot.
    second = MembershipFactory(organisation=organisation, status=Membership.Status.PENDING)
    assert client.get(_members_url(organisation)).status_code == 403
    assert client.post(_members_url(organisation), _verification(second)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.verify_first_member(
            site_admin, second, approve=True, checked_against="charity_register", reason="x"
        )
    second.refresh_from_db()
    assert second.status == Membership.Status.PENDING
    assert organisation.pk not in {o.pk for o in services.organisations_with_pending_members()}
    services.decide_membership(request.user, second, approve=True)


def test_verification_needs_the_check_and_a_reason(client: Client, site_admin: User) -> None:
    request = MembershipFactory(organisation=OrganisationFactory(), status="pending")
    client.force_login(site_admin)
    response = client.post(
        _members_url(request.organisation),
        _verification(request, checked_against="", reason="  "),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose what you checked the request against" in html
    assert "Say what you checked and what it showed" in html
    request.refresh_from_db()
    assert request.status == Membership.Status.PENDING
    with pytest.raises(services.MembershipError, match="Say what you checked"):
        services.verify_first_member(
            site_admin, request, approve=True, checked_against="companies_house", reason=""
        )
    assert not AuditEvent.objects.filter(action=Action.MEMBERSHIP_VERIFY).exists()


def test_support_rejects_an_unverified_request_with_its_reason(
    client: Client, site_admin: User
) -> None:
    request = MembershipFactory(organisation=OrganisationFactory(), status="pending")
    client.force_login(site_admin)
    client.post(
        _members_url(request.organisation),
        _verification(
            request,
            checked_against="registered_contact",
            reason="The registered contact does not know this person.",
            decision="reject",
        ),
    )
    request.refresh_from_db()
    assert (request.status, request.is_org_admin) == (Membership.Status.REJECTED, False)
    assert request.decision_reason == "The registered contact does not know this person."


def test_only_site_administrators_verify(client: Client) -> None:
    request = MembershipFactory(organisation=OrganisationFactory(), status="pending")
    someone = UserFactory()
    client.force_login(someone)
    assert client.post(_members_url(request.organisation), _verification(request)).status_code == (
        403
    )
    with pytest.raises(PermissionDenied):
        services.verify_first_member(
            someone, request, approve=True, checked_against="charity_register", reason=REASON
        )
    request.refresh_from_db()
    assert request.status == Membership.Status.PENDING


def _verify(actor: User, request: Membership) -> Membership:
    return services.verify_first_member(
        actor, request, approve=True, checked_against="charity_register", reason=REASON
    )


@pytest.mark.parametrize(
    "earlier_member",
    ["inactive administrator", "approved member", "removed member", "removed before the rule"],
)
def test_the_first_member_path_is_closed_once_an_organisation_has_had_a_member(
    client: Client, site_admin: User, earlier_member: str
) -> None:
    """Only an organisation that never had an approved member is verified by the support team:
    otherwise emptying it of administrators (deactivating or removing them) would let the
    support team pick who reads its sealed bids (ADR 0009)."""
    organisation = OrganisationFactory(name="Tyne Test Trust")
    earlier = MembershipFactory(organisation=organisation, is_org_admin=True)
    if earlier_member == "inactive administrator":
        User.objects.filter(pk=earlier.user_id).update(is_active=False)
    elif earlier_member == "approved member":
        Membership.objects.filter(pk=earlier.pk).update(is_org_admin=False)
    elif earlier_member == "removed member":
        earlier.delete()
    else:  # deleted in the admin before removals were recorded against the organisation
        AuditEvent.objects.create(
            action=Action.ADMIN_DELETE,
            target_type="accounts.Membership",
            target_id="999",
            target_label="x",
            changes={
                "organisation": {"from": "Tyne Test Trust", "to": None},
                "status": {"from": "approved", "to": None},
            },
        )
        Membership.objects.filter(pk=earlier.pk).delete()
    request = MembershipFactory(organisation=organisation, status=Membership.Status.PENDING)
    client.force_login(site_admin)
    assert f"?verify={request.pk}" not in client.get(_members_url(organisation)).content.decode()
    assert client.post(_members_url(organisation), _verification(request)).status_code == 403
    with pytest.raises(PermissionDenied):
        _verify(site_admin, request)
    request.refresh_from_db()
    assert request.status == Membership.Status.PENDING


@pytest.mark.parametrize("named_as", ["bidder", "sub-contractor"])
def test_the_first_member_path_is_closed_for_an_organisation_named_in_a_bid(
    site_admin: User, named_as: str
) -> None:
    """An organisation with a bid (draft or submitted), or named in one, is never "first
    verified": its first member would read what the bid holds."""
    from tests.integration.test_bids_services import bidding_setup, complete_bid, name_sub

    setting = bidding_setup()
    bid = complete_bid(setting)
    name_sub(setting, bid)
    organisation = setting.prime_org if named_as == "bidder" else setting.sub_org
    assert bid.organisation == setting.prime_org
    Membership.objects.filter(organisation=organisation).delete()  # bypassing every screen
    AuditEvent.objects.filter(action=Action.MEMBERSHIP_REMOVED).delete()
    request = MembershipFactory(organisation=organisation, status=Membership.Status.PENDING)
    with pytest.raises(PermissionDenied):
        _verify(site_admin, request)


def test_a_site_administrator_never_decides_their_own_request(
    client: Client, site_admin: User
) -> None:
    """Not as the first member of a provider, nor as a member of a commissioning body."""
    provider = OrganisationFactory()
    own = MembershipFactory(
        organisation=provider, user=site_admin, status=Membership.Status.PENDING
    )
    client.force_login(site_admin)
    assert client.post(_members_url(provider), _verification(own)).status_code == 403
    with pytest.raises(PermissionDenied):
        _verify(site_admin, own)
    body = OrganisationFactory(is_commissioning_body=True, org_type="public_sector")
    own_body = MembershipFactory(
        organisation=body, user=site_admin, status=Membership.Status.PENDING
    )
    with pytest.raises(PermissionDenied):
        services.decide_membership(site_admin, own_body, approve=True)
    for membership in (own, own_body):
        membership.refresh_from_db()
        assert membership.status == Membership.Status.PENDING
    # Another site administrator decides them.
    colleague = UserFactory(username="support2", role=User.Role.ADMIN)
    assert _verify(colleague, own).status == Membership.Status.APPROVED
    decided = services.decide_membership(colleague, own_body, approve=True)
    assert decided.status == Membership.Status.APPROVED
