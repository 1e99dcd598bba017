"""What the invoice pages show (LAW-3, UK17): owed, invoiced and paid side by side per contract
period, each invoice's timeliness, and the compliance figures as text. Plain rows; templates
only lay them out. "Owed" is the payment statement the contract computes from its mechanism
(:func:`commissioning.contracts.services.statement_for`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from commissioning.contracts import services as contract_services
from commissioning.contracts.models import Contract
from commissioning.invoices.compliance import PeriodFigures
from commissioning.invoices.models import Invoice
from commissioning_analytics.cashflow.prompt_payment import BANDS
from commissioning_analytics.payments.money import pounds

ZERO = Decimal("0.00")


def day(value: date | None) -> str:
    return "" if value is None else f"{value.day} {value:%B %Y}"


def period_labels(contract: Contract) -> dict[int, str]:
    """The contract's period labels where observed (e.g. "April"), by number."""
    observed = contract_services.parsed(contract).observed
    return {} if observed is None else {p.period: p.label for p in observed.periods}


def owed(contract: Contract) -> dict[tuple[str, int], Decimal]:
    """What each issuing party is owed by its payer per period by the payment statement: the
    prime by the commissioner, each sub-contractor by the prime (net of what it repays)."""
    statement = contract_services.statement_for(contract)
    if statement is None:
        return {}
    mechanism = contract_services.parsed(contract).mechanism
    payer_of = {s.subcontractor: mechanism.prime for s in mechanism.supply_chain}
    payer_of[mechanism.prime] = mechanism.commissioner
    totals: dict[tuple[str, int], Decimal] = defaultdict(lambda: ZERO)
    for line in statement.lines:
        if payer_of.get(line.payee) == line.payer:
            totals[(line.payee, line.period)] += line.amount
        elif payer_of.get(line.payer) == line.payee:
            totals[(line.payer, line.period)] -= line.amount
    return dict(totals)


def _sums(invoices: QuerySet[Invoice]) -> dict[tuple[str, int], tuple[Decimal, Decimal]]:
    rows = invoices.values("issuer_party", "period").annotate(
        invoiced=Sum("amount"), paid=Sum("amount_paid")
    )
    return {(r["issuer_party"], r["period"]): (r["invoiced"], r["paid"]) for r in rows}


def side_by_side(contract: Contract, parties: Iterable[str]) -> list[dict[str, Any]]:
    """One table per issuing party in ``parties`` (the prime first): per contract period, what
    the statement says it is owed, what it invoiced and what it was paid."""
    mechanism = contract_services.parsed(contract).mechanism
    names = {p.id: p.name for p in mechanism.parties}
    due = owed(contract)
    sums = _sums(Invoice.objects.filter(contract=contract))
    labels = period_labels(contract)
    tables = []
    for party in parties:
        periods = sorted({n for p, n in due if p == party} | {n for p, n in sums if p == party})
        payer = "the commissioning body" if party == mechanism.prime else "the prime contractor"
        rows = []
        for number in periods:
            invoiced, paid = sums.get((party, number), (ZERO, ZERO))
            rows.append(
                {
                    "period": labels.get(number, f"Period {number}"),
                    "owed": pounds(due[(party, number)]) if (party, number) in due else "Not known",
                    "invoiced": pounds(invoiced),
                    "paid": pounds(paid),
                }
            )
        tables.append(
            {"party": party, "name": names.get(party, party), "payer": payer, "rows": rows}
        )
    return tables


def aggregate_subcontractors(contract: Contract) -> list[dict[str, Any]]:
    """What all the sub-contractors together were owed, invoiced and paid per period: what the
    public sees of the second tier."""
    mechanism = contract_services.parsed(contract).mechanism
    subs = {s.subcontractor for s in mechanism.supply_chain}
    if not subs:
        return []
    due: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for (party, number), amount in owed(contract).items():
        if party in subs:
            due[number] += amount
    sums: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for (_party, number), (invoiced, paid) in _sums(
        Invoice.objects.filter(contract=contract, tier=Invoice.Tier.SUBCONTRACTOR)
    ).items():
        sums[number][0] += invoiced
        sums[number][1] += paid
    labels = period_labels(contract)
    return [
        {
            "period": labels.get(n, f"Period {n}"),
            "owed": pounds(due[n]) if n in due else "Not known",
            "invoiced": pounds(sums[n][0]),
            "paid": pounds(sums[n][1]),
        }
        for n in sorted(set(due) | set(sums))
    ]


def timeliness(invoice: Invoice, today: date) -> str:
    """Paid on time, late (by how many days) or overdue, in words."""
    if invoice.status == Invoice.Status.DISPUTED:
        return "Disputed"
    if invoice.paid_on is not None:
        late = (invoice.paid_on - invoice.due_on).days
        return "Paid on time" if late <= 0 else f"Paid {late} {'day' if late == 1 else 'days'} late"
    if today > invoice.due_on:
        late = (today - invoice.due_on).days
        return f"Overdue by {late} {'day' if late == 1 else 'days'}"
    return f"Due by {day(invoice.due_on)}"


def invoice_rows(invoices: Iterable[Invoice], today: date) -> list[dict[str, Any]]:
    labels: dict[int, dict[int, str]] = {}
    rows = []
    for invoice in invoices:
        if invoice.contract_id not in labels:
            labels[invoice.contract_id] = period_labels(invoice.contract)
        rows.append(
            {
                "invoice": invoice,
                "period": labels[invoice.contract_id].get(
                    invoice.period, f"Period {invoice.period}"
                ),
                "amount": pounds(invoice.amount),
                "paid": pounds(invoice.amount_paid),
                "received": day(invoice.received_on),
                "due": day(invoice.due_on),
                "status": Invoice.Status(invoice.status).label,
                "timeliness": timeliness(invoice, today),
            }
        )
    return rows


def _share(value: float | None) -> str:
    return "None" if value is None else f"{value:.1%}"


def figures_rows(
    periods: Iterable[PeriodFigures], names: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Each reporting period's figures as text; with ``names`` (payee id → name), each payee's
    payments compared with its terms, flagged when later than them."""
    rows = []
    for item in periods:
        figures = item.figures
        bands = figures.share_paid_by_band if figures else None
        rows.append(
            {
                "label": item.period.label(),
                "complete": item.complete,
                "paid": 0 if figures is None else figures.invoices_paid,
                "average": "None paid"
                if figures is None or figures.average_days_to_pay is None
                else f"{figures.average_days_to_pay:.1f}",
                "bands": [
                    (band, "None paid" if bands is None else _share(share))
                    for band, share in zip(BANDS, bands or (None, None, None), strict=True)
                ],
                "payable": 0 if figures is None else figures.invoices_became_payable,
                "unpaid": "None due" if figures is None else _share(figures.share_due_unpaid),
                "terms": [
                    {
                        "name": (names or {}).get(t.payee, t.payee),
                        "paid": t.invoices_paid,
                        "average": f"{t.average_days_to_pay:.1f}",
                        "terms": t.terms_days,
                        "after_due": t.paid_after_due,
                        "late": t.later_than_terms,
                    }
                    for t in item.against_terms
                ],
            }
        )
    return rows
