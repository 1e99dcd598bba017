"""The code-of-conduct evidence table of a contract's prime (SUP-3), on a hand-made contract:
one prime, two sub-contractors, a year of referrals, invoices and terms, every figure worked
out by hand below."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning.contracts.models import ContractParty
from commissioning.delivery_checks.code_of_conduct import Principle, evidence_for
from commissioning.invoices import services as invoice_services
from commissioning_analytics.payments.loader import example_document
from tests.factories import client_for
from tests.invoice_factories import invoice
from tests.referral_factories import ReferralSetting, refer, referral_setting

pytestmark = pytest.mark.django_db
TODAY = date(2026, 4, 10)  # the one-year contract ended on 31 March 2026: four complete quarters


def _mechanism() -> dict:  # type: ignore[type-arg]
    """The illustrative supply chain, with no outcome payments (all the money at risk is the
    service fee's 10% withheld: £60,000 a year) and hand-made terms: the housing charity 30% of
    the service fee, half of its share of the risk, a 12% management fee; the women's centre
    15%, no risk, no management fee; both paid within 30 days."""
    document = copy.deepcopy(example_document("illustrative-supply-chain"))
    document["outcome_payments"] = []
    document["supply_chain"] = [
        {
            "subcontractor": "housing-charity",
            "service_fee_share": "0.30",
            "management_fee": "0.12",
            "at_risk_share": "0.5",
            "payment_terms_days": 30,
        },
        {
            "subcontractor": "womens-centre",
            "service_fee_share": "0.15",
            "management_fee": "0",
            "at_risk_share": "0",
            "payment_terms_days": 30,
        },
    ]
    return document


@pytest.fixture
def setting() -> ReferralSetting:
    """Promised a year: the housing charity 100 referrals, the women's centre 50. Received:
    the housing charity 20 in each of the first two quarters and none after (40); the women's
    centre 13, 12, 13, 12 (50). The housing charity's invoice is paid 45 days after it arrived;
    the women's centre's is disputed, resolved on 10 July and paid 20 days later."""
    s = referral_setting(
        start_date=date(2025, 4, 1),
        end_date=date(2026, 3, 31),
        mechanism=_mechanism(),
        observed=None,
    )
    ContractParty.objects.filter(pk=s.housing_party.pk).update(
        promised_referrals_per_year=100, promised_value_per_year=None
    )
    ContractParty.objects.filter(pk=s.womens_party.pk).update(
        promised_referrals_per_year=50, promised_value_per_year=None
    )
    days = [date(2025, 5, 10), date(2025, 8, 10), date(2025, 11, 10), date(2026, 2, 10)]
    for quarter, count in ((0, 20), (1, 20)):
        for i in range(count):
            refer(
                s,
                party=s.housing_party,
                case_reference=f"H{quarter}{i:05d}",
                referred_on=days[quarter],
            )
    for quarter, count in enumerate((13, 12, 13, 12)):
        for i in range(count):
            refer(
                s,
                party=s.womens_party,
                case_reference=f"W{quarter}{i:05d}",
                referred_on=days[quarter],
            )
    late = invoice(s.housing, s.contract, "housing-charity", "H-1", date(2025, 7, 1), "9000.00")
    invoice_services.record_payment(
        s.prime, late, amount=Decimal("9000.00"), paid_on=date(2025, 8, 15), today=TODAY
    )
    disputed = invoice(s.womens, s.contract, "womens-centre", "W-1", date(2025, 7, 1), "4500.00")
    disputed = invoice_services.dispute(
        s.prime, disputed, reason="Two sessions billed twice", disputed_on=date(2025, 7, 3),
        today=TODAY,
    )  # fmt: skip
    disputed = invoice_services.resolve(
        s.prime, disputed, resolution="Credit note agreed", resolved_on=date(2025, 7, 10),
        today=TODAY,
    )  # fmt: skip
    invoice_services.record_payment(
        s.prime, disputed, amount=Decimal("4500.00"), paid_on=date(2025, 7, 30), today=TODAY
    )
    return s


def test_the_evidence_table_has_the_hand_figures(setting: ReferralSetting) -> None:
    table = evidence_for(setting.contract, TODAY)
    housing, womens = table.subcontractors
    assert (housing.party_id, womens.party_id) == ("housing-charity", "womens-centre")

    # Supply chain design: referrals received against the promise of the four quarters.
    assert (housing.referrals_promised, housing.referrals_received) == (Decimal(100), 40)
    assert housing.referrals_received_percent == Decimal("40.0")
    # The promises check flags it: 0 of the 50 promised over the last two quarters.
    assert housing.referrals_flagged is True
    assert (womens.referrals_promised, womens.referrals_received) == (Decimal(50), 50)
    assert womens.referrals_received_percent == Decimal("100.0")
    assert womens.referrals_flagged is False

    # Conduct: 45 days against 30-day terms, late; 20 days after the dispute was resolved.
    assert (housing.invoices_paid, housing.average_days_to_pay, housing.terms_days) == (
        1, Decimal("45.0"), 30,
    )  # fmt: skip
    assert (housing.paid_within_terms, housing.paid_within_terms_percent) == (0, Decimal("0.0"))
    assert (womens.invoices_paid, womens.average_days_to_pay, womens.terms_days) == (
        1, Decimal("20.0"), 30,
    )  # fmt: skip
    assert (womens.paid_within_terms, womens.paid_within_terms_percent) == (1, Decimal("100.0"))

    # Commitment: the housing charity's service fee a year is 30% of £600,000 = £180,000; the
    # prime keeps 12% of it, £21,600. At risk: £60,000 × 30% × 50% × (1 − 12%) = £7,920, of
    # its £250,000 income 3.168% → 3.2%.
    assert housing.management_fee_percent == Decimal("12.0")
    assert housing.management_fee == Decimal("21600.00")
    assert housing.at_risk == Decimal("7920.00")
    assert housing.annual_income == Decimal("250000.00")
    assert housing.at_risk_of_income_percent == Decimal("3.2")
    assert womens.management_fee_percent == Decimal("0.0")
    assert womens.management_fee == Decimal("0.00")
    assert womens.at_risk == Decimal("0.00")
    assert womens.at_risk_of_income_percent == Decimal("0.0")

    # Review: the women's centre's one invoice dispute, resolved.
    assert (housing.invoice_disputes, housing.invoice_disputes_resolved) == (0, 0)
    assert (womens.invoice_disputes, womens.invoice_disputes_resolved) == (1, 1)
    assert womens.return_lines_disputed == 0

    # In total: 90 of 150 referrals (60.0%); 2 invoices paid in (45 + 20) / 2 = 32.5 days on
    # average, 1 of them within terms (50.0%); management fees £21,600, of the chain's value
    # (the £600,000 contract) 3.6%, as on its risk page; £7,920 at risk; 1 of 1 dispute
    # resolved.
    total = table.total
    assert (total.referrals_promised, total.referrals_received) == (Decimal(150), 90)
    assert total.referrals_received_percent == Decimal("60.0")
    assert (total.invoices_paid, total.average_days_to_pay) == (2, Decimal("32.5"))
    assert (total.paid_within_terms, total.paid_within_terms_percent) == (1, Decimal("50.0"))
    assert total.management_fee == Decimal("21600.00")
    assert total.management_fee_percent == Decimal("3.6")
    assert total.at_risk == Decimal("7920.00")
    assert (total.invoice_disputes, total.invoice_disputes_resolved) == (1, 1)

    # Each criterion names the principle it evidences, in the Standard's order.
    assert [c.principle for c in housing.criteria] == [
        Principle.DESIGN, Principle.COMMITMENT, Principle.COMMITMENT, Principle.CONDUCT,
        Principle.REVIEW, Principle.REVIEW,
    ]  # fmt: skip
    assert [c.figure for c in housing.criteria] == [
        "40%", "12%", "3.2%", "0%", "0 of 0 resolved", "0 of 0 resolved",
    ]  # fmt: skip
    # The chain's table ends with the mediations and the prime's survey (none published yet).
    assert [c.figure for c in total.criteria] == [
        "60%", "3.6%", "£7,920.00", "50%", "1 of 1 resolved", "0 of 0 resolved", "None published",
    ]  # fmt: skip
    assert housing.criteria[3].statement == (
        "The prime took 45.0 days on average to pay 1 invoice from Local housing charity "
        f"{setting.contract.reference}; 0 of them within the 30-day terms."
    )


def test_the_section_shows_the_figures_to_the_commissioners_and_the_prime(
    setting: ReferralSetting,
) -> None:
    url = reverse("delivery_checks:code_of_conduct", args=[setting.contract.reference])
    for user in (setting.commissioner, setting.prime):
        response = client_for(user).get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Code of conduct" in page
        assert "supply chain design, commitment, conduct and review" in page
        housing = page[page.index('id="conduct-table-housing-charity"') :]
        assert "received 40 of the 100 referrals promised" in housing
        assert "45.0 days on average to pay 1 invoice" in housing
        assert "12% of Local housing charity" in housing
        assert "£7,920.00 a year" in housing
        assert "3.2% of its annual income" in housing
        womens = page[page.index('id="conduct-table-womens-centre"') :]
        assert "received 50 of the 50 referrals promised" in womens
        assert "20.0 days on average" in womens
        assert "1 of 1 invoice dispute resolved" in womens
        total = page[page.index('id="conduct-table-total"') :]
        for figure in ("60%", "3.6%", "£7,920.00", "50%", "32.5 days", "1 of 1 resolved"):
            assert figure in total
        # The contract's other sections link to it for them.
        detail = client_for(user).get(setting.contract.get_absolute_url()).content.decode()
        assert url in detail


def test_an_outsider_sees_no_section(setting: ReferralSetting) -> None:
    url = reverse("delivery_checks:code_of_conduct", args=[setting.contract.reference])
    for user in (setting.outsider, setting.housing, None):
        assert client_for(user).get(url).status_code == 404
        detail = client_for(user).get(setting.contract.get_absolute_url()).content.decode()
        assert url not in detail
        assert "Code of conduct" not in detail
