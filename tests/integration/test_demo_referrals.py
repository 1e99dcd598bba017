"""The demo's synthetic referrals (REF-1): labelled synthetic, every step in order and never in
the future, the status each referral shows is its last event's, the bid-candy story (a named
sub-contractor with no referrals for its contract's first two quarters), referrals waiting for
a decision, the demo probation user who sees them, and replacement that leaves no duplicates."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date

import pytest
from django.db.models import Max, Min

from commissioning.accounts.models import User
from commissioning.contracts.models import Contract, ContractParty
from commissioning.demo.contracts import delete_demo_contracts, load_demo_contracts
from commissioning.demo.referrals import QUIET_QUARTERS, bid_candy_party, load_demo_referrals
from commissioning.demo.services import load_market
from commissioning.demo.users import create_demo_users
from commissioning.kernel.quarters import quarters
from commissioning.referrals import access, queries
from commissioning.referrals.lifecycle import TRANSITIONS, Status
from commissioning.referrals.models import Referral, ReferralEvent
from commissioning_analytics.market.synthetic import generate_market

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 6)


@pytest.fixture
def contracts() -> Iterator[list[Contract]]:
    load_market(generate_market(2026, 0.05), replace=False)
    contracts = load_demo_contracts(seed=2026)
    load_demo_referrals(seed=2026, today=TODAY)
    yield contracts


def test_every_demo_referral_is_synthetic_and_its_steps_are_in_order(
    contracts: list[Contract],
) -> None:
    assert Referral.objects.count() > 100
    assert not Referral.objects.filter(is_synthetic=False).exists()
    assert ReferralEvent.objects.aggregate(last=Max("happened_on"))["last"] <= TODAY
    for referral in Referral.objects.prefetch_related("events")[:300]:
        events = list(referral.events.all())
        assert events[0].step == Status.REFERRED
        assert events[0].happened_on == referral.referred_on
        for before, after in itertools.pairwise(events):
            assert (before.step, after.step) in TRANSITIONS
            assert before.happened_on <= after.happened_on
        assert (referral.status, referral.status_on) == (events[-1].step, events[-1].happened_on)
    assert Referral.objects.filter(status=Status.REFERRED).exists()  # waiting for a decision
    assert Referral.objects.filter(status=Status.COMPLETED).exists()
    declined = ReferralEvent.objects.filter(step=Status.DECLINED)
    assert declined.exists() and not declined.filter(reason="").exists()


def test_a_named_sub_contractor_gets_no_referrals_for_two_quarters(
    contracts: list[Contract],
) -> None:
    chains = [c for c in contracts if bid_candy_party(c)]
    assert len(chains) == 1
    contract = chains[0]
    party = ContractParty.objects.get(contract=contract, party_id=bid_candy_party(contract))
    assert party.role == ContractParty.Role.SUBCONTRACTOR and party.organisation is not None
    counts = {row.slug: row for row in queries.public_counts(contract, today=TODAY)}
    quiet = counts[party.organisation.slug].quarters
    assert [q.counts["referred"] for q in quiet[:QUIET_QUARTERS]] == [0, 0]
    assert all(q.counts["referred"] > 0 for q in quiet[QUIET_QUARTERS:-1])
    first = Referral.objects.filter(party=party).aggregate(first=Min("referred_on"))["first"]
    assert first >= quarters(contract.start_date, TODAY)[QUIET_QUARTERS]


def test_the_demo_probation_user_refers_and_sees_the_home_contracts_referrals(
    contracts: list[Contract],
) -> None:
    create_demo_users()
    probation = User.objects.get(username="probation")
    assert probation.role == User.Role.PROBATION
    home = next(c for c in contracts if bid_candy_party(c))
    assert access.may_refer(probation, home)
    assert access.visible_referrals(probation, home).exists()


def test_reloading_replaces_the_referrals_and_contracts_can_be_deleted(
    contracts: list[Contract],
) -> None:
    before = Referral.objects.count()
    load_demo_referrals(seed=2026, today=TODAY)
    assert Referral.objects.count() == before
    delete_demo_contracts()
    assert not Referral.objects.exists()
