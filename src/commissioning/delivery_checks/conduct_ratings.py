"""The independent reviewer's rating of a prime against the code of conduct (SUP-3): recorded
with its reasons and an audit record in one transaction, published at once, never edited; the
latest rating of each contract is what the contract page, the prime's profile and the evaluators
of the prime's next bids (EVA-3) read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit import services as audit
from commissioning.contracts.models import Contract
from commissioning.delivery_checks import access
from commissioning.delivery_checks.code_of_conduct import Principle
from commissioning.delivery_checks.models import CodeOfConductRating, ConductLevel, PrincipleRating
from commissioning.directory.models import Organisation


@dataclass(frozen=True)
class PrincipleJudgement:
    level: str
    reasons: str


def field_prefix(principle: Principle) -> str:
    """The form and error key of a principle: ``supply_chain_design``, ``commitment``…"""
    return principle.value.lower().replace(" ", "_")


def _check(
    contract: Contract,
    assessed_on: date | None,
    summary: str,
    judgements: Mapping[Principle, PrincipleJudgement],
) -> None:
    errors: dict[str, str] = {}
    if assessed_on is None:
        errors["assessed_on"] = "Enter the date of the assessment"
    elif assessed_on > timezone.localdate():
        errors["assessed_on"] = "The date of the assessment must be today or in the past"
    else:
        latest = latest_rating(contract)
        if latest is not None and assessed_on < latest.assessed_on:
            errors["assessed_on"] = (
                "The date of the assessment must be on or after "
                f"{latest.assessed_on:%-d %B %Y}, the date of the published rating it replaces"
            )
    for principle in Principle:
        key = field_prefix(principle)
        judgement = judgements.get(principle)
        if judgement is None or judgement.level not in ConductLevel.values:
            errors[f"{key}_level"] = f"Choose how far the prime meets {principle.value.lower()}"
        if judgement is None or not judgement.reasons.strip():
            errors[f"{key}_reasons"] = (
                f"Give the reasons for the rating of {principle.value.lower()}"
            )
    if not summary.strip():
        errors["summary"] = "Enter the overall summary"
    if errors:
        raise ValidationError(errors)


def record_rating(
    actor: User,
    contract: Contract,
    *,
    assessed_on: date | None,
    summary: str,
    judgements: Mapping[Principle, PrincipleJudgement],
) -> CodeOfConductRating:
    """Publish the reviewer's rating of ``contract``'s prime, superseding any earlier one.
    Refused (``PermissionDenied``) to anyone but the independent reviewer; refused whole
    (``ValidationError`` naming each field) if any principle lacks a level or reasons."""
    if not access.can_rate_code_of_conduct(actor, contract):
        raise PermissionDenied("Only the independent reviewer rates a prime's code of conduct")
    with transaction.atomic():
        Contract.objects.select_for_update().filter(pk=contract.pk).first()
        _check(contract, assessed_on, summary, judgements)
        assert assessed_on is not None
        rating = CodeOfConductRating.objects.create(
            contract=contract,
            assessed_on=assessed_on,
            summary=summary.strip(),
            recorded_by=actor,
        )
        PrincipleRating.objects.bulk_create(
            PrincipleRating(
                rating=rating,
                principle=principle.value,
                level=judgements[principle].level,
                reasons=judgements[principle].reasons.strip(),
            )
            for principle in Principle
        )
        audit.record(
            actor,
            "code_of_conduct.rated",
            rating,
            {
                "contract": contract.reference,
                "assessed_on": assessed_on.isoformat(),
                **{p.value: judgements[p].level for p in Principle},
            },
        )
    return rating


def latest_rating(contract: Contract) -> CodeOfConductRating | None:
    """The contract's published rating in force: the latest assessed (the latest recorded on a
    tie)."""
    return (
        CodeOfConductRating.objects.filter(contract=contract)
        .prefetch_related("principles")
        .order_by("-assessed_on", "-pk")
        .first()
    )


def history(contract: Contract) -> list[CodeOfConductRating]:
    """Every rating of the contract, newest first: the first is in force, the rest superseded."""
    return list(
        CodeOfConductRating.objects.filter(contract=contract)
        .prefetch_related("principles")
        .order_by("-assessed_on", "-pk")
    )


def latest_for_prime(prime: Organisation) -> list[CodeOfConductRating]:
    """The rating in force on each of ``prime``'s rated contracts, the latest assessed first:
    its track record of working fairly with its supply chain."""
    newest: dict[int, CodeOfConductRating] = {}
    ratings = (
        CodeOfConductRating.objects.filter(contract__prime=prime)
        .select_related("contract")
        .prefetch_related("principles")
        .order_by("-assessed_on", "-pk")
    )
    for rating in ratings:
        newest.setdefault(rating.contract_id, rating)
    return list(newest.values())
