"""A quarter's referral events from a CSV file (REF-1): every row checked by the forms' rules,
errors naming the row and the column, and nothing stored from a file with any error — on the
page and on the command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commissioning.audit.models import AuditEvent
from commissioning.cli import main
from commissioning.referrals import imports
from commissioning.referrals.lifecycle import Status
from commissioning.referrals.models import Referral, ReferralEvent
from tests.factories import client_for
from tests.referral_factories import ReferralSetting, refer, referral_setting

pytestmark = pytest.mark.django_db


def _setting_with_two() -> tuple[ReferralSetting, Referral, Referral]:
    setting = referral_setting()
    first = refer(setting, case_reference="C1", referred_on=date(2026, 7, 1))
    second = refer(setting, case_reference="C2", referred_on=date(2026, 7, 2))
    return setting, first, second


def test_a_good_file_stores_every_event_in_order() -> None:
    setting, first, second = _setting_with_two()
    text = (
        "referral,action,happened_on,reason\n"
        f"{first.reference},accept,2026-07-03,\n"
        f"{first.reference},start,2026-07-10,\n"
        f"{second.reference},decline,2026-07-04,No places left this quarter\n"
    )
    result = imports.import_events(
        setting.housing, setting.housing_party.organisation, text.encode()
    )
    assert (result.stored, result.errors) == (3, [])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.STARTED, Status.DECLINED)
    assert ReferralEvent.objects.filter(source=ReferralEvent.Source.IMPORT).count() == 3
    assert AuditEvent.objects.filter(action="referral.import").count() == 1


def test_one_bad_row_stores_nothing_and_names_the_row_and_column() -> None:
    setting, first, second = _setting_with_two()
    text = (
        "referral,action,happened_on,reason\n"
        f"{first.reference},accept,2026-07-03,\n"
        f"{second.reference},accept,2026-06-30,\n"
        f"{first.reference},start,2026-07-10,\n"
    )
    result = imports.import_events(
        setting.housing, setting.housing_party.organisation, text.encode()
    )
    assert result.stored == 0
    assert [str(e) for e in result.errors] == [
        "Row 3, column happened_on: The date it happened must be on or after 2 July 2026, "
        "when the referral was referred"
    ]
    first.refresh_from_db()
    assert first.status == Status.REFERRED
    assert not ReferralEvent.objects.exclude(step=Status.REFERRED).exists()
    assert not AuditEvent.objects.filter(action="referral.accept").exists()


def test_every_kind_of_bad_row_is_named() -> None:
    setting, first, _ = _setting_with_two()
    other = refer(setting, case_reference="C3", party=setting.womens_party)
    text = (
        "referral,action,happened_on\n"
        f"{other.reference},accept,2026-07-03\n"
        f"{first.reference},fly,2026-07-03\n"
        f"{first.reference},accept,3/7/2026\n"
        f"{first.reference},withdraw,2026-07-03\n"
        f",accept,\n"
    )
    result = imports.import_events(
        setting.housing, setting.housing_party.organisation, text.encode()
    )
    name = setting.housing_party.organisation.name
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "referral"),
        (3, "action"),
        (4, "happened_on"),
        (5, "action"),
        (6, "referral"),
        (6, "happened_on"),
    ]
    assert (
        str(result.errors[0]) == f"Row 2, column referral: {name} has no referral {other.reference}"
    )
    assert result.stored == 0


def test_a_bad_header_is_named() -> None:
    setting = _setting_with_two()[0]
    result = imports.import_events(
        setting.housing, setting.housing_party.organisation, b"ref,what\nx,y\n"
    )
    assert [str(e) for e in result.errors] == [
        "Row 1: The header must name the columns referral, action, happened_on, reason: "
        "missing referral, action, happened_on; unknown ref, what"
    ]


def test_the_import_page_shows_the_rows_and_stores_nothing() -> None:
    setting, first, second = _setting_with_two()
    client = client_for(setting.housing)
    url = reverse("referrals:import")
    assert client.get(url).status_code == 200
    bad = (
        f"referral,action,happened_on,reason\n{first.reference},accept,2026-07-03,\n"
        f"{second.reference},decline,2026-07-03,\n"
    )
    response = client.post(
        url,
        {
            "organisation": str(setting.housing_party.organisation.pk),
            "file": SimpleUploadedFile("q3.csv", bad.encode(), content_type="text/csv"),
        },
    )
    assert response.status_code == 400
    assert "Row 3, column reason: Enter why the referral was declined" in response.text
    first.refresh_from_db()
    assert first.status == Status.REFERRED
    assert client_for(None).get(url).status_code == 302


def test_the_command_line_imports_for_an_organisation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    setting, first, second = _setting_with_two()
    slug = setting.housing_party.organisation.slug
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"referral,action,happened_on,reason\n{first.reference},accept,2026-07-03,\n"
        f"{second.reference},start,2026-07-03,\n"
    )
    assert main(["referrals", "import", str(bad), "--organisation", slug]) == 1
    assert "Row 3, column action: A referral that is referred cannot be started." in (
        capsys.readouterr().err
    )
    first.refresh_from_db()
    assert first.status == Status.REFERRED
    good = tmp_path / "good.csv"
    good.write_text(f"referral,action,happened_on,reason\n{first.reference},accept,2026-07-03,\n")
    assert main(["referrals", "import", str(good), "--organisation", slug]) == 0
    assert "1 referral events imported" in capsys.readouterr().out
    first.refresh_from_db()
    assert first.status == Status.ACCEPTED
    assert main(["referrals", "import", str(good), "--organisation", "nobody"]) == 1
