"""A contract with a hand-made quarter of referrals and payments (SUP-1): July to September 2026.

Housing charity: 3 referred in the quarter, 2 started (one referred in June), 1 completed;
paid £500.00 in the quarter (£400.00 of the same invoice in June, another invoice paid in
October). Women's centre: no referrals; paid £1,250.50."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from commissioning.invoices import services as invoice_services
from commissioning.referrals import services as referral_services
from tests.referral_factories import ReferralSetting, refer, referral_setting

QUARTER = date(2026, 7, 1)
TODAY = date(2026, 11, 15)


def _invoice(user: object, setting: ReferralSetting, party: str, ref: str, day: date, amount: str):
    return invoice_services.record_invoice(
        user,
        setting.contract,
        invoice_services.InvoiceInput(party, ref, 1, Decimal(amount), day),
        today=TODAY,
    )


def _pay(setting: ReferralSetting, invoice: object, amount: str, day: date) -> None:
    invoice_services.record_payment(setting.prime, invoice, amount=amount, paid_on=day, today=TODAY)


def hand_quarter() -> ReferralSetting:
    setting = referral_setting()
    move = referral_services.move
    june = refer(setting, case_reference="A100001", referred_on=date(2026, 6, 1))
    move(setting.housing, june, "accepted", happened_on=date(2026, 6, 2), today=TODAY)
    move(setting.housing, june, "started", happened_on=date(2026, 7, 2), today=TODAY)
    move(setting.housing, june, "engaged", happened_on=date(2026, 8, 1), today=TODAY)
    move(setting.housing, june, "completed", happened_on=date(2026, 9, 1), today=TODAY)
    july = refer(setting, case_reference="A100002", referred_on=date(2026, 7, 5))
    move(setting.housing, july, "accepted", happened_on=date(2026, 7, 6), today=TODAY)
    move(setting.housing, july, "started", happened_on=date(2026, 8, 15), today=TODAY)
    refer(setting, case_reference="A100003", referred_on=date(2026, 8, 10))
    refer(setting, case_reference="A100004", referred_on=date(2026, 9, 30))
    refer(setting, case_reference="A100005", referred_on=date(2026, 10, 1))  # next quarter

    first = _invoice(setting.housing, setting, "housing-charity", "H-1", date(2026, 6, 20), "900")
    _pay(setting, first, "400.00", date(2026, 6, 30))
    _pay(setting, first, "500.00", date(2026, 7, 10))
    later = _invoice(setting.housing, setting, "housing-charity", "H-2", date(2026, 9, 1), "300")
    _pay(setting, later, "300.00", date(2026, 10, 2))
    womens = _invoice(setting.womens, setting, "womens-centre", "W-1", date(2026, 8, 1), "1250.50")
    _pay(setting, womens, "1250.50", date(2026, 9, 30))
    return setting
