"""Rotating the bid-sealing key (PRO-8, issue 13 item 2): ``commissioning keys rotate`` re-wraps
every opportunity's data key under a new key-encryption key in one transaction. A bid sealed under
the old key opens after rotation with the new key, and no longer with the old key alone. Runs on
SQLite and on PostgreSQL (`make test` runs the suite on both)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine

from commissioning.bids import keys, opening, sealing, submission
from commissioning.bids.models import BidKey
from commissioning.cli import main
from tests.integration.test_bids_services import PRICE, START, Setting, bidding_setup, complete_bid
from tests.procurement_factories import open_opportunity

pytestmark = pytest.mark.django_db

OLD = sealing.generate_key()
NEW = sealing.generate_key()


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(START + timedelta(days=1), tick=False) as traveller:
        yield traveller


@pytest.fixture
def s(clock: Any, settings: Any) -> Setting:
    settings.BID_SEALING_KEY = sealing.encode_key(OLD)
    return bidding_setup()


def _key_file(tmp_path: Path, key: bytes) -> str:
    path = tmp_path / "new-key"
    path.write_text(sealing.encode_key(key) + "\n", encoding="ascii")
    return str(path)


def test_a_bid_sealed_under_the_old_key_opens_after_rotation_and_not_with_the_old_key(
    s: Setting, clock: Any, settings: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bid = complete_bid(s)
    submission.submit(s.prime, bid)
    bid.refresh_from_db()
    sealed_before = bytes(bid.sealed_content)
    assert sealed_before

    assert main(["keys", "rotate", "--new-key-file", _key_file(tmp_path, NEW)]) == 0
    assert "Re-wrapped the data keys of 1 opportunities" in capsys.readouterr().out

    bid.refresh_from_db()
    assert bytes(bid.sealed_content) == sealed_before  # bids are not re-encrypted
    stored = bytes(BidKey.objects.get(opportunity=s.opportunity).wrapped_key)
    with pytest.raises(sealing.SealingError):
        sealing.unwrap_key(OLD, stored, f"opportunity:{s.opportunity.pk}")

    clock.move_to(s.deadline + timedelta(hours=1))
    settings.BID_SEALING_KEY = sealing.encode_key(NEW)
    assert opening.open_bids(s.commissioner, s.opportunity) == 1
    view = opening.opened_bid(s.commissioner, bid)
    assert view.content.price == PRICE
    assert view.digest_matches_receipt

    settings.BID_SEALING_KEY = sealing.encode_key(OLD)
    with pytest.raises(sealing.SealingError):
        opening.opened_bid(s.commissioner, bid)


def test_check_says_whether_the_configured_key_opens_every_data_key(
    s: Setting, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    complete_bid(s)
    assert main(["keys", "check"]) == 0
    assert "opens the data keys of all 1 opportunities" in capsys.readouterr().out
    settings.BID_SEALING_KEY = sealing.encode_key(NEW)
    assert main(["keys", "check"]) == 1
    assert s.opportunity.reference in capsys.readouterr().err


def test_rotation_is_all_or_nothing(
    s: Setting, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One data key that does not open with the key in use: nothing is re-wrapped."""
    complete_bid(s)
    foreign = open_opportunity()
    BidKey.objects.create(
        opportunity=foreign,
        wrapped_key=sealing.wrap_key(NEW, sealing.generate_key(), f"opportunity:{foreign.pk}"),
    )
    before = {k.pk: bytes(k.wrapped_key) for k in BidKey.objects.all()}

    assert main(["keys", "rotate", "--new-key-file", _key_file(tmp_path, NEW)]) == 1
    err = capsys.readouterr().err
    assert f"opportunity {foreign.reference} does not open with the key in use" in err
    assert {k.pk: bytes(k.wrapped_key) for k in BidKey.objects.all()} == before
    assert keys.unreadable(OLD) == [foreign.reference]


def test_rotation_refuses_a_bad_or_unchanged_key(
    s: Setting, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    complete_bid(s)
    bad = tmp_path / "bad"
    bad.write_text("not a key", encoding="ascii")
    assert main(["keys", "rotate", "--new-key-file", str(bad)]) == 1
    assert "not valid URL-safe base64" in capsys.readouterr().err
    assert main(["keys", "rotate", "--new-key-file", _key_file(tmp_path, OLD)]) == 1
    assert "The new key is the key in use" in capsys.readouterr().err
    assert main(["keys", "rotate", "--new-key-file", str(tmp_path / "missing")]) == 1
    assert "cannot read the new key" in capsys.readouterr().err


def test_generate_prints_a_usable_new_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "generate"]) == 0
    first = capsys.readouterr().out.strip()
    assert main(["keys", "generate"]) == 0
    assert len(sealing.decode_key(first)) == 32
    assert capsys.readouterr().out.strip() != first
