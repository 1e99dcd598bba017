"""After the award, from the records: what each sub-contractor named in the winning bid was
promised against what it received (SUP-2), and acceptance, engagement and completion by need
group with the creaming check (PBR-3). The figures are the core's
(:mod:`commissioning_analytics.chain.bid_candy`, :mod:`commissioning_analytics.chain.need_groups`);
this module reads the referrals and payments into them and suppresses small counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning.contracts.models import Contract, ContractParty
from commissioning.delivery_checks import notifications
from commissioning.delivery_checks.models import FlagNotice
from commissioning.invoices import queries as invoice_queries
from commissioning.kernel.quarters import quarter_end, quarter_label, quarters
from commissioning.referrals import characteristics
from commissioning.referrals import queries as referral_queries
from commissioning.referrals.services import need_groups
from commissioning_analytics.chain.bid_candy import (
    Flag,
    Promise,
    PromiseRecord,
    QuarterLine,
    QuarterReceived,
    Thresholds,
    promise_record,
)
from commissioning_analytics.chain.need_groups import ReferralSteps, need_group_report
from commissioning_analytics.payments.money import percent


def thresholds() -> Thresholds:
    """The policy thresholds from the settings (``BID_CANDY_*``)."""
    return Thresholds(
        referral_share=Decimal(str(settings.BID_CANDY_REFERRAL_SHARE)),
        value_share=Decimal(str(settings.BID_CANDY_VALUE_SHARE)),
        window_quarters=int(settings.BID_CANDY_WINDOW_QUARTERS),
    )


def complete_quarters(contract: Contract, today: date) -> list[tuple[date, Decimal]]:
    """The calendar quarters of ``contract`` that have ended by ``today``, each with the share
    of its days inside the contract."""
    found = []
    for start in quarters(contract.start_date, contract.end_date):
        end = quarter_end(start)
        if end >= today:
            break
        inside = (min(end, contract.end_date) - max(start, contract.start_date)).days + 1
        found.append((start, Decimal(inside) / Decimal((end - start).days + 1)))
    return found


@dataclass(frozen=True)
class QuarterShown:
    label: str
    line: QuarterLine


@dataclass(frozen=True)
class SubcontractorPromise:
    """One sub-contractor named in the bid, its quarters and flags."""

    party: ContractParty
    name: str
    record: PromiseRecord
    quarters: list[QuarterShown]

    @property
    def flags(self) -> tuple[Flag, ...]:
        return self.record.flags


def promises_kept(contract: Contract, today: date | None = None) -> list[SubcontractorPromise]:
    """Each sub-contractor of ``contract`` (as named in the winning bid), its promises against
    the referrals it was sent and the money it was paid in each complete quarter."""
    return promises_kept_of([contract], today).get(contract.pk, [])


def promises_kept_of(
    contracts: Sequence[Contract], today: date | None = None
) -> dict[int, list[SubcontractorPromise]]:
    """:func:`promises_kept` for several contracts, by contract id, in three queries however
    many contracts there are (the pages that list an organisation's contracts)."""
    today = today or timezone.localdate()
    ids = [contract.pk for contract in contracts]
    referred = referral_queries.referred_by_quarter(ids)
    paid_by_contract = invoice_queries.subcontractor_paid_by_quarter(ids)
    policy = thresholds()
    parties_by_contract: dict[int, list[ContractParty]] = {pk: [] for pk in ids}
    parties = ContractParty.objects.filter(
        contract__in=ids, role=ContractParty.Role.SUBCONTRACTOR
    ).select_related("organisation")
    for party in parties.order_by("party_id"):
        parties_by_contract[party.contract_id].append(party)
    result: dict[int, list[SubcontractorPromise]] = {}
    for contract in contracts:
        periods = complete_quarters(contract, today)
        paid = paid_by_contract.get(contract.pk, {})
        result[contract.pk] = [
            _promise(party, periods, referred, paid, policy)
            for party in parties_by_contract[contract.pk]
        ]
    return result


def _promise(
    party: ContractParty,
    periods: list[tuple[date, Decimal]],
    referred: dict[tuple[int, date], int],
    paid: dict[tuple[str, date], Decimal],
    policy: Thresholds,
) -> SubcontractorPromise:
    record = promise_record(
        Promise(party.party_id, party.promised_referrals_per_year, _value(party)),
        [
            QuarterReceived(
                start,
                referred.get((party.pk, start), 0),
                paid.get((party.party_id, start), Decimal("0.00")),
                covered,
            )
            for start, covered in periods
        ],
        policy,
    )
    return SubcontractorPromise(
        party=party,
        name=party.organisation.name if party.organisation else party.party_id,
        record=record,
        quarters=[QuarterShown(quarter_label(line.start), line) for line in record.quarters],
    )


def _value(party: ContractParty) -> Decimal | None:
    value = party.promised_value_per_year
    return None if value is None else Decimal(value)


def flag_words(flag: Flag) -> dict[str, str]:
    """A flag as people read it: the measure, the window and the threshold beside it."""
    return {
        "measure": "Referrals" if flag.measure == "referrals" else "Money",
        "window": f"{quarter_label(flag.window_start)} to {quarter_label(flag.quarter)}"
        if flag.window_start != flag.quarter
        else quarter_label(flag.quarter),
        "threshold": f"under {percent(flag.threshold)} of the promise over "
        f"{thresholds().window_quarters} quarters",
        "explanation": flag.explanation,
    }


def notify_new_flags(today: date | None = None) -> int:
    """Tell the sub-contractor's members and the contract's commissioners of each flag the
    first time it appears (a :class:`FlagNotice` per sub-contractor and measure); safe to run
    again and again. Returns how many flags were newly notified."""
    today = today or timezone.localdate()
    told = 0
    contracts = Contract.objects.filter(
        parties__role=ContractParty.Role.SUBCONTRACTOR
    ).select_related("commissioning_body", "prime")
    for contract in contracts.distinct().order_by("pk"):
        for promise in promises_kept(contract, today):
            for flag in promise.flags:
                if _notify_once(contract, promise, flag):
                    told += 1
    return told


def _notify_once(contract: Contract, promise: SubcontractorPromise, flag: Flag) -> bool:
    try:
        with transaction.atomic():
            FlagNotice.objects.create(
                party=promise.party, measure=flag.measure, quarter=flag.quarter
            )
            notifications.flag_raised(contract, promise.party, promise.name, flag_words(flag))
    except IntegrityError:
        return False
    return True


@dataclass(frozen=True)
class NeedGroupRow:
    need_group: str
    tariff: Decimal | None
    referred: int | str
    accepted: int | str
    engaged: int | str
    completed: int | str
    acceptance: str | None
    engagement: str | None
    completion: str | None


@dataclass(frozen=True)
class NeedGroupSection:
    rows: list[NeedGroupRow]
    checked: bool  # False when a count is hidden (or one group has referrals): no comparison
    flagged: bool
    explanation: str
    tariff_explanation: str


def _tariffs(contract: Contract, groups: list[str]) -> dict[str, Decimal] | None:
    """Each group's tariff in the first outcome payment that tariffs need groups differently."""
    for payment in (contract.mechanism or {}).get("outcome_payments", []):
        differential = payment.get("need_group_tariffs") or {}
        if differential:
            base = Decimal(str(payment["tariff"]))
            return {g: Decimal(str(differential.get(g, base))) for g in groups}
    return None


def _rate(part: int | str, whole: int | str) -> str | None:
    if isinstance(part, int) and isinstance(whole, int) and whole > 0:
        return f"{part / whole:.0%}"
    return None


def by_need_group(contract: Contract) -> NeedGroupSection:
    """Acceptance, engagement and completion by need group, public: a count of 1 to 4 is
    "fewer than 5" (with the next smallest withheld where needed,
    :func:`characteristics.publishable`), a rate shown only where both its counts are, and the
    creaming check only where no count is hidden."""
    groups = need_groups(contract)
    tariffs = _tariffs(contract, groups)
    report = need_group_report(
        (
            ReferralSteps(p.need_group, p.accepted, p.engaged, p.completed)
            for p in referral_queries.progress_by_referral(contract)
            if p.need_group in groups
        ),
        groups,
        tariffs,
    )
    columns = [
        characteristics.publishable([getattr(g, name) for g in report.groups])
        for name in ("referred", "accepted", "engaged", "completed")
    ]
    rows = []
    for i, group in enumerate(report.groups):
        referred, accepted, engaged, completed = (column[i] for column in columns)
        rows.append(
            NeedGroupRow(
                need_group=group.need_group,
                tariff=group.tariff,
                referred=referred,
                accepted=accepted,
                engaged=engaged,
                completed=completed,
                acceptance=_rate(accepted, referred),
                engagement=_rate(engaged, referred),
                completion=_rate(completed, referred),
            )
        )
    # The comparison's rates and expected payments would give a hidden count away.
    hidden = any(isinstance(cell, str) for column in columns for cell in column)
    result = None if hidden else report.creaming
    return NeedGroupSection(
        rows=rows,
        checked=result is not None,
        flagged=bool(result and result.flagged),
        explanation=result.explanation if result else "",
        tariff_explanation=result.tariff_explanation if result else "",
    )
