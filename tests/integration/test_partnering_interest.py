"""Expressions of interest in a lot and the "looking for partners" view (PRO-6, PRO-11):
who may register, change and withdraw; who sees private interests (only the organisation itself
and the exercise's commissioners — never other providers or the public); filters; audit; nothing
half-saved on bad input."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.html import escape

from commissioning.accounts.models import Membership, User
from commissioning.audit.models import AuditEvent
from commissioning.directory.models import Organisation
from commissioning.partnering.context import partnering_for_lot
from commissioning.procurement.models import Interest, Lot, Opportunity
from tests.factories import (
    CohortFactory,
    MembershipFactory,
    OrganisationFactory,
    SpecialismFactory,
    UserFactory,
    member_of,
)
from tests.procurement_factories import (
    InterestFactory,
    commissioner_of,
    open_opportunity,
    ready_opportunity,
)

pytestmark = pytest.mark.django_db


@dataclass
class Market:
    opportunity: Opportunity
    lot: Lot
    prime: Organisation
    sub: Organisation
    third: Organisation
    prime_member: User
    sub_member: User
    third_member: User
    pending_member: User
    commissioner: User


def market() -> Market:
    """An open opportunity; three provider organisations with one approved member each; a
    pending member of the first; a commissioner of the body."""
    opportunity = open_opportunity()
    lot = opportunity.lots.order_by("number").first()
    assert lot is not None
    prime = OrganisationFactory(name="Northern Prime Ltd", is_prime=True)
    sub = OrganisationFactory(name="Tyneside Women's Centre", women_led=True)
    third = OrganisationFactory(name="Elsewhere Trust")
    pending = UserFactory()
    MembershipFactory(user=pending, organisation=prime, status=Membership.Status.PENDING)
    return Market(
        opportunity=opportunity,
        lot=lot,
        prime=prime,
        sub=sub,
        third=third,
        prime_member=member_of(prime),
        sub_member=member_of(sub),
        third_member=member_of(third),
        pending_member=pending,
        commissioner=commissioner_of(opportunity),
    )


def url(name: str, lot: Lot, *args: Any) -> str:
    return reverse(f"partnering:{name}", args=[lot.opportunity.reference, lot.number, *args])


def signed_in(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_approved_member_registers_changes_and_withdraws_interest() -> None:
    m = market()
    client = signed_in(m.sub_member)

    response = client.post(
        url("interest", m.lot),
        {"role": "subcontractor", "note": "We bring specialist women's services in Tyneside."},
    )

    assert response.status_code == 302
    assert response["Location"] == url("lot", m.lot)
    interest = Interest.objects.get(lot=m.lot, organisation=m.sub)
    assert (interest.role, interest.is_private, interest.created_by) == (
        "subcontractor",
        False,
        m.sub_member,
    )
    event = AuditEvent.objects.get(action="interest.register")
    assert event.actor == m.sub_member
    assert event.changes["role"] == {"from": None, "to": "subcontractor"}

    client.post(url("interest", m.lot), {"role": "consortium_member", "is_private": "on"})
    interest.refresh_from_db()
    assert (interest.role, interest.is_private, interest.note) == ("consortium_member", True, "")
    change = AuditEvent.objects.get(action="interest.change")
    assert change.changes["is_private"] == {"from": False, "to": True}
    assert Interest.objects.filter(lot=m.lot).count() == 1

    assert client.get(url("withdraw", m.lot)).status_code == 200
    response = client.post(url("withdraw", m.lot))
    assert response.status_code == 302
    assert not Interest.objects.filter(lot=m.lot).exists()
    assert AuditEvent.objects.filter(action="interest.withdraw").count() == 1


def test_form_shows_the_current_interest_when_changing() -> None:
    m = market()
    InterestFactory(lot=m.lot, organisation=m.sub, role="subcontractor", note="Tyneside women")

    html = signed_in(m.sub_member).get(url("interest", m.lot)).content.decode()

    assert "Change your interest" in html
    assert "Tyneside women" in html


@pytest.mark.parametrize("who", ["pending_member", "commissioner"])
def test_only_approved_provider_members_may_register(who: str) -> None:
    m = market()
    client = signed_in(getattr(m, who))

    assert client.get(url("interest", m.lot)).status_code == 403
    assert client.post(url("interest", m.lot), {"role": "prime"}).status_code == 403
    assert not Interest.objects.exists()


def test_anonymous_people_are_sent_to_sign_in() -> None:
    m = market()
    response = signed_in(None).post(url("interest", m.lot), {"role": "prime"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert not Interest.objects.exists()


def test_an_exercise_partner_cannot_register_interest_in_its_own_exercise() -> None:
    """PRO-11: an organisation cannot commission and bid in the same exercise."""
    m = market()
    m.opportunity.exercise.partners.add(m.third)

    response = signed_in(m.third_member).post(url("interest", m.lot), {"role": "prime"})

    assert response.status_code == 403
    assert not Interest.objects.exists()


def test_interest_is_refused_once_the_opportunity_is_not_open() -> None:
    m = market()
    InterestFactory(lot=m.lot, organisation=m.sub)
    Opportunity.objects.filter(pk=m.opportunity.pk).update(status=Opportunity.Status.CLOSED)

    client = signed_in(m.prime_member)
    assert client.post(url("interest", m.lot), {"role": "prime"}).status_code == 403
    assert signed_in(m.sub_member).post(url("withdraw", m.lot)).status_code == 403
    assert Interest.objects.filter(organisation=m.sub).exists()
    assert not Interest.objects.filter(organisation=m.prime).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"role": "boss"}, "role", "Select how your organisation would take part"),
        ({"note": "Too quiet"}, "role", "Select how your organisation would take part"),
        ({"role": "prime", "note": "x" * 1001}, "note", "1,000 characters or fewer"),
        ({"role": "prime", "note": "bell\x07"}, "note", "plain text"),
    ],
)
def test_bad_input_saves_nothing_and_says_why(
    data: dict[str, str], field: str, message: str
) -> None:
    m = market()

    response = signed_in(m.prime_member).post(url("interest", m.lot), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert message in html
    assert f'href="#id_{field}' in html  # the error summary links to the field
    assert not Interest.objects.exists()
    assert not AuditEvent.objects.exists()


def _private_and_public(m: Market) -> None:
    InterestFactory(lot=m.lot, organisation=m.prime, role="prime", note="Open to partners")
    InterestFactory(lot=m.lot, organisation=m.sub, role="subcontractor", is_private=True)


@pytest.mark.parametrize("who", [None, "third_member", "prime_member", "pending_member"])
def test_private_interest_never_shows_to_other_providers_or_the_public(who: str | None) -> None:
    m = market()
    _private_and_public(m)
    user = getattr(m, who) if who else None

    html = signed_in(user).get(url("lot", m.lot)).content.decode()

    assert "Northern Prime Ltd" in html
    assert "Open to partners" in html
    assert "Tyneside Women" not in html
    assert "1 organisation publicly registered interest" in html
    assert "1 private" not in html and "Private</strong>" not in html
    section = partnering_for_lot(user, m.lot)
    assert [i.organisation for i in section["all_interests"]] == []
    assert section["public_count"] == 1


def test_an_organisation_sees_its_own_private_interest() -> None:
    m = market()
    _private_and_public(m)

    html = signed_in(m.sub_member).get(url("lot", m.lot)).content.decode()

    assert "Tyneside Women" in html
    assert "only you and the commissioners can see it" in html


def test_commissioners_see_every_interest_as_a_count_and_list() -> None:
    m = market()
    _private_and_public(m)

    html = signed_in(m.commissioner).get(url("lot", m.lot)).content.decode()

    assert "2 organisations registered interest (1 private)" in html
    assert "Tyneside Women" in html
    section = partnering_for_lot(m.commissioner, m.lot)
    assert section["see_all"] is True
    assert {i.organisation for i in section["all_interests"]} == {m.prime, m.sub}


def test_partners_are_filtered_by_role_specialism_and_cohort() -> None:
    m = market()
    housing, women = SpecialismFactory(name="Housing"), CohortFactory(name="Women")
    m.prime.specialisms.set([housing])
    m.sub.cohorts.set([women])
    InterestFactory(lot=m.lot, organisation=m.prime, role="prime")
    InterestFactory(lot=m.lot, organisation=m.sub, role="subcontractor")
    InterestFactory(lot=m.lot, organisation=m.third, role="consortium_member")
    client = signed_in(None)

    def names(query: dict[str, str]) -> set[str]:
        html = client.get(url("lot", m.lot), query).content.decode()
        return {o.name for o in (m.prime, m.sub, m.third) if f">{escape(o.name)}</a>" in html}

    assert names({}) == {"Northern Prime Ltd", "Tyneside Women's Centre", "Elsewhere Trust"}
    assert names({"role": "prime"}) == {"Northern Prime Ltd"}
    assert names({"specialism": "housing"}) == {"Northern Prime Ltd"}
    assert names({"cohort": "women"}) == {"Tyneside Women's Centre"}
    assert names({"role": "prime", "cohort": "women"}) == set()


def test_an_unknown_filter_is_an_error_not_ignored_silently() -> None:
    m = market()
    response = signed_in(None).get(url("lot", m.lot), {"role": "boss"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "Choose a role from the list" in html


def test_partners_view_shows_directory_details_and_search_links() -> None:
    m = market()
    housing = SpecialismFactory(name="Housing")
    m.lot.specialisms.set([housing])
    area = m.lot.areas.first()
    assert area is not None
    m.sub.areas.set([area])
    InterestFactory(lot=m.lot, organisation=m.sub, role="subcontractor")

    html = signed_in(m.prime_member).get(url("lot", m.lot)).content.decode()

    assert "Women-led" in html
    assert m.sub.get_size_band_display() in html
    assert f"/directory/?area={area.slug}&amp;specialism=housing" in html
    assert f"Housing in {area.name}" in html
    assert url("start-about-lot", m.lot, m.sub.slug) in html


def test_a_draft_lot_is_not_found_by_the_public() -> None:
    draft = ready_opportunity()
    lot = draft.lots.first()
    assert lot is not None
    assert signed_in(None).get(url("lot", lot)).status_code == 404
    assert signed_in(commissioner_of(draft)).get(url("lot", lot)).status_code == 200


def test_lot_section_offers_register_then_change() -> None:
    m = market()
    section = partnering_for_lot(m.prime_member, m.lot)
    assert section["can_register"] and not section["can_change"]

    InterestFactory(lot=m.lot, organisation=m.prime)
    section = partnering_for_lot(m.prime_member, m.lot)
    assert section["can_change"] and not section["can_register"]
    assert not partnering_for_lot(m.commissioner, m.lot)["can_register"]
    assert not partnering_for_lot(m.pending_member, m.lot)["can_register"]


def test_inclusion_tags_render_for_the_opportunity_and_directory_pages() -> None:
    """What the lead wires into the opportunity page and the organisation's directory page."""
    m = market()
    _private_and_public(m)
    request = RequestFactory().get("/")
    request.user = m.third_member
    template = Template(
        "{% load partnering %}{% partnering_lot_section lot %}"
        "{% partnering_organisation_section organisation %}"
    )

    html = template.render(Context({"request": request, "lot": m.lot, "organisation": m.sub}))

    assert "1 organisation publicly registered interest" in html
    assert f'href="{url("interest", m.lot)}"' in html  # register
    assert f'href="{url("lot", m.lot)}"' in html  # looking for partners
    assert reverse("partnering:start", args=[m.sub.slug]) in html
    assert "Tyneside Women" not in html.split("Message this organisation")[0]
