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
from commissioning.referrals import services as referral_services
from commissioning.referrals.lifecycle import Status
from tests.factories import client_for
from tests.integration.test_contracts_recorded_statement import (
    TODAY,
    _started,
    recorded_setting,
)
from tests.referral_factories import ReferralSetting, refer

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


def test_a_step_of_an_existing_referral_recomputes_the_statement(
    setting: ReferralSetting,
) -> None:
    """No new referral, only a step of one already counted: the key is read from the referrals
    alone, so this proves a step changes it (the step saves its referral)."""
    accepted = refer(setting, case_reference="CASE-77", referred_on=date(2026, 4, 20))
    referral_services.move(
        setting.housing, accepted, Status.ACCEPTED, happened_on=date(2026, 4, 20), today=TODAY
    )
    with mock.patch.object(services, "calculate", wraps=services.calculate) as calculate:
        assert "2 start × £250.00" in _page(setting)
        referral_services.move(
            setting.housing, accepted, Status.STARTED, happened_on=date(2026, 5, 20), today=TODAY
        )
        html = _page(setting)
    assert calculate.call_count == 2
    assert "3 start × £250.00" in html and "£750.00" in html


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
