"""Synthetic ring-fences and a prime's small-grants pot for the demo (CYC-5, CYC-6), all labelled
synthetic:

* on the contract whose prime the demo ``prime`` user belongs to: a small local grants
  ring-fence, and the prime's small-grants pot inside the contract, decided with awards to the
  two demo charities and agreements paying in two instalments; the pot counts against the
  ring-fence without a link;
* on another demo contract: a women's services ring-fence with at most one small invoice
  charged to it, far behind the straight-line profile, so it shows as under-spent.

Everything goes through the services, as people's own records do. Run after the demo users, the
contracts and their invoices exist.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from commissioning import permissions
from commissioning.accounts.models import User
from commissioning.audit.permanence import replacing_synthetic_demo
from commissioning.contracts.models import Contract
from commissioning.demo.users import demo_organisations
from commissioning.grants import services as grants
from commissioning.grants.models import GrantAgreement, GrantApplication, GrantRound
from commissioning.invoices.models import Invoice
from commissioning.ringfences import services
from commissioning.ringfences.models import RingFence

LABEL = "Synthetic demo: "
SHORT = {
    "activity": "Weekly sessions in the community centre with a peer mentor and a hot meal.",
    "beneficiaries": "People on probation in the neighbourhood, about 20 over the year.",
    "difference": "People keep their appointments and find a way into work or volunteering.",
}


def delete_synthetic_ring_fences() -> dict[str, int]:
    """The synthetic ring-fences and small-grants pots, and any on synthetic contracts, before
    the contracts they sit on go."""
    deleted: dict[str, int] = {}
    fences = RingFence.objects.filter(Q(is_synthetic=True) | Q(contract__is_synthetic=True))
    pots = GrantRound.objects.filter(contract__isnull=False).filter(
        Q(is_synthetic=True) | Q(contract__is_synthetic=True)
    )
    for queryset in (
        fences,
        GrantAgreement.objects.filter(application__grant_round__in=pots),
        GrantApplication.objects.filter(grant_round__in=pots),
        pots,
    ):
        _, by_model = queryset.delete()
        for model, count in by_model.items():
            deleted[model] = deleted.get(model, 0) + count
    return deleted


def _contracts() -> tuple[Contract, Contract, User] | None:
    """The contract of the demo prime user's organisation, another demo contract, and that
    user; None when the demo has no such pair."""
    prime_user = User.objects.filter(username="prime").first()
    contracts = list(Contract.objects.filter(is_synthetic=True).order_by("reference"))
    if prime_user is None or len(contracts) < 2:
        return None
    theirs = [c for c in contracts if permissions.is_approved_member(prime_user, c.prime_id)]
    if not theirs:
        return None
    other = next(c for c in contracts if c.pk != theirs[0].pk)
    return theirs[0], other, prime_user


def load_demo_ring_fences(today: date | None = None) -> dict[str, int]:
    """Replace the demo's ring-fences and small-grants pot; returns how many of each were
    made (none without the demo users and contracts)."""
    today = today or timezone.localdate()
    found = _contracts()
    commissioner = User.objects.filter(username="commissioner").first()
    admin = User.objects.filter(username="admin").first()
    if found is None or admin is None:
        return {"ring_fences": 0, "pots": 0}
    with_pot, other, prime_user = found
    with transaction.atomic():
        with replacing_synthetic_demo():
            delete_synthetic_ring_fences()
        year_start = max(with_pot.start_date, today - timedelta(days=200))
        local = services.create_ring_fence(
            _earmarker(with_pot, commissioner, admin),
            contract=with_pot,
            purpose=RingFence.Purpose.SMALL_LOCAL,
            amount=_share(with_pot, "0.02"),
            starts_on=year_start,
            ends_on=min(year_start + timedelta(days=364), with_pot.end_date),
            description=LABEL + "2% of the contract's value for small local pieces of work, "
            "given by the prime as small grants.",
            is_synthetic=True,
        )
        pot = _pot(with_pot, prime_user, today)
        women_start = max(other.start_date, today - timedelta(days=240))
        women = services.create_ring_fence(
            _earmarker(other, commissioner, admin),
            contract=other,
            purpose=RingFence.Purpose.WOMEN,
            amount=_share(other, "0.05"),
            starts_on=women_start,
            ends_on=min(women_start + timedelta(days=364), other.end_date),
            description=LABEL + "5% of the contract's value for women's services in the area.",
            is_synthetic=True,
        )
        first_invoice = (
            Invoice.objects.filter(contract=other, amount__lte=women.amount / 4)
            .order_by("amount", "pk")
            .first()
        )
        if first_invoice is not None:
            services.charge_invoice(_earmarker(other, commissioner, admin), women, first_invoice)
    return {"ring_fences": len([local, women]), "pots": 1 if pot else 0}


def _earmarker(contract: Contract, commissioner: User | None, admin: User) -> User:
    """The demo commissioner where they commission the contract, else the site administrator
    on the body's behalf."""
    if commissioner is not None and permissions.is_commissioner_of(
        commissioner, contract.commissioning_body_id
    ):
        return commissioner
    return admin


def _share(contract: Contract, fraction: str) -> Decimal:
    return (contract.annual_value * Decimal(fraction)).quantize(Decimal("1"))


def _pot(contract: Contract, prime_user: User, today: date) -> GrantRound | None:
    """The prime's small-grants pot, decided, with both demo charities funded."""
    charities = demo_organisations()
    applicants = [
        (User.objects.filter(username=name).first(), charities.get(key), amount)
        for name, key, amount in (
            ("provider", "charity", "2500"),
            ("provider2", "charity2", "1800"),
        )
    ]
    if any(user is None or org is None for user, org, _ in applicants):
        return None
    opens = today - timedelta(days=120)
    pot = grants.create_round(
        prime_user,
        contract.lot.opportunity.exercise,
        contract=contract,
        title=LABEL + "Neighbourhood small grants",
        purpose="Small local pieces of work with people on probation in the contract area.",
        eligibility="Community groups and small charities working in the contract area.",
        amount_available="6000",
        minimum_grant="500",
        maximum_grant="3000",
        short_form_limit="3000",
        opens_on=opens,
        closes_on=opens + timedelta(days=30),
        decision_by=opens + timedelta(days=50),
        criteria=[("Need", "Who the work helps and why"), ("Can deliver", "The group can do it")],
        is_synthetic=True,
    )
    grants.assign_assessor(prime_user, pot, prime_user)
    grants.open_round(prime_user, pot)
    applications = [
        grants.save_application(
            user,  # type: ignore[arg-type]
            pot,
            org,  # type: ignore[arg-type]
            {**SHORT, "title": f"{org.name}: local sessions", "amount_requested": amount},  # type: ignore[union-attr]
            submit=True,
        )
        for user, org, amount in applicants
    ]
    grants.close_round(prime_user, pot)
    for application in applications:
        grants.declare_interest(prime_user, application, has_conflict=False)
        for criterion in pot.criteria.all():
            grants.score(
                prime_user, application, criterion, value=3, comment="Synthetic demo score."
            )
            grants.moderate(
                prime_user, application, criterion, value=3, note="Synthetic demo: agreed."
            )
    grants.decide_round(
        prime_user,
        pot,
        {
            a.pk: grants.Decision(
                True, "Synthetic demo feedback: local, well planned.", str(a.amount_requested)
            )
            for a in applications
        },
    )
    starts = opens + timedelta(days=60)
    for application in applications:
        application.refresh_from_db()
        half = (application.amount_awarded or Decimal(0)) / 2
        grants.make_agreement(
            prime_user,
            application,
            starts_on=starts,
            ends_on=starts + timedelta(days=180),
            instalments=[(starts, half), (starts + timedelta(days=90), half)],
            monitoring_note="Synthetic demo: people helped each quarter, from your register.",
        )
    return pot
