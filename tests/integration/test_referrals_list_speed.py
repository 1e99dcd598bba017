"""A contract's referral list stays cheap per request (REF-1; issue 14, speed): the referrals
are shown a page at a time, and the counts everyone sees are counted and rendered once per state
of the contract's referrals, never stale and never carrying who asked."""

from __future__ import annotations

import re
from datetime import date, timedelta
from unittest import mock

import pytest
from django.urls import reverse

from commissioning.referrals import queries, views
from tests.factories import client_for
from tests.referral_factories import ReferralSetting, refer, referral_setting

pytestmark = pytest.mark.django_db

FIRST_DAY = date(2026, 5, 1)
REFERRALS = 27  # one full page of 25 and two more


@pytest.fixture
def setting() -> ReferralSetting:
    return referral_setting()


def _listed(html: str) -> list[str]:
    return re.findall(r'href="/referrals/([^/"]+)/"', html)


def test_the_referral_list_is_paginated(setting: ReferralSetting) -> None:
    made = [
        refer(setting, case_reference=f"X{300000 + n}", referred_on=FIRST_DAY + timedelta(n))
        for n in range(REFERRALS)
    ]
    newest_first = [referral.reference for referral in reversed(made)]
    url = reverse("referrals:contract", args=[setting.contract.reference])
    client = client_for(setting.prime)
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert _listed(first) == newest_first[:25]
    assert _listed(second) == newest_first[25:]  # the two referred first
    for html in (first, second):
        assert "27 referrals" in html


def test_the_public_counts_are_counted_once_until_a_referral_changes(
    setting: ReferralSetting,
) -> None:
    refer(setting, case_reference="X400001")
    url = reverse("referrals:contract", args=[setting.contract.reference])
    with mock.patch.object(queries, "public_counts", wraps=queries.public_counts) as counted:
        first = client_for(setting.prime).get(url).content.decode()
        client_for(None).get(url)
        assert counted.call_count == 1
        refer(setting, case_reference="X400002")
        after = client_for(None).get(url).content.decode()
        assert counted.call_count == 2
    housing = setting.housing_party.organisation
    assert housing is not None
    assert _quarter_referred(first, housing.slug) == 1
    assert _quarter_referred(after, housing.slug) == 2


def _quarter_referred(html: str, slug: str) -> int:
    table = html.split(f'id="counts-{slug}"', 1)[1].split("</table>", 1)[0]
    found = re.search(r"April to June 2026.*?</th>\s*<td[^>]*>(\d+)</td>", table, re.S)
    assert found is not None
    return int(found.group(1))


def test_an_outsider_sees_the_cached_counts_but_never_the_referrals(
    setting: ReferralSetting,
) -> None:
    referral = refer(setting, case_reference="X400003")
    url = reverse("referrals:contract", args=[setting.contract.reference])
    assert referral.reference in client_for(setting.prime).get(url).content.decode()
    for visitor in (setting.outsider, None):
        response = client_for(visitor).get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Referrals by service and quarter" in html
        assert referral.reference not in html
        assert "The referrals you can see" not in html
        detail = client_for(visitor).get(referral.get_absolute_url())
        assert detail.status_code in (302, 403, 404)


def test_the_filter_form_is_rendered_once_until_its_choices_change(
    setting: ReferralSetting,
) -> None:
    refer(setting, case_reference="X500001")
    url = reverse("referrals:contract", args=[setting.contract.reference])
    housing = setting.housing_party.organisation
    with mock.patch.object(views, "render_crispy_form", wraps=views.render_crispy_form) as drawn:
        first = client_for(setting.prime).get(url).content.decode()
        again = client_for(setting.prime).get(url).content.decode()
        assert drawn.call_count == 1
        assert f'value="{housing.slug}">{housing.name}</option>' in first
        assert first.count('name="need_group"') == again.count('name="need_group"') == 1
        housing.name = "Renamed Housing Charity"
        housing.save()
        renamed = client_for(setting.prime).get(url).content.decode()
        assert drawn.call_count == 2
        assert f'value="{housing.slug}">Renamed Housing Charity</option>' in renamed
        filtered = client_for(setting.prime).get(url, {"status": "referred"}).content.decode()
        assert drawn.call_count == 2  # a filtered list shows the form as chosen, not the cache
        assert '<option value="referred" selected>' in filtered
