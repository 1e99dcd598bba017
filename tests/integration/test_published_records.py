"""Issue 11 item 3 (PRO-3, PRO-9, LAW-1): published records are never deleted, by any code
path (``Model.delete()``, ``QuerySet.delete()``, cascades); only the demo loader removes the
synthetic records it made, and nothing else, even then."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.utils import timezone

from commissioning.audit.permanence import PermanentRecordError, replacing_synthetic_demo
from commissioning.awards.models import LotAward
from commissioning.contracts.models import Contract
from commissioning.engagement.models import Consultation
from commissioning.procurement.models import DateChange, Opportunity
from tests.contract_factories import ContractFactory
from tests.engagement_factories import ConsultationFactory
from tests.procurement_factories import DateChangeFactory, DraftOpportunityFactory, open_opportunity

pytestmark = pytest.mark.django_db


@contextmanager
def refused(match: str = "published records are never deleted") -> Iterator[None]:
    """The deletion raises; like any failed action its transaction (here a savepoint) is rolled
    back, so nothing is half-deleted."""
    with pytest.raises(PermanentRecordError, match=match), transaction.atomic():
        yield


def test_a_contract_is_never_deleted() -> None:
    contract = ContractFactory()
    with refused():
        contract.delete()
    with refused():
        Contract.objects.filter(pk=contract.pk).delete()
    assert Contract.objects.filter(pk=contract.pk).exists()


def test_a_published_opportunity_its_lots_and_change_log_are_never_deleted() -> None:
    opportunity = open_opportunity()
    change = DateChangeFactory(opportunity=opportunity)
    lot = opportunity.lots.first()
    assert lot is not None
    for attempt in (opportunity.delete, lot.delete, change.delete):
        with refused():
            attempt()
    assert Opportunity.objects.filter(pk=opportunity.pk).exists()
    assert opportunity.lots.count() == 2
    assert DateChange.objects.filter(pk=change.pk).exists()


def test_a_draft_is_not_yet_published_and_may_go() -> None:
    draft = DraftOpportunityFactory()
    draft.delete()
    assert not Opportunity.objects.filter(pk=draft.pk).exists()


def test_an_award_decision_is_never_deleted() -> None:
    opportunity = open_opportunity()
    lot = opportunity.lots.first()
    award = LotAward.objects.create(
        lot=lot, outcome=LotAward.Outcome.NO_AWARD, reasons="No bid", decided_at=timezone.now()
    )
    with refused("award decision"):
        LotAward.objects.filter(pk=award.pk).delete()
    assert LotAward.objects.filter(pk=award.pk).exists()


def test_a_published_consultation_is_never_deleted() -> None:
    consultation = ConsultationFactory(published_at=timezone.now())
    with refused("published consultation"):
        consultation.delete()
    assert Consultation.objects.filter(pk=consultation.pk).exists()


def test_the_demo_loader_replaces_only_synthetic_records() -> None:
    synthetic = ContractFactory(is_synthetic=True)
    real = ContractFactory()
    with replacing_synthetic_demo():
        synthetic.delete()
        with refused():
            real.delete()
    assert not Contract.objects.filter(pk=synthetic.pk).exists()
    assert Contract.objects.filter(pk=real.pk).exists()
    # and outside the loader, synthetic records are protected like any other
    other = ContractFactory(is_synthetic=True)
    with refused():
        other.delete()
