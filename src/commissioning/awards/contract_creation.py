"""The contract created from the winning bid once the standstill has ended (PRO-9, PRO-7,
SUP-1): its lot, value, dates, a payment mechanism in the core's format (PBR-1) that starts from
the payment model the lot was tendered on (its share of the fee at risk on outcomes, with the
outcome target the commissioner sets), and its supply chain exactly as bid — each confirmed
sub-contractor with its role, services, promised referrals and value a year, read from the
sealed terms with the commissioner's released key."""

from __future__ import annotations

import calendar
import copy
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.awards.access import can_manage_award
from commissioning.awards.consortium import member_recipients, with_consortium
from commissioning.awards.models import LotAward
from commissioning.awards.tendered import TenderedPaymentModel, tendered_payment_model
from commissioning.bids import opening
from commissioning.bids.content import Terms
from commissioning.bids.models import Subcontractor
from commissioning.bids.services import members_of
from commissioning.contracts import lifecycle as contracts_lifecycle
from commissioning.contracts.models import Contract, ContractParty
from commissioning.contracts.services import ContractDataError, validate_documents
from commissioning.directory.models import Organisation
from commissioning.notifications.services import notify
from commissioning.procurement.models import Lot
from commissioning_analytics.timelines.working_days import LONDON

PENNY = Decimal("0.01")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (the month's last day if it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def contract_end(start: date, duration_months: int) -> date:
    """The last day of a term of ``duration_months`` starting on ``start``."""
    return add_months(start, duration_months) - timedelta(days=1)


def contract_reference(lot: Lot) -> str:
    suffix = f"-L{lot.number}"
    return lot.opportunity.reference[: 30 - len(suffix)] + suffix


def party_id(organisation: Organisation) -> str:
    """The organisation's id in the mechanism: its slug, shortened to fit (60 characters) with
    its primary key kept so that two long slugs sharing a beginning stay distinct."""
    slug = organisation.slug or slugify(organisation.name) or "org"
    if len(slug) <= 60:
        return slug
    suffix = f"-{organisation.pk}"
    return slug[: 60 - len(suffix)].rstrip("-") + suffix


def mechanism_document(
    reference: str,
    lot: Lot,
    body: Organisation,
    prime: Organisation,
    price: Decimal,
    chain: list[tuple[Organisation, Terms]],
    tendered: TenderedPaymentModel | None = None,
    outcome_target: Decimal | None = None,
) -> dict[str, Any]:
    """A fixed annual service fee of the bid price, paid monthly in arrears over the lot's term,
    each sub-contractor passed its promised value a year, stored as money (no management fee,
    so what it is promised is what it is passed, to the penny; its share is derived)."""
    supply_chain = [
        {
            "subcontractor": party_id(org),
            "service_fee_value": str(terms.value_per_year.quantize(PENNY)),
        }
        for org, terms in chain
    ]
    parties = [
        {"id": party_id(body), "name": body.name, "role": "commissioner"},
        {"id": party_id(prime), "name": prime.name, "role": "prime"},
    ]
    parties += [
        {"id": party_id(org), "name": org.name, "role": "subcontractor"} for org, _ in chain
    ]
    document: dict[str, Any] = {
        "format_version": 1,
        "id": slugify(reference)[:64] or "contract",
        "name": f"Service fee for {lot}"[:200],
        "description": (
            f"A fixed service fee of £{price:,.2f} a year as bid by {prime.name}, paid monthly in "
            f"arrears for {lot.duration_months} months; each sub-contractor is passed the value a "
            "year promised to it in the bid."
        ),
        "period": "month",
        "term_periods": lot.duration_months,
        "payment_terms_days": 30,
        "parties": parties,
        "service_fee": {
            "annual_value": str(price.quantize(PENNY)),
            "frequency": "monthly",
            "timing": "arrears",
        },
    }
    if supply_chain:
        document["supply_chain"] = supply_chain
    if tendered is not None and tendered.has_risk:
        put_fee_at_risk(document, tendered, outcome_target)
    return document


PAYER_FIELDS = ("outcome_payments", "volume_fees")


def mechanism_as_tendered(
    reference: str,
    lot: Lot,
    body: Organisation,
    prime: Organisation,
    price: Decimal,
    chain: list[tuple[Organisation, Terms]],
) -> dict[str, Any]:
    """The lot's mechanism as tendered (issue 15, PBR-1, PRO-9), made the contract's: the
    placeholder commissioner and prime become the commissioning body and the winning bidder
    (every payer naming the commissioner follows it), the service fee is the bid's price, and
    the lot's placeholder sub-contractors give way to the bid's confirmed sub-contractors, each
    passed the value a year it consented to (as :func:`mechanism_document` does). Every other
    term — measures, tariffs, thresholds, clawback, a bond's investor — is the tender's."""
    tendered = lot.tendered_mechanism
    assert tendered is not None
    document: dict[str, Any] = copy.deepcopy(tendered)
    renamed: dict[str, str] = {}
    parties: list[dict[str, Any]] = []
    for party in document["parties"]:
        if party["role"] == "commissioner":
            renamed[party["id"]] = party_id(body)
            parties.append({"id": party_id(body), "name": body.name, "role": "commissioner"})
        elif party["role"] == "prime":
            parties.append({"id": party_id(prime), "name": prime.name, "role": "prime"})
        elif party["role"] != "subcontractor":
            parties.append(party)
    parties += [
        {"id": party_id(org), "name": org.name, "role": "subcontractor"} for org, _ in chain
    ]
    document["parties"] = parties
    fee = document.get("service_fee")
    if fee is not None:
        fee["annual_value"] = str(price.quantize(PENNY))
    for rule in [fee, document.get("social_impact_bond")]:
        for name in ("payer", "outcome_payer"):
            if rule is not None and rule.get(name) in renamed:
                rule[name] = renamed[rule[name]]
    for name in PAYER_FIELDS:
        for rule in document.get(name) or []:
            if rule.get("payer") in renamed:
                rule["payer"] = renamed[rule["payer"]]
    document.pop("supply_chain", None)
    if chain and fee is not None:
        document["supply_chain"] = [
            {
                "subcontractor": party_id(org),
                "service_fee_value": str(terms.value_per_year.quantize(PENNY)),
            }
            for org, terms in chain
        ]
    document["id"] = slugify(reference)[:64] or "contract"
    document["name"] = f"{tendered.get('name') or lot} (as tendered)"[:200]
    said = (tendered.get("description") or "").strip()
    document["description"] = (
        f"As tendered for {lot} of {lot.opportunity.reference}, with {prime.name} as the prime "
        f"at its bid price of £{price:,.2f} a year"
        + (" and its sub-contractors' agreed values a year." if chain else ".")
        + (f" {said}" if said else "")
    )
    return document


def put_fee_at_risk(
    document: dict[str, Any], tendered: TenderedPaymentModel, outcome_target: Decimal | None
) -> None:
    """Put the share of the fee the lot was tendered with at risk on outcomes (PBR-1): withheld
    (or repaid) against ``outcome_target``, the percentage of people achieving the outcome the
    opportunity sought, which becomes the mechanism's measure."""
    if outcome_target is None:
        raise ValidationError(
            {"outcome_target": "Enter the outcome target the fee at risk depends on"}
        )
    document["service_fee"]["at_risk"] = {
        "share": f"{tendered.share_at_risk.normalize():f}",
        "mode": tendered.mode,
        "measure": tendered.measure_id,
        "target": f"{outcome_target.normalize():f}",
    }
    document["measures"] = [
        {
            "id": tendered.measure_id,
            "kind": "intermediate",
            "description": tendered.outcome[:200],
            "indicator": "leading",
        }
    ]
    document["description"] += f" {tendered.as_tendered}: {tendered.risk_sentence(outcome_target)}."


def _check(actor: User, award: LotAward, start_date: Any, now: datetime) -> None:
    if not can_manage_award(actor, award.lot.opportunity):
        raise PermissionDenied("Only the commissioning body's commissioners create contracts.")
    if award.outcome != LotAward.Outcome.AWARDED or award.winning_bid_id is None:
        raise ValidationError("No bid was awarded this lot, so there is no contract to create.")
    if award.contract_id is not None:
        raise ValidationError("The contract for this award has already been created.")
    ends = award.standstill_ends_at
    if ends is None or now < ends:
        last = (ends - timedelta(seconds=1)).astimezone(LONDON) if ends else None
        when = f" It ends at midnight on {last:%-d %B %Y}." if last else ""
        raise ValidationError(f"The contract cannot be created during the standstill period.{when}")
    if not isinstance(start_date, date) or isinstance(start_date, datetime):
        raise ValidationError({"start_date": "Enter the contract start date"})
    first = ends.astimezone(LONDON).date()
    if start_date < first:
        raise ValidationError(
            {
                "start_date": "The contract cannot start before the standstill ends "
                f"({first:%-d %B %Y})"
            }
        )


def create_contract(
    actor: User,
    award: LotAward,
    start_date: date,
    now: datetime | None = None,
    outcome_target: Decimal | None = None,
) -> Contract:
    """Create the contract from the winning bid (PRO-9): refused to anyone but the body's
    commissioners, during the standstill (by the server's clock), for a lot not awarded, and a
    second time. The payment mechanism starts from the lot's mechanism as tendered
    (:func:`mechanism_as_tendered`) or, for a lot without one, from its tendered share of the
    fee: where part of it is at risk on outcomes, ``outcome_target`` (percent of people
    achieving the outcome) is required. The supply chain is the bid's confirmed sub-contractors
    with their sealed terms. Raises ``PermissionDenied`` or ``ValidationError`` (nothing
    written)."""
    award = LotAward.objects.select_related(
        "lot__opportunity__exercise__commissioning_body", "winning_bid__organisation"
    ).get(pk=award.pk)
    now = now or timezone.now()
    _check(actor, award, start_date, now)
    lot = award.lot
    tendered = tendered_payment_model(lot)
    if outcome_target is not None and not 0 < outcome_target <= 100:
        raise ValidationError(
            {"outcome_target": "Enter the outcome target as a percentage from 0.1 to 100"}
        )
    opportunity = lot.opportunity
    body = opportunity.exercise.commissioning_body
    bid = award.winning_bid
    assert bid is not None
    opened = opening.opened_bid(actor, bid, now)
    price = opened.content.price
    if price is None or price <= 0:
        raise ValidationError("The winning bid states no price.")
    chain = [
        (sub.organisation, terms)
        for sub, terms in opened.supply_chain
        if sub.consent == Subcontractor.Consent.CONFIRMED
    ]
    reference = contract_reference(lot)
    if lot.tendered_mechanism is not None:
        mechanism = mechanism_as_tendered(reference, lot, body, bid.organisation, price, chain)
    else:
        mechanism = mechanism_document(
            reference, lot, body, bid.organisation, price, chain, tendered, outcome_target
        )
    try:
        validate_documents(mechanism, None, None)
    except ContractDataError as error:
        raise ValidationError(
            ["The payment mechanism built from the bid is not valid:", str(error)]
        ) from error
    with transaction.atomic():
        locked = LotAward.objects.select_for_update().get(pk=award.pk)
        if locked.contract_id is not None:
            raise ValidationError("The contract for this award has already been created.")
        if Contract.objects.filter(reference=reference).exists():
            raise ValidationError(f"A contract with the reference {reference} already exists.")
        contract = Contract.objects.create(
            reference=reference,
            title=f"{opportunity.title} – {lot}"[:200],
            lot=lot,
            commissioning_body=body,
            prime=bid.organisation,
            start_date=start_date,
            end_date=contract_end(start_date, lot.duration_months),
            annual_value=price.quantize(PENNY),
            mechanism=mechanism,
            is_synthetic=opportunity.is_synthetic,
            created_by=actor,
        )
        parties = [
            ContractParty(
                contract=contract,
                party_id=party_id(body),
                organisation=body,
                role=ContractParty.Role.COMMISSIONER,
            ),
            ContractParty(
                contract=contract,
                party_id=party_id(bid.organisation),
                organisation=bid.organisation,
                role=ContractParty.Role.PRIME,
            ),
        ]
        parties += [
            ContractParty(
                contract=contract,
                party_id=party_id(org),
                organisation=org,
                role=ContractParty.Role.SUBCONTRACTOR,
                role_as_bid=terms.role,
                services=terms.services,
                promised_referrals_per_year=terms.referrals_per_year,
                promised_value_per_year=terms.value_per_year,
            )
            for org, terms in chain
        ]
        parties = with_consortium(parties, contract, bid, party_id)  # bidding together (PRO-6)
        ContractParty.objects.bulk_create(parties)
        # It starts mobilising: active once its commissioners say so (issue 15).
        contracts_lifecycle.start_mobilising(contract)
        locked.contract = contract
        locked.save(update_fields=["contract"])
        record(
            actor,
            "award.contract",
            contract,
            {
                "award": locked.pk,
                "lot": str(lot),
                "prime": bid.organisation.name,
                "annual_value": str(contract.annual_value),
                "start_date": contract.start_date.isoformat(),
                "end_date": contract.end_date.isoformat(),
                "subcontractors": [
                    {
                        "organisation": org.name,
                        "role": terms.role,
                        "referrals_per_year": terms.referrals_per_year,
                        "value_per_year": str(terms.value_per_year),
                    }
                    for org, terms in chain
                ],
            },
        )
        recipients = members_of(bid.organisation_id)
        for org, _ in chain:
            recipients += members_of(org.pk)
        recipients += member_recipients(bid)
        notify(
            recipients,
            subject=f"Contract created: {reference}",
            body=(
                f"The contract {reference} for {lot} of {opportunity.reference} "
                f"“{opportunity.title}” has been created, led by {bid.organisation.name}, "
                f"starting on {start_date:%-d %B %Y}. Its supply chain is as bid."
            ),
            url=contract.get_absolute_url(),
            kind="award.contract",
        )
    return contract
