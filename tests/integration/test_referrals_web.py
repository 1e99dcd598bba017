"""The referral pages (REF-1): refer from the contract, the contract's referrals section (counts
for the public, the referrals for those involved), the referral page's next steps, and who is
refused (404 for outsiders, 403 for a step that is not theirs)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from commissioning.referrals import characteristics, services
from commissioning.referrals.lifecycle import Status
from commissioning.referrals.models import Referral
from tests.factories import client_for
from tests.referral_factories import refer, referral_setting

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def test_probation_refers_from_the_contract_and_nothing_personal_is_kept() -> None:
    setting = referral_setting()
    client = client_for(setting.probation)
    url = reverse("referrals:refer", args=[setting.contract.reference])
    page = client.get(url)
    assert page.status_code == 200
    assert "Do not enter a name or a date of birth" in page.text
    key = re.search(r'name="submission_key" value="([^"]+)"', page.text)
    assert key is not None
    data = {
        "referrer": str(setting.contract.commissioning_body.pk),
        "party": str(setting.womens_party.pk),
        "case_reference": "N123456",
        "need_group": "high-need",
        "submission_key": key.group(1),
        "sex": "female",
        "age": characteristics.PREFER_NOT_TO_SAY,
        **_date("referred_on", date(2026, 6, 1)),
    }
    response = client.post(url, data)
    assert response.status_code == 302
    client.post(url, data)  # a repeated submit makes nothing new
    referral = Referral.objects.get()
    assert response["Location"] == referral.get_absolute_url()
    assert referral.provider == setting.womens_party.organisation
    assert referral.need_group == "high-need"
    assert referral.characteristics == {"age": "prefer-not-to-say", "sex": "female"}
    assert "N123456" not in str(Referral.objects.values().get())


def test_a_refused_referral_names_the_fields_and_stores_nothing() -> None:
    setting = referral_setting()
    url = reverse("referrals:refer", args=[setting.contract.reference])
    response = client_for(setting.probation).post(
        url,
        {
            "referrer": str(setting.contract.commissioning_body.pk),
            "party": str(setting.womens_party.pk),
            "case_reference": "Jane Smith 1/2/1980",
            "need_group": "standard",
            **_date("referred_on", date(2030, 1, 1)),
        },
    )
    assert response.status_code == 200
    assert response.text.count("govuk-error-message") == 2
    assert "never the person&#x27;s name" in response.text
    assert "The date of the referral must be today or in the past" in response.text
    assert not Referral.objects.exists()


def test_only_referrers_see_the_refer_page() -> None:
    setting = referral_setting()
    url = reverse("referrals:refer", args=[setting.contract.reference])
    assert client_for(setting.housing).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302  # sign in first


def test_the_receiver_accepts_starts_and_completes_on_the_referral_page() -> None:
    setting = referral_setting()
    referral = refer(setting)
    client = client_for(setting.housing)
    page = client.get(referral.get_absolute_url())
    assert "Accept the referral" in page.text and "Withdraw the referral" not in page.text
    for verb, day in (
        ("accept", date(2026, 6, 2)),
        ("start", date(2026, 6, 3)),
        ("engage", date(2026, 7, 1)),
        ("complete", date(2026, 9, 1)),
    ):
        url = reverse("referrals:step", args=[referral.reference, verb])
        assert client.post(url, _date(f"{verb}-happened_on", day)).status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.status_on) == (Status.COMPLETED, date(2026, 9, 1))


def test_a_step_dated_before_the_last_is_refused_on_the_page() -> None:
    setting = referral_setting()
    referral = refer(setting)
    url = reverse("referrals:step", args=[referral.reference, "accept"])
    response = client_for(setting.housing).post(url, _date("accept-happened_on", date(2026, 5, 1)))
    assert response.status_code == 400
    assert "must be on or after 1 June 2026" in response.text
    referral.refresh_from_db()
    assert referral.status == Status.REFERRED


def test_outsiders_get_404_and_others_403_for_a_step_not_theirs() -> None:
    setting = referral_setting()
    referral = refer(setting)
    for user in (setting.outsider, setting.womens):
        assert client_for(user).get(referral.get_absolute_url()).status_code == 404
    accept = reverse("referrals:step", args=[referral.reference, "accept"])
    assert client_for(setting.outsider).post(accept, {}).status_code == 404
    for user in (setting.prime, setting.commissioner, setting.probation):
        assert client_for(user).get(referral.get_absolute_url()).status_code == 200
        assert (
            client_for(user).post(accept, _date("accept-happened_on", date(2026, 6, 2))).status_code
            == 403
        )
    referral.refresh_from_db()
    assert referral.status == Status.REFERRED


def test_the_public_sees_counts_only_and_small_counts_are_suppressed() -> None:
    setting = referral_setting()
    for number in range(7):
        sex = {5: {"sex": "male"}, 6: {}}.get(number, {"sex": "female"})
        referral = refer(setting, case_reference=f"X{number}", characteristics=sex)
        if number < 3:
            services.move(setting.housing, referral, "accepted", happened_on=date(2026, 7, 2))
    response = client_for(None).get(
        reverse("referrals:contract", args=[setting.contract.reference])
    )
    assert response.status_code == 200
    text = response.text
    assert referral.reference not in text and "RF-" not in text
    housing = text[text.index(f'id="counts-{setting.housing_party.organisation.slug}"') :]
    housing = housing[: housing.index("</table>")]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", housing, re.S)
    cells = [re.findall(r"numeric\">(\d+)<", row) for row in rows[1:]]
    labels = [re.search(r"header\">([^<]+)", row).group(1).strip() for row in rows[1:]]
    assert labels[:2] == ["April to June 2026", "July to September 2026"]
    assert cells[0] == ["7", "0", "0", "0"]
    assert cells[1] == ["0", "3", "0", "0"]
    sex = text[text.index(">Sex<") : text.index(">Sexual orientation<")]
    shown = re.findall(r'header">([^<]+)</th>\s*<td[^>]*>([^<]+)<', sex)
    assert shown == [
        ("Female", "5"),
        ("Male", "fewer than 5"),
        ("Prefer not to say", "0"),
        ("Not recorded", "fewer than 5"),
    ]


def test_the_contract_page_lists_referrals_for_those_involved_with_filters() -> None:
    setting = referral_setting()
    to_housing = refer(setting, case_reference="A1")
    to_womens = refer(setting, case_reference="A2", party=setting.womens_party)
    url = reverse("referrals:contract", args=[setting.contract.reference])
    prime = client_for(setting.prime).get(url).text
    assert to_housing.reference in prime and to_womens.reference in prime
    housing = client_for(setting.housing).get(url).text
    assert to_housing.reference in housing and to_womens.reference not in housing
    filtered = (
        client_for(setting.prime)
        .get(url, {"provider": setting.womens_party.organisation.slug})
        .text
    )
    assert to_womens.reference in filtered and to_housing.reference not in filtered


def test_referrals_for_your_organisation_lists_those_waiting_first() -> None:
    setting = referral_setting()
    done = refer(setting, case_reference="B1", referred_on=date(2026, 6, 10))
    services.move(setting.housing, done, "declined", happened_on=date(2026, 6, 11), reason="Full")
    waiting = refer(setting, case_reference="B2", referred_on=date(2026, 6, 1))
    text = client_for(setting.housing).get(reverse("referrals:mine")).text
    assert "1 referral waiting for your decision" in text
    assert text.index(waiting.reference) < text.index(done.reference)


def test_the_contract_referral_list_takes_as_many_queries_for_thirty_referrals_as_for_one() -> None:
    """REF-1 (issue 14, Speed): the referral list a prime's member sees does no query per
    referral, per event or per characteristic: the count stays flat as the rows grow."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    setting = referral_setting()
    client = client_for(setting.prime)
    url = reverse("referrals:contract", args=[setting.contract.reference])
    refer(setting)

    def queries() -> int:
        cache.clear()  # the public counts are cached: count the queries that compute them
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries)

    queries()  # the session on first use
    one = queries()
    for n in range(29):
        party = setting.womens_party if n % 2 else setting.housing_party
        answers = {"sex": "female"} if n % 3 else {"sex": characteristics.PREFER_NOT_TO_SAY}
        refer(setting, party=party, case_reference=f"X{200000 + n}", characteristics=answers)
    assert Referral.objects.filter(contract=setting.contract).count() == 30
    assert queries() == one
