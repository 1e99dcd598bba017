"""A referral's personal data is kept for a set period after it ends, then erased with only the
counts kept (issue 13, REF-1): protected characteristics and the pseudonymous reference go, the
published equality counts stay the same, and each erasure is audited without the data."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import override_settings
from django.urls import reverse

from commissioning import cli
from commissioning.audit.models import AuditEvent
from commissioning.referrals import queries, services
from commissioning.referrals.models import Referral
from commissioning.referrals.retention import purge_expired_personal_data
from tests.factories import client_for
from tests.referral_factories import ReferralSetting, refer, referral_setting

pytestmark = pytest.mark.django_db

ANSWERS = {"age": "25-34", "disability": "yes"}


def _declined(setting: ReferralSetting, case: str, on: date) -> Referral:
    referral = refer(setting, case_reference=case, characteristics=ANSWERS)
    services.move(setting.housing, referral, "declined", happened_on=on, reason="No space")
    return Referral.objects.get(pk=referral.pk)


def _equality(setting: ReferralSetting) -> list[queries.EqualityRow]:
    return queries.equality_counts(Referral.objects.filter(contract=setting.contract))


@override_settings(REFERRAL_PERSONAL_DATA_RETENTION_DAYS=30)
def test_ended_referrals_lose_their_personal_data_after_the_period_and_the_counts_stay() -> None:
    setting = referral_setting()
    ended = [_declined(setting, f"X10000{n}", date(2026, 6, 2)) for n in range(5)]
    later = _declined(setting, "X200001", date(2026, 6, 20))
    still_open = refer(setting, case_reference="X300001", characteristics=ANSWERS)
    published = _equality(setting)
    assert ("25 to 34", 7) in published[0].answers

    assert purge_expired_personal_data(today=date(2026, 7, 1)) == 0  # 29 days after: kept
    assert purge_expired_personal_data(today=date(2026, 7, 2)) == 5

    for referral in ended:
        referral.refresh_from_db()
        assert (referral.characteristics, referral.person) == ({}, "")
        assert referral.personal_data_erased_on == date(2026, 7, 2)
        assert referral.status == "declined" and referral.need_group == "standard"
    for kept in (later, still_open):
        kept.refresh_from_db()
        assert kept.characteristics == ANSWERS and kept.person
    assert _equality(setting) == published

    events = AuditEvent.objects.filter(action="referral.personal_data_erase")
    assert sorted(e.target_id for e in events) == sorted(str(r.pk) for r in ended)
    stored = json.dumps([e.changes for e in events])
    assert "25-34" not in stored and "yes" not in stored
    assert all(r.person[:12] not in stored for r in [later, still_open])
    assert "erased 30 days after the referral ended" in stored
    assert purge_expired_personal_data(today=date(2026, 7, 2)) == 0  # once only


@override_settings(REFERRAL_PERSONAL_DATA_RETENTION_DAYS=0)
def test_the_daily_command_erases_and_says_how_many(capsys: pytest.CaptureFixture[str]) -> None:
    setting = referral_setting()
    ended = _declined(setting, "X400001", date(2026, 6, 2))

    assert cli.main(["referrals", "purge"]) == 0

    ended.refresh_from_db()
    assert ended.characteristics == {} and ended.personal_data_erased_on is not None
    printed = capsys.readouterr().out
    assert "Personal data erased from 1 referral (kept 0 days after a referral ends)" in printed


@override_settings(REFERRAL_PERSONAL_DATA_RETENTION_DAYS=400)
def test_the_refer_page_says_what_is_kept_for_how_long_and_why() -> None:
    setting = referral_setting()
    page = client_for(setting.probation).get(
        reverse("referrals:refer", args=[setting.contract.reference])
    )
    text = page.content.decode()
    assert "for 400 days after it ends" in text
    assert (
        "only the contract&#x27;s counts are kept" in text or "only the contract's counts" in text
    )
