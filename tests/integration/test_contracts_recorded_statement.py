"""The payment statement counts volume-fee events from the recorded referrals and takes outcome
results from the imported observed data (PBR-1, PBR-3, REF-1; issue 14).

A hand-made contract: three monthly periods from 1 April 2026 and a £250 fee per start paid by
the commissioner. Three referrals start in period 1 and two in period 2; one more started in
period 1 and was then withdrawn, and one started after the term: neither is paid for. The
import still says 99 starts in period 1 (typed in before referrals were recorded) and carries
the settled-accommodation results of period 3.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.cli import main
from commissioning.contracts import services
from commissioning.demo.contracts import load_demo_contracts
from commissioning.demo.invoices import load_demo_invoices
from commissioning.demo.referrals import load_demo_referrals
from commissioning.demo.services import load_market
from commissioning.invoices.models import Invoice
from commissioning.invoices.presentation import contract_money
from commissioning.referrals import services as referral_services
from commissioning.referrals.lifecycle import Status
from commissioning.referrals.models import Referral
from commissioning_analytics.market.synthetic import generate_market
from commissioning_analytics.payments.loader import example_document
from tests.integration.test_contracts_web import text_of
from tests.referral_factories import ReferralSetting, refer, referral_setting

pytestmark = pytest.mark.django_db

TARIFF = Decimal("250.00")
TODAY = date(2026, 8, 1)
DEMO_TODAY = date(2026, 12, 6)
STARTS_IN_PERIOD_1 = 3
STARTS_IN_PERIOD_2 = 2


def _documents() -> tuple[dict[str, Any], dict[str, Any]]:
    mechanism = copy.deepcopy(example_document("illustrative-supply-chain"))
    mechanism["term_periods"] = 3
    mechanism["volume_fees"] = [
        {"id": "start-fee", "event": "start", "payer": "pcc", "tariff": str(TARIFF)}
    ]
    observed = copy.deepcopy(example_document("illustrative-supply-chain.observed"))
    observed["periods"] = observed["periods"][:3]
    observed["periods"][0]["volumes"] = [{"event": "start", "count": 99}]
    return mechanism, observed


def _started(setting: ReferralSetting, n: int, referred: date, started: date) -> Referral:
    referral = refer(setting, case_reference=f"CASE-{n}", referred_on=referred)
    for step, day in ((Status.ACCEPTED, referred), (Status.STARTED, started)):
        referral_services.move(setting.housing, referral, step, happened_on=day, today=TODAY)
    return referral


@pytest.fixture
def setting() -> ReferralSetting:
    return recorded_setting()


def recorded_setting() -> ReferralSetting:
    """The contract of the module docstring, with its referrals recorded."""
    mechanism, observed = _documents()
    setting = referral_setting(mechanism=mechanism, observed=observed)
    n = 0
    for _ in range(STARTS_IN_PERIOD_1):
        n += 1
        _started(setting, n, date(2026, 4, 2), date(2026, 4, 10 + n))
    for _ in range(STARTS_IN_PERIOD_2):
        n += 1
        _started(setting, n, date(2026, 4, 20), date(2026, 5, 4 + n))
    withdrawn = _started(setting, 90, date(2026, 4, 3), date(2026, 4, 20))
    referral_services.move(
        setting.probation,
        withdrawn,
        Status.WITHDRAWN,
        happened_on=date(2026, 4, 25),
        reason="Recalled to custody",
        today=TODAY,
    )
    _started(setting, 91, date(2026, 6, 20), date(2026, 7, 10))  # after the term's last day
    return setting


def _volume_fees(lines: list[dict[str, Any]]) -> dict[int, str]:
    return {
        line["period"]: line["amount"] for line in lines if line["rule"] == "volume_fees.start-fee"
    }


def test_the_statement_pays_each_recorded_start_and_the_imported_outcomes(
    setting: ReferralSetting,
) -> None:
    computed = services.contract_statement(setting.contract)
    assert computed is not None
    fees = {
        line.period: line.amount
        for line in computed.statement.lines
        if line.rule == "volume_fees.start-fee"
    }
    # Hand-computed: 3 × £250 and 2 × £250; the import's 99 starts are replaced by the records.
    assert fees == {1: Decimal("750.00"), 2: Decimal("500.00")}
    assert computed.merged.recorded == ("start",)
    assert computed.merged.outside_term == 1
    housed = [
        line
        for line in computed.statement.lines
        if line.rule == "outcome_payments.housed" and line.payer == "pcc"
    ]
    # From the import: 25 standard × £300 + 12 high-need × £750 in period 3, paid to the prime.
    assert [(line.period, line.amount) for line in housed] == [(3, Decimal("16500.00"))]


def test_the_api_and_the_page_show_the_same_figures(setting: ReferralSetting) -> None:
    reference = setting.contract.reference
    body = Client().get(f"/api/contracts/{reference}/statement").json()
    statement = body["statement"]
    assert _volume_fees(statement["lines"]) == {1: "750.00", 2: "500.00"}
    assert statement["sources"]["recorded"] == ["start"]
    assert statement["sources"]["recorded_outside_term"] == 1
    first = statement["periods"][0]
    assert {
        "event": "start",
        "need_group": None,
        "count": 3,
        "source": "recorded",
        "delivered_by": {"housing-charity": 3},
    } in first["volumes"]
    assert statement["periods"][2]["outcome_results"] == 1

    page = Client().get(reverse("contracts:statements", args=[reference]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "3 start × £250.00" in html and "2 start × £250.00" in html
    assert "£750.00" in html and "£500.00" in html and "£16,500.00" in html
    assert "Recorded referrals" in html
    assert "Each start is counted from the recorded referrals" in html
    assert reverse("invoices:contract", args=[reference]) in html

    # Owed beside invoiced and paid: the prime's first two periods, none invoiced yet.
    owed = text_of(Client().get(reverse("invoices:contract", args=[reference])))
    assert "April £750.00 £0.00 £0.00" in owed and "May £500.00 £0.00 £0.00" in owed


def test_a_contract_without_recorded_referrals_keeps_its_imported_volumes() -> None:
    mechanism, observed = _documents()
    contract = referral_setting(mechanism=mechanism, observed=observed).contract
    computed = services.contract_statement(contract)
    assert computed is not None
    fees = [line.amount for line in computed.statement.lines if line.rule.startswith("volume")]
    assert fees == [99 * TARIFF]
    assert computed.merged.recorded == ()


def test_the_command_line_prints_the_same_statement(
    setting: ReferralSetting, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = setting.contract.reference
    assert main(["contracts", "statement", reference, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert _volume_fees(data["lines"]) == {1: "750.00", 2: "500.00"}
    assert data["sources"] == {
        "recorded": ["start"],
        "imported": [],
        "outcomes": "imported",
        "recorded_outside_term": 1,
    }
    assert main(["contracts", "statement", reference]) == 0
    text = capsys.readouterr().out
    assert "£750.00" in text and "3 start × £250.00" in text
    assert "Counted from the recorded referrals: start." in text
    assert main(["contracts", "statement", "CT-NONE"]) == 1
    assert "no contract CT-NONE" in capsys.readouterr().err


def test_the_demo_statements_invoices_and_referrals_agree() -> None:
    """The Work Programme-style demo contract pays per attachment: its statement counts them from
    the demo referrals, its imported job outcomes follow them, and its invoices claim what the
    statement says is owed."""
    load_market(generate_market(2026, 0.05), replace=False)
    contracts = load_demo_contracts(seed=2026)
    load_demo_referrals(seed=2026, today=DEMO_TODAY)
    load_demo_invoices(contracts, seed=2026, today=DEMO_TODAY)
    volume = next(c for c in contracts if c.mechanism.get("volume_fees"))
    volume.refresh_from_db()
    computed = services.contract_statement(volume)
    assert computed is not None and computed.merged.recorded == ("attachment",)
    assert volume.is_synthetic
    totals: dict[str, int] = {"attachment": 0, "job_outcome": 0}
    for period in computed.merged.observed.periods:
        for v in period.volumes:
            if v.event in totals:
                totals[v.event] += v.count
    assert 0 < totals["job_outcome"] < totals["attachment"]
    owed = contract_money(volume).owed
    invoices = Invoice.objects.filter(contract=volume)
    assert invoices.exists()
    for invoice in invoices:
        assert invoice.amount == owed[(invoice.issuer_party, invoice.period)]
