"""KPIs whose data source is the platform's own records (LAW-4; issue 15 item 1): the figure the
platform computes for the period assessed is shown beside each rating and prefills the result,
on the page and through the API; the assessor still rates it. Every figure is worked out by
hand below, on the illustrative supply chain (1 April 2026 to 31 March 2028)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from commissioning.contracts import performance, performance_sources
from commissioning.contracts.models import Kpi, KpiRating
from commissioning.invoices import services as invoice_services
from commissioning.referrals import services as referral_services
from tests.factories import client_for
from tests.invoice_factories import invoice
from tests.referral_factories import ReferralSetting, refer, referral_setting

pytestmark = pytest.mark.django_db
TODAY = date(2026, 10, 10)
Q1 = (date(2026, 4, 1), date(2026, 6, 30))
SOURCES = (
    ("Referrals completed", Kpi.DataSource.REFERRALS_COMPLETED),
    ("Settled accommodation", Kpi.DataSource.OUTCOMES),
    ("Days to pay sub-contractors", Kpi.DataSource.PAYMENT_TIMES),
    ("Invoices paid within 30 days", Kpi.DataSource.PAID_WITHIN_30_DAYS),
    ("Service user panels", Kpi.DataSource.PROVIDER_RETURN),
)


@pytest.fixture
def setting() -> ReferralSetting:
    """Five referrals in April: three completed in June, one in July (after the first
    quarter), one still open. Sub-contractors' invoices: the housing charity's received 1 May,
    paid 21 May (20 days); the women's centre's received 10 May, paid 24 June (45 days); the
    housing charity's second received 1 June, paid 5 July (after the quarter)."""
    s = referral_setting()
    completed_on = [date(2026, 6, 10), date(2026, 6, 20), date(2026, 6, 30), date(2026, 7, 1)]
    for n in range(5):
        referral = refer(s, case_reference=f"K{n:06d}", referred_on=date(2026, 4, 2))
        if n < len(completed_on):
            for step, day in (
                ("accepted", date(2026, 4, 3)),
                ("started", date(2026, 4, 10)),
                ("engaged", date(2026, 4, 20)),
                ("completed", completed_on[n]),
            ):
                referral = referral_services.move(
                    s.housing, referral, step, happened_on=day, today=TODAY
                )
    for user, party, reference, received, paid in (
        (s.housing, "housing-charity", "H-1", date(2026, 5, 1), date(2026, 5, 21)),
        (s.womens, "womens-centre", "W-1", date(2026, 5, 10), date(2026, 6, 24)),
        (s.housing, "housing-charity", "H-2", date(2026, 6, 1), date(2026, 7, 5)),
    ):
        sent = invoice(user, s.contract, party, reference, received, "1000.00")
        invoice_services.record_payment(
            s.prime, sent, amount=Decimal("1000.00"), paid_on=paid, today=TODAY
        )
    for name, source in SOURCES:
        performance.save_kpi(
            s.commissioner,
            s.contract,
            name=name,
            measure=f"{name}, as recorded.",
            target="90%",
            frequency=Kpi.Frequency.QUARTERLY,
            data_source=source,
        )
    return s


def _kpi(s: ReferralSetting, name: str) -> Kpi:
    return s.contract.kpis.get(name=name)


def test_the_platform_computes_each_sources_figure_for_the_period(
    setting: ReferralSetting,
) -> None:
    figures = performance_sources.figures_for(setting.contract, *Q1)
    by_name = {kpi.name: figures.get(kpi.pk, "no source") for kpi in setting.contract.kpis.all()}
    assert by_name == {
        # 3 completed from 1 April to 30 June; the fourth completed on 1 July.
        "Referrals completed": "3 referrals completed",
        # The observed data's June period: 25 standard + 12 high-need of the q1 cohort of 80.
        "Settled accommodation": "In settled accommodation 3 months after release: 37 of 80 (q1)",
        # (20 + 45) / 2 = 32.5 days over the 2 invoices paid in the quarter.
        "Days to pay sub-contractors": "32.5 days on average, 2 invoices paid",
        # 1 of those 2 within 30 days: 50%.
        "Invoices paid within 30 days": "50% (1 of 2 invoices)",
        # The prime's own return: the platform has no figure.
        "Service user panels": "no source",
    }
    # Over the half year: 4 completed; 3 invoices, (20 + 45 + 34) / 3 = 33.0 days, 1 of 3
    # within 30 days = 33.3% (the second took 34); September adds its results.
    half = performance_sources.figures_for(setting.contract, date(2026, 4, 1), date(2026, 9, 30))
    assert half[_kpi(setting, "Referrals completed").pk] == "4 referrals completed"
    assert half[_kpi(setting, "Days to pay sub-contractors").pk] == (
        "33 days on average, 3 invoices paid"
    )
    assert half[_kpi(setting, "Invoices paid within 30 days").pk] == "33.3% (1 of 3 invoices)"
    assert half[_kpi(setting, "Settled accommodation").pk] == (
        "In settled accommodation 3 months after release: 37 of 80 (q1); "
        "In settled accommodation 3 months after release: 28 of 90 (q2); "
        "binary-reconviction: 41.5 against 45.0 (2025)"
    )
    # Nothing paid in a period: no figure for the invoices; none completed: 0.
    quiet = performance_sources.figures_for(setting.contract, date(2026, 8, 1), date(2026, 8, 31))
    assert quiet[_kpi(setting, "Days to pay sub-contractors").pk] is None
    assert quiet[_kpi(setting, "Referrals completed").pk] == "0 referrals completed"


@time_machine.travel(TODAY.isoformat() + " 12:00", tick=False)
def test_the_assessment_form_shows_the_figures_beside_the_ratings_prefilled(
    setting: ReferralSetting,
) -> None:
    url = reverse("contracts:assessment-add", args=[setting.contract.reference])
    client = client_for(setting.commissioner)
    page = client.get(url, {"period_start": "2026-04-01", "period_end": "2026-06-30"})
    assert page.status_code == 200
    html = page.content.decode()
    referrals = _kpi(setting, "Referrals completed")
    assert (
        "From this platform's records, 1 April 2026 to 30 June 2026: 3 referrals completed."
    ) in html
    assert f'name="result_{referrals.pk}" value="3 referrals completed"' in html
    paid = _kpi(setting, "Invoices paid within 30 days")
    assert f'name="result_{paid.pk}" value="50% (1 of 2 invoices)"' in html
    panels = _kpi(setting, "Service user panels")
    assert f'name="result_{panels.pk}" value=' not in html  # the assessor enters it

    # Without a period asked for, the form offers the first year to today and its figures.
    html = client.get(url).content.decode()
    assert "1 April 2026 to 10 October 2026: 4 referrals completed." in html
    assert 'name="period_start_0" value="1"' in html

    # The assessor keeps the figure or changes it, and rates it.
    data = {
        "period_start_0": "1", "period_start_1": "4", "period_start_2": "2026",
        "period_end_0": "30", "period_end_1": "6", "period_end_2": "2026",
    }  # fmt: skip
    for kpi in setting.contract.kpis.all():
        data[f"rating_{kpi.pk}"] = "good"
        data[f"result_{kpi.pk}"] = "3 referrals completed" if kpi == referrals else "4 panels"
    assert client.post(url, data).status_code == 302
    rating = KpiRating.objects.get(kpi=referrals)
    assert (rating.result, rating.rating) == ("3 referrals completed", "good")


@time_machine.travel(TODAY.isoformat() + " 12:00", tick=False)
def test_the_api_gives_the_figures_and_a_blank_result_is_the_platforms_figure(
    setting: ReferralSetting,
) -> None:
    reference = setting.contract.reference
    client = client_for(setting.commissioner)
    answer = client.get(
        f"/api/contracts/{reference}/kpi-figures",
        {"period_start": "2026-04-01", "period_end": "2026-06-30"},
    ).json()
    assert [(f["data_source"], f["figure"]) for f in answer["figures"]] == [
        ("referrals_completed", "3 referrals completed"),
        ("outcomes", "In settled accommodation 3 months after release: 37 of 80 (q1)"),
        ("payment_times", "32.5 days on average, 2 invoices paid"),
        ("paid_within_30_days", "50% (1 of 2 invoices)"),
    ]
    kpis = client.get(f"/api/contracts/{reference}/performance").json()["kpis"]
    assert [k["platform_figures"] for k in kpis] == [True, True, True, True, False]
    backwards = client.get(
        f"/api/contracts/{reference}/kpi-figures",
        {"period_start": "2026-06-30", "period_end": "2026-04-01"},
    )
    assert backwards.status_code == 400
    assert backwards.json()["errors"] == {
        "period_end": ["The end of the period must be after its start"]
    }

    ratings = [
        {"kpi": k["id"], "rating": "approaching"}
        if k["platform_figures"]
        else {"kpi": k["id"], "rating": "other", "result": "No panel held yet"}
        for k in kpis
    ]
    body = {"period_start": "2026-04-01", "period_end": "2026-06-30", "ratings": ratings}
    response = client.post(
        f"/api/contracts/{reference}/assessments", body, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    results = [r["result"] for r in response.json()["assessments"][0]["ratings"]]
    assert results == [
        "3 referrals completed",
        "In settled accommodation 3 months after release: 37 of 80 (q1)",
        "32.5 days on average, 2 invoices paid",
        "50% (1 of 2 invoices)",
        "No panel held yet",
    ]
    # A KPI with no platform figure still needs its result.
    ratings[-1] = {"kpi": kpis[-1]["id"], "rating": "other"}
    refused = client.post(
        f"/api/contracts/{reference}/assessments",
        {**body, "ratings": ratings},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        f"result_{kpis[-1]['id']}": ["Enter the result for Service user panels"]
    }


def test_sources_are_a_registry_of_known_data_sources() -> None:
    with pytest.raises(ValueError, match="'spreadsheet' is not a KPI data source"):
        performance_sources.register("spreadsheet", lambda contract, first, last: None)
    assert performance_sources.has_figure(Kpi.DataSource.REFERRALS_COMPLETED)
    assert not performance_sources.has_figure(Kpi.DataSource.OTHER)
