"""Synthetic invoices and payments for the demo contracts (LAW-3, UK17), labelled synthetic.

For every observed period of each demo contract (twelve months or more each), the prime
invoices the commissioning body for what the payment statement says it is owed and is paid in
about 25 days; on the contract with a supply chain, each sub-contractor invoices the prime for
its share and is paid in 60 days or more — far past its terms — the seeds' story of risk and
delay pushed down the chain. One of the body's invoices is disputed and resolved, and the last
periods' invoices are still unpaid where their payment would fall after today. Each quarter
that has ended has its contract payment notices (the bodies' payments over £30,000), published
a week after its end as the scheduled command would.

Records in later states are seeded through :func:`commissioning.invoices.lifecycle.seed`; the
invoices go with their contracts when the demo contracts are replaced.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commissioning.audit.models import AuditEvent
from commissioning.contracts import services as contract_services
from commissioning.contracts.models import Contract, ContractParty
from commissioning.invoices import lifecycle, payment_notices
from commissioning.invoices.models import Invoice, Payment
from commissioning.invoices.presentation import contract_money
from commissioning_analytics.timelines.working_days import LONDON

PRIME_DAYS = (21, 29)
"""How many days the commissioning bodies take to pay their primes (about 25)."""
SUB_DAYS = (62, 78)
"""How many days the late-paying prime takes to pay its sub-contractors (60 or more)."""


def load_demo_invoices(
    contracts: Sequence[Contract], *, seed: int = 2026, today: date | None = None
) -> int:
    """Make the invoices and payments of ``contracts``; returns how many invoices."""
    today = today or timezone.localdate()
    rng = random.Random(f"{seed}:invoices")
    made = 0
    with transaction.atomic():
        for contract in contracts:
            # The referrals loaded since may have redrawn the imported results (demo.referrals).
            contract.refresh_from_db(fields=["observed"])
            made += _contract_invoices(contract, rng, today)
        _publish_payment_notices(contracts, today)
        AuditEvent.objects.create(
            actor=None,
            actor_label="system",
            action="demo_invoices_loaded",
            target_type="demo.DemoInvoices",
            target_id=str(seed),
            target_label=f"Synthetic demo invoices (seed {seed})",
            changes={"invoices": made},
        )
    return made


def _publish_payment_notices(contracts: Sequence[Contract], today: date) -> None:
    """The UK8 notices of every quarter that ended a week or more ago, from the first payment."""
    first = Payment.objects.filter(invoice__contract__in=contracts).order_by("paid_on").first()
    if first is None:
        return
    quarter = payment_notices.Quarter.containing(first.paid_on)
    while (published := quarter.last_day + timedelta(days=7)) <= today:
        payment_notices.publish_quarter(quarter, now=datetime.combine(published, time(9), LONDON))
        quarter = payment_notices.Quarter.containing(quarter.last_day + timedelta(days=1))


def _contract_invoices(contract: Contract, rng: random.Random, today: date) -> int:
    computed = contract_services.contract_statement(contract)
    if computed is None:
        return 0
    mechanism = computed.mechanism
    parties = {
        p.party_id: p.organisation
        for p in contract.parties.select_related("organisation")
        if p.organisation is not None
        and p.role in (ContractParty.Role.PRIME, ContractParty.Role.SUBCONTRACTOR)
    }
    terms = {s.subcontractor: s.payment_terms_days for s in mechanism.supply_chain}
    amounts = contract_money(contract).owed
    disputed_one = False
    invoices: list[tuple[Invoice, date | None]] = []
    for period in computed.merged.observed.periods:
        for party, organisation in parties.items():
            amount = amounts.get((party, period.period), Decimal(0))
            if amount <= 0:
                continue
            is_prime = party == mechanism.prime
            received = period.end + timedelta(days=rng.randint(3, 8))
            if received > today:
                continue
            days = terms.get(party, 30) if not is_prime else mechanism.payment_terms_days
            invoice = Invoice(
                contract=contract,
                tier=Invoice.Tier.PRIME if is_prime else Invoice.Tier.SUBCONTRACTOR,
                issuer_party=party,
                issuer=organisation,
                payer=contract.commissioning_body if is_prime else contract.prime,
                reference=f"SYN-{party[:20].upper()}-{period.period:03d}",
                period=period.period,
                amount=amount,
                received_on=received,
                terms_days=days,
                due_on=received + timedelta(days=days),
                is_synthetic=True,
            )
            if is_prime and not disputed_one and period.period == 2:
                # Disputed a week after receipt, resolved a fortnight later, then paid.
                disputed_one = True
                invoice.disputed_on = received + timedelta(days=7)
                invoice.dispute_reason = "Synthetic: the volumes claimed did not match ours."
                start = received + timedelta(days=21)
                invoice.resolved_on = start
                invoice.resolution = "Synthetic: volumes reconciled; the invoice stands."
                invoice.due_on = start + timedelta(days=days)
            else:
                start = received
            spread = PRIME_DAYS if is_prime else SUB_DAYS
            paid_day = start + timedelta(days=rng.randint(*spread))
            invoices.append((invoice, paid_day if paid_day <= today else None))
    for invoice, paid in invoices:
        if paid is not None:
            invoice.amount_paid = invoice.amount
            invoice.paid_on = paid
            lifecycle.seed(invoice, Invoice.Status.PAID)
    Invoice.objects.bulk_create([invoice for invoice, _ in invoices])
    Payment.objects.bulk_create(
        Payment(invoice=invoice, paid_on=paid, amount=invoice.amount)
        for invoice, paid in invoices
        if paid is not None
    )
    return len(invoices)
