"""Ring-fenced budgets (CYC-5): money earmarked for a purpose on a contract or across an area,
published with its amount, and spend tracked from the invoices charged to it and the grant
awards counting against it, with the under-spent and off-purpose flags."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.accounts.models import User
from commissioning.grants import services as grants
from commissioning.invoices import services as invoices
from commissioning.ringfences import services
from commissioning.ringfences.models import RingFence, RingFenceCharge
from tests.factories import AreaFactory, OrganisationFactory, SpecialismFactory, client_for
from tests.grant_factories import decide, open_round
from tests.invoice_factories import cast, invoice

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 9, 30)


def _tracked() -> tuple[RingFence, object]:
    """A £20,000 women's services ring-fence over the contract's first year (365 days), with
    a hand-made set of payments and grants:

    * the women-led women's centre invoices £6,000, of which £4,000 is paid;
    * the housing charity (not women-led, no women's services) invoices £2,500, paid in full:
      charged to the ring-fence, it is spent off purpose;
    * a charity offering women's services is awarded a £3,000 grant, paid in two instalments
      of £1,500 (1 August and 1 December 2026).
    """
    people = cast()
    contract = people.contract
    womens_centre = contract.parties.get(party_id="womens-centre").organisation
    womens_centre.women_led = True
    womens_centre.save()
    ring_fence = services.create_ring_fence(
        people.commissioner,
        contract=contract,
        purpose=RingFence.Purpose.WOMEN,
        amount="20,000",
        ends_on=date(2027, 3, 31),
        description="Women's services in the contract area.",
    )
    womens = invoice(people.womens, contract, "womens-centre", "WC-1", date(2026, 6, 1), "6000")
    housing = invoice(people.housing, contract, "housing-charity", "HC-1", date(2026, 6, 1), "2500")
    invoices.record_payment(
        people.prime, womens, amount="4000", paid_on=date(2026, 7, 1), today=date(2026, 7, 1)
    )
    invoices.record_payment(
        people.prime, housing, amount="2500", paid_on=date(2026, 7, 1), today=date(2026, 7, 1)
    )
    services.charge_invoice(people.commissioner, ring_fence, womens)
    services.charge_invoice(people.commissioner, ring_fence, housing)

    evaluator = _member(contract.commissioning_body, User.Role.EVALUATOR)
    grant_round = open_round(people.commissioner, evaluator, contract.lot.opportunity.exercise)
    women_first = OrganisationFactory(
        name="Women First", specialisms=[SpecialismFactory(slug="womens-services")]
    )
    (award,) = decide(people.commissioner, evaluator, grant_round, [(women_first, "3000")])
    grants.make_agreement(
        people.commissioner,
        award,
        starts_on=date(2026, 7, 1),
        ends_on=date(2027, 3, 31),
        instalments=[(date(2026, 8, 1), "1500"), (date(2026, 12, 1), "1500")],
        monitoring_note="People helped each quarter.",
    )
    services.count_round(people.commissioner, ring_fence, grant_round)
    return ring_fence, people


def _member(organisation: object, role: str) -> User:
    from tests.factories import member_of

    return member_of(organisation, role=role)  # type: ignore[arg-type]


def test_spend_is_tracked_against_a_ring_fence_with_the_hand_figures_and_the_flag() -> None:
    """CYC-5 done-when: committed £11,500 (£9,000 with organisations for women, £2,500 off
    purpose), paid £8,000, the straight-line profile £10,027.40 by 30 September 2026
    (£20,000 × 183 ÷ 365), so it is under-spent by £1,027.40 and flagged off purpose."""
    ring_fence, _ = _tracked()
    spent = services.spend(ring_fence, AS_OF)
    # £6,000 (women's centre) + £2,500 (housing) + £3,000 (grant)
    assert spent.committed == Decimal("11500.00")
    # £6,000 + £3,000 meet the purpose; the housing charity's £2,500 does not
    assert spent.committed_on_purpose == Decimal("9000.00")
    assert spent.off_purpose == Decimal("2500.00")
    # £4,000 + £2,500 paid on the invoices, £1,500 instalment due by 30 September
    assert spent.paid == Decimal("8000.00")
    assert spent.paid_on_purpose == Decimal("5500.00")
    assert spent.expected_by_now == Decimal("10027.40")
    assert spent.shortfall == Decimal("1027.40")
    assert spent.is_under_spent and spent.is_off_purpose
    assert spent.remaining == Decimal("11000.00")
    by_name = {r.organisation.name: r for r in spent.recipients}
    assert by_name["Women First"].paid == Decimal("1500.00")
    off = [r.organisation.name for r in spent.recipients if not r.meets_purpose]
    assert len(off) == 1 and off[0].startswith("Local housing charity")

    # Once the second instalment is due the paid figure follows; by the end of the period the
    # profile is the whole £20,000.
    later = services.spend(ring_fence, date(2027, 3, 31))
    assert later.paid == Decimal("9500.00")
    assert later.expected_by_now == Decimal("20000.00")
    assert later.shortfall == Decimal("11000.00")
    # Before its first day nothing is expected: on track but still flagged off purpose.
    early = services.spend(ring_fence, date(2026, 3, 31))
    assert early.expected_by_now == Decimal("0.00") and not early.is_under_spent


def test_a_ring_fence_committed_ahead_of_its_profile_is_not_under_spent() -> None:
    ring_fence, _ = _tracked()
    # 1 June 2026: 62 days of 365, £3,397.26 expected; £9,000 committed for women already.
    spent = services.spend(ring_fence, date(2026, 6, 1))
    assert spent.expected_by_now == Decimal("3397.26")
    assert not spent.is_under_spent


def test_the_public_page_flags_it_and_only_the_commissioner_is_warned(
    client: object,
) -> None:
    ring_fence, people = _tracked()
    public = client_for(None).get(ring_fence.get_absolute_url())
    page = public.content.decode()
    assert "£20,000.00" in page and "Under-spent" in page and "Spent off purpose" in page
    assert "under-spent-warning" not in page
    contract_page = client_for(None).get(f"/ring-fences/contract/{ring_fence.contract.reference}/")
    assert "Women&#x27;s services" in contract_page.content.decode()
    commissioner = client_for(people.commissioner).get(ring_fence.get_absolute_url())
    assert 'id="under-spent-warning"' in commissioner.content.decode()
    assert 'id="off-purpose-warning"' in commissioner.content.decode()
    listing = client_for(None).get("/ring-fences/ring-fences.csv")
    rows = list(csv.DictReader(io.StringIO(listing.content.decode())))
    assert rows[0]["amount"] == "20000.00" and rows[0]["committed_off_purpose"] == "2500.00"
    assert rows[0]["off_purpose"] == "yes"


def test_earmarking_refuses_what_does_not_fit_and_writes_nothing() -> None:
    people = cast()
    with pytest.raises(ValidationError) as refused:
        services.create_ring_fence(
            people.commissioner,
            contract=people.contract,
            purpose=RingFence.Purpose.BAME,
            amount="1300000",
        )
    # two years at £600,000 a year: £1,200,000 over 1 April 2026 to 31 March 2028 (731 days)
    assert refused.value.message_dict["amount"] == [
        "The ring-fence cannot be more than the contract's value over the period, £1,201,643.84"
    ]
    with pytest.raises(ValidationError) as both:
        services.create_ring_fence(
            people.commissioner,
            contract=people.contract,
            area=AreaFactory(),
            purpose=RingFence.Purpose.BAME,
            amount="0",
        )
    assert set(both.value.message_dict) == {"contract", "amount"}
    with pytest.raises(PermissionDenied):
        services.create_ring_fence(
            people.prime, contract=people.contract, purpose="bame", amount="1000"
        )
    assert not RingFence.objects.exists()


def test_an_invoice_of_another_contract_cannot_be_charged() -> None:
    ring_fence, people = _tracked()
    other = cast()
    stray = invoice(other.womens, other.contract, "womens-centre", "WC-9", date(2026, 6, 1))
    with pytest.raises(ValidationError):
        services.charge_invoice(people.commissioner, ring_fence, stray)
    assert RingFenceCharge.objects.filter(invoice=stray).count() == 0


def test_the_form_publishes_a_ring_fence_on_a_contract(client: object) -> None:
    people = cast()
    response = client_for(people.commissioner).post(
        "/ring-fences/new/",
        {
            "purpose": "lived_experience",
            "amount": "15000",
            "commissioning_body": str(people.contract.commissioning_body_id),
            "contract": people.contract.reference,
            "area": "",
            "description": "Peer-led mentoring.",
        },
    )
    assert response.status_code == 302
    ring_fence = RingFence.objects.get()
    assert ring_fence.amount == Decimal("15000.00")
    assert (ring_fence.starts_on, ring_fence.ends_on) == (date(2026, 4, 1), date(2028, 3, 31))
    refused = client_for(people.commissioner).post(
        "/ring-fences/new/",
        {
            "purpose": "women",
            "amount": "lots",
            "commissioning_body": str(people.contract.commissioning_body_id),
            "contract": people.contract.reference,
        },
    )
    assert refused.status_code == 200
    assert "Enter an amount in pounds" in refused.content.decode()
    assert RingFence.objects.count() == 1


def test_the_api_publishes_the_spend_and_refuses_what_the_form_refuses() -> None:
    ring_fence, people = _tracked()
    listing = client_for(None).get("/api/ring-fences").json()
    assert listing["count"] == 1
    one = client_for(None).get(f"/api/ring-fences/{ring_fence.pk}").json()
    assert one["amount"] == "20000.00" and one["committed_off_purpose"] == "2500.00"
    assert one["off_purpose"] is True
    assert {r["name"]: r["meets_purpose"] for r in one["recipients"]}["Women First"] is True
    commissioner = client_for(people.commissioner)
    refused = commissioner.post(
        "/api/ring-fences",
        {"purpose": "women", "amount": "-5", "contract": people.contract.reference},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["errors"]["amount"] == ["Enter an amount greater than £0"]
    made = commissioner.post(
        "/api/ring-fences",
        {"purpose": "bame", "amount": "5000", "contract": people.contract.reference},
        content_type="application/json",
    )
    assert made.status_code == 200 and made.json()["amount"] == "5000.00"
    forbidden = client_for(people.prime).post(
        "/api/ring-fences",
        {"purpose": "bame", "amount": "5000", "contract": people.contract.reference},
        content_type="application/json",
    )
    assert forbidden.status_code == 403
    assert RingFence.objects.count() == 2
