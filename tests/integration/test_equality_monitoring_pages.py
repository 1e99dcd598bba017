"""Equality monitoring pages (EQU-2): a contract's section and its commissioning body's page
show acceptance and engagement by protected characteristic with Wilson 95% intervals, mark a
group served differently from the rest, suppress small numbers, and give the same as CSV to
everyone, signed in or not."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date

import pytest
from django.urls import reverse

from commissioning.referrals import services
from tests.factories import client_for
from tests.referral_factories import ReferralSetting, refer, referral_setting

pytestmark = pytest.mark.django_db

DAY = date(2026, 7, 2)


def _referrals(
    setting: ReferralSetting,
    sex: str,
    count: int,
    *,
    accepted: int = 0,
    engaged: int = 0,
    prefix: str = "",
) -> None:
    for number in range(count):
        referral = refer(
            setting, case_reference=f"{prefix}{sex}{number}", characteristics={"sex": sex}
        )
        steps = ["accepted"] * (number < accepted) + ["started", "engaged"] * (number < engaged)
        for step in steps:
            referral = services.move(setting.housing, referral, step, happened_on=DAY)


def _sex_rows(text: str) -> list[list[str]]:
    table = text[text.index('id="equality-sex"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)
    return [
        [
            html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows[1:]
    ]


def test_a_contract_shows_rates_intervals_and_a_disparity_and_its_body_suppresses() -> None:
    setting = referral_setting()
    # 10 women, none accepted; 10 men, all accepted and 5 engaged.
    _referrals(setting, "female", 10)
    _referrals(setting, "male", 10, accepted=10, engaged=5)
    url = reverse("referrals:equality", args=[setting.contract.reference])
    response = client_for(None).get(url)
    assert response.status_code == 200
    text = response.text
    assert "RF-" not in text
    # Wilson by hand: 0 of 10 → 0% to 27.8%; 10 of 10 → 72.2% to 100%: no overlap. Engaged
    # 5 of 10 → 23.7% to 76.3% overlaps the women's 0% to 27.8%: not marked.
    assert _sex_rows(text) == [
        [
            "Female",
            "10",
            "0% (0% to 28%) Lower than everyone else’s",
            "0% (0% to 28%)",
            "0% (0% to 28%)",
        ],
        [
            "Male",
            "10",
            "100% (72% to 100%) Higher than everyone else’s",
            "50% (24% to 76%)",
            "0% (0% to 28%)",
        ],
        [
            "Prefer not to say",
            "0",
            "not shown (small numbers)",
            "not shown (small numbers)",
            "not shown (small numbers)",
        ],
        [
            "Not recorded",
            "0",
            "not shown (small numbers)",
            "not shown (small numbers)",
            "not shown (small numbers)",
        ],
    ]
    assert 'href="#equality-sex"' in text  # the summary names the characteristic
    assert (
        reverse("referrals:equality", args=[setting.contract.reference])
        in client_for(None)
        .get(reverse("referrals:contract", args=[setting.contract.reference]))
        .text
    )

    rows = list(
        csv.reader(
            io.StringIO(
                client_for(None)
                .get(reverse("referrals:equality_csv", args=[setting.contract.reference]))
                .text
            )
        )
    )
    assert rows[0][:4] == ["characteristic", "answer", "referrals", "accepted rate (95% interval)"]
    assert rows[[r[:2] for r in rows].index(["Sex", "Male"])][:5] == [
        "Sex",
        "Male",
        "10",
        "100% (72% to 100%)",
        "Higher than everyone else’s",
    ]

    # A second contract of the same body with 3 people who preferred not to say: together,
    # the 3 are "fewer than 5", the 10 women withheld, and no rate gives them away.
    other = referral_setting(commissioning_body=setting.contract.commissioning_body)
    _referrals(other, "prefer-not-to-say", 3, prefix="o")
    body = setting.contract.commissioning_body
    page = client_for(None).get(reverse("referrals:body_equality", args=[body.slug]))
    assert page.status_code == 200
    hidden = "not shown (small numbers)"
    assert _sex_rows(page.text) == [
        ["Female", "withheld", hidden, hidden, hidden],
        # Nobody completed anywhere (the total says so): that share gives nothing away.
        ["Male", "10", hidden, hidden, "0% (0% to 28%)"],
        ["Prefer not to say", "fewer than 5", hidden, hidden, hidden],
        ["Not recorded", "0", hidden, hidden, hidden],
    ]
    assert "All referrals (23)" in page.text
    body_csv = client_for(None).get(reverse("referrals:body_equality_csv", args=[body.slug]))
    assert body_csv["Content-Type"].startswith("text/csv")
    assert "fewer than 5" in body_csv.text


def test_an_organisation_that_is_not_a_commissioning_body_has_no_page() -> None:
    setting = referral_setting()
    url = reverse("referrals:body_equality", args=[setting.contract.prime.slug])
    assert client_for(None).get(url).status_code == 404
