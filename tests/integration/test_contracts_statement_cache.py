"""A contract's payment statement is computed once per state of the contract and its records and
served from the cache until either changes (PBR-1, REF-1; issue 14, speed): never stale, and
nothing in it depends on who asks.

The contract is test_contracts_recorded_statement's: a £250 fee per start, 3 starts recorded in
period 1 and 2 in period 2.
"""

from __future__ import annotations

import copy
from datetime import date
from unittest import mock

import pytest
from django.urls import reverse

from commissioning.contracts import services
from tests.factories import client_for
from tests.integration.test_contracts_recorded_statement import _started, recorded_setting
from tests.referral_factories import ReferralSetting

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting() -> ReferralSetting:
    return recorded_setting()


def _page(setting: ReferralSetting, user: object = None) -> str:
    url = reverse("contracts:statements", args=[setting.contract.reference])
    response = client_for(user).get(url)  # type: ignore[arg-type]
    assert response.status_code == 200
    return response.content.decode()


def test_the_statement_is_computed_once_for_two_requests(setting: ReferralSetting) -> None:
    with mock.patch.object(services, "calculate", wraps=services.calculate) as calculate:
        first = _page(setting, setting.prime)
        second = _page(setting, setting.housing)
    assert calculate.call_count == 1
    assert "£750.00" in first and "£500.00" in first
    assert "£750.00" in second and "£500.00" in second


def test_a_new_referral_step_recomputes_the_statement(setting: ReferralSetting) -> None:
    with mock.patch.object(services, "calculate", wraps=services.calculate) as calculate:
        assert "£500.00" in _page(setting)
        _started(setting, 50, date(2026, 4, 20), date(2026, 5, 20))  # a third start in period 2
        html = _page(setting)
    assert calculate.call_count == 2
    assert "3 start × £250.00" in html and "£750.00" in html  # period 2 now 3 × £250


def test_a_mechanism_change_recomputes_the_statement(setting: ReferralSetting) -> None:
    contract = setting.contract
    with mock.patch.object(services, "calculate", wraps=services.calculate) as calculate:
        assert "2 start × £250.00" in _page(setting)
        mechanism = copy.deepcopy(contract.mechanism)
        mechanism["volume_fees"][0]["tariff"] = "400.00"
        type(contract).objects.filter(pk=contract.pk).update(mechanism=mechanism)  # no save()
        html = _page(setting)
    assert calculate.call_count == 2
    assert "2 start × £400.00" in html and "£800.00" in html
    assert "£250.00" not in html


def test_the_cached_statement_carries_nothing_of_who_asked(setting: ReferralSetting) -> None:
    edit = reverse("contracts:edit", args=[setting.contract.reference])
    assert edit in _page(setting, setting.commissioner)  # cached while a commissioner looked
    for visitor in (setting.outsider, None):
        html = _page(setting, visitor)
        assert "£750.00" in html
        assert edit not in html
