"""What the invoice pages show (LAW-3, UK17): owed, invoiced and paid side by side per contract
period, each invoice's timeliness, and the compliance figures as text. Plain rows; templates
only lay them out. "Owed" is the payment statement the contract computes from its mechanism
(the core's :func:`~commissioning_analytics.payments.calculate`, as the contract's statements
page has it)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from commissioning.contracts import services as contract_services
from commissioning.contracts.models import Contract
from commissioning.invoices.compliance import PeriodFigures
from commissioning.invoices.models import Invoice, PaymentNotice
from commissioning.invoices.payment_notices import Quarter
from commissioning.invoices.vcs_share import NATIONAL_NAME, ShareRow
from commissioning_analytics.cashflow.prompt_payment import BANDS
from commissioning_analytics.payments import Mechanism
from commissioning_analytics.payments.money import pounds

ZERO = Decimal("0.00")


def day(value: date | None) -> str:
    return "" if value is None else f"{value.day} {value:%B %Y}"


def period_labels(contract: Contract) -> dict[int, str]:
    """The contract's period labels where observed or recorded (e.g. "April"), by number."""
    observed = contract_services.observed_for(contract).observed
    return {p.period: p.label for p in observed.periods}


@dataclass(frozen=True)
class ContractMoney:
    """A contract's documents parsed once, its period labels and what the statement says each
    issuing party is owed per period: what the invoice pages compare the invoices with."""

    mechanism: Mechanism
    labels: dict[int, str]
    owed: dict[tuple[str, int], Decimal]

    def label(self, number: int) -> str:
        return self.labels.get(number, f"Period {number}")


def contract_money(contract: Contract) -> ContractMoney:
    """What each issuing party is owed by its payer per period by the payment statement (the
    contract's, computed from its mechanism, its recorded referrals and its imported outcome
    results): the prime by the commissioner, each sub-contractor by the prime (net of what it
    repays)."""
    computed = contract_services.contract_statement(contract)
    if computed is None:
        return ContractMoney(contract_services.parsed(contract).mechanism, {}, {})
    mechanism = computed.mechanism
    totals: dict[tuple[str, int], Decimal] = defaultdict(lambda: ZERO)
    payer_of = {s.subcontractor: mechanism.prime for s in mechanism.supply_chain}
    payer_of[mechanism.prime] = mechanism.commissioner
    for line in computed.statement.lines:
        if payer_of.get(line.payee) == line.payer:
            totals[(line.payee, line.period)] += line.amount
        elif payer_of.get(line.payer) == line.payee:
            totals[(line.payer, line.period)] -= line.amount
    labels = {p.period: p.label for p in computed.merged.observed.periods}
    return ContractMoney(mechanism, labels, dict(totals))


def _sums(invoices: QuerySet[Invoice]) -> dict[tuple[str, int], tuple[Decimal, Decimal]]:
    rows = invoices.values("issuer_party", "period").annotate(
        invoiced=Sum("amount"), paid=Sum("amount_paid")
    )
    return {(r["issuer_party"], r["period"]): (r["invoiced"], r["paid"]) for r in rows}


def _row(
    money: ContractMoney, number: int, due: Decimal | None, invoiced: Decimal, paid: Decimal
) -> dict[str, str]:
    return {
        "period": money.label(number),
        "owed": "Not known" if due is None else pounds(due),
        "invoiced": pounds(invoiced),
        "paid": pounds(paid),
    }


def side_by_side(
    contract: Contract, money: ContractMoney, parties: Iterable[str]
) -> list[dict[str, Any]]:
    """One table per issuing party in ``parties`` (the prime first): per contract period, what
    the statement says it is owed, what it invoiced and what it was paid."""
    names = {p.id: p.name for p in money.mechanism.parties}
    sums = _sums(Invoice.objects.filter(contract=contract))
    tables = []
    for party in parties:
        mine = {n for p, n in money.owed if p == party} | {n for p, n in sums if p == party}
        rows = [
            _row(money, n, money.owed.get((party, n)), *sums.get((party, n), (ZERO, ZERO)))
            for n in sorted(mine)
        ]
        is_prime = party == money.mechanism.prime
        payer = "the commissioning body" if is_prime else "the prime contractor"
        tables.append(
            {"party": party, "name": names.get(party, party), "payer": payer, "rows": rows}
        )
    return tables


def aggregate_subcontractors(contract: Contract, money: ContractMoney) -> list[dict[str, Any]]:
    """What all the sub-contractors together were owed, invoiced and paid per period: what the
    public sees of the second tier."""
    subs = {s.subcontractor for s in money.mechanism.supply_chain}
    if not subs:
        return []
    due: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for (party, number), amount in money.owed.items():
        if party in subs:
            due[number] += amount
    sums: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    invoices = Invoice.objects.filter(contract=contract, tier=Invoice.Tier.SUBCONTRACTOR)
    for (_party, number), (invoiced, paid) in _sums(invoices).items():
        sums[number][0] += invoiced
        sums[number][1] += paid
    return [
        _row(money, n, due.get(n), sums[n][0], sums[n][1]) for n in sorted(set(due) | set(sums))
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


def invoice_rows(
    invoices: Iterable[Invoice], today: date, labels: dict[int, dict[int, str]] | None = None
) -> list[dict[str, Any]]:
    """Each invoice as text, with whether it was paid on time; ``labels`` holds the period
    labels of contracts already parsed (by contract id), the others are read as needed."""
    labels = dict(labels or {})
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


def payment_notice_rows(notices: Iterable[PaymentNotice]) -> list[dict[str, Any]]:
    """Each published contract payment notice (UK8): its quarter, when it was published and
    each payment over £30,000 it lists."""
    return [
        {
            "quarter": Quarter(notice.quarter_start, notice.quarter_end).label,
            "published": day(timezone.localdate(notice.published_at)),
            "payments": [
                {"paid": day(p.paid_on), "amount": pounds(p.amount)}
                for p in sorted(notice.payments.all(), key=lambda p: (p.paid_on, p.pk))
            ],
        }
        for notice in notices
    ]


def vcs_share_rows(rows: Iterable[ShareRow]) -> list[dict[str, Any]]:
    """The figures as text: money in pounds, the share as a percentage."""
    return [
        {
            "quarter": row.quarter,
            "area": row.area,
            "national": row.area == NATIONAL_NAME,
            "delivery": pounds(row.delivery_money),
            "vcs": pounds(row.vcs_money),
            "share": "No delivery money paid" if row.share is None else f"{row.share}%",
            "organisations": row.organisations,
            "vcs_organisations": row.vcs_organisations,
        }
        for row in rows
    ]


VCS_CSV_HEADER = (
    "quarter_start",
    "area",
    "delivery_money",
    "vcs_money",
    "vcs_share_percent",
    "organisations_paid",
    "vcs_organisations_paid",
)


def vcs_share_csv(rows: Iterable[ShareRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(VCS_CSV_HEADER)
    for row in rows:
        writer.writerow(
            (
                row.quarter_start.isoformat(),
                row.area,
                f"{row.delivery_money:.2f}",
                f"{row.vcs_money:.2f}",
                "" if row.share is None else f"{row.share}",
                row.organisations,
                row.vcs_organisations,
            )
        )
    return out.getvalue()
