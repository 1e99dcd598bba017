"""The share of delivery money reaching voluntary and community organisations (SUP-6; issue 14
item 3), on a hand table of payments: by area and nationally, each quarter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from commissioning_analytics.chain.vcs_share import NATIONAL, ChainPayment, vcs_shares


def pay(contract: str, payee: str, vcs: bool, to_prime: bool, prime: str, day: date, amount: str):  # type: ignore[no-untyped-def]
    return ChainPayment(contract, payee, vcs, to_prime, prime, day, Decimal(amount))


APRIL, JULY = date(2026, 4, 15), date(2026, 7, 15)
TABLE = [
    # Contract A in Kent and Essex: a private prime paid £100,000, passing £30,000 to a charity
    # and £10,000 to a private sub: the charity's 30,000 of 100,000 is VCS.
    pay("A", "prime-a", False, True, "prime-a", APRIL, "100000"),
    pay("A", "charity", True, False, "prime-a", APRIL, "30000"),
    pay("A", "firm", False, False, "prime-a", APRIL, "10000"),
    # Contract B in Kent: a social-enterprise prime paid £50,000, passing £20,000 to the charity:
    # all 50,000 is VCS.
    pay("B", "prime-b", True, True, "prime-b", APRIL, "50000"),
    pay("B", "charity", True, False, "prime-b", APRIL, "20000"),
    # Next quarter, contract A: the prime pays the charity £5,000 for earlier work, unpaid itself.
    pay("A", "charity", True, False, "prime-a", JULY, "5000"),
]
AREAS = {"A": ("Essex", "Kent"), "B": ("Kent",)}


def test_the_hand_table_gives_the_hand_figures() -> None:
    rows = {(r.quarter_start, r.area): r for r in vcs_shares(TABLE, AREAS)}
    national = rows[(date(2026, 4, 1), NATIONAL)]
    assert (national.delivery_money, national.vcs_money) == (Decimal(150000), Decimal(80000))
    assert national.share == Decimal("53.3")
    assert (national.organisations, national.vcs_organisations) == (4, 2)
    kent = rows[(date(2026, 4, 1), "Kent")]
    assert (kent.delivery_money, kent.vcs_money, kent.share) == (150000, 80000, Decimal("53.3"))
    essex = rows[(date(2026, 4, 1), "Essex")]
    assert (essex.delivery_money, essex.vcs_money, essex.share) == (100000, 30000, Decimal("30.0"))
    july = rows[(date(2026, 7, 1), NATIONAL)]
    # The prime passed on £5,000 it was not paid that quarter: it kept −£5,000, the charity
    # £5,000; no delivery money was paid, so there is no share.
    assert (july.delivery_money, july.vcs_money, july.share) == (0, 5000, None)
    assert [(r.quarter_start.month, r.area) for r in vcs_shares(TABLE, AREAS)] == [
        (4, NATIONAL),
        (4, "Essex"),
        (4, "Kent"),
        (7, NATIONAL),
        (7, "Essex"),
        (7, "Kent"),
    ]
