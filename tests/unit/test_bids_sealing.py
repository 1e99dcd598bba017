"""The sealing module of sealed bids (PRO-8, ADR 0006): round trip, tamper detection, wrong key,
context binding, key wrapping and the receipt digest."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning.bids import sealing


@given(st.binary(max_size=4096), st.text(max_size=50))
def test_round_trip(plaintext: bytes, context: str) -> None:
    key = sealing.generate_key()
    token = sealing.seal(key, plaintext, context)
    assert sealing.unseal(key, token, context) == plaintext


def test_the_token_does_not_contain_the_plaintext_and_never_repeats() -> None:
    key = sealing.generate_key()
    plaintext = b'{"price": "123456.78"}'
    first, second = (sealing.seal(key, plaintext, "bid:1:content") for _ in range(2))
    assert b"123456.78" not in first
    assert first != second  # a fresh nonce each time


@pytest.mark.parametrize("position", [0, 1, 13, -1])
def test_any_altered_byte_is_detected(position: int) -> None:
    key = sealing.generate_key()
    token = bytearray(sealing.seal(key, b"price 100000", "bid:1:content"))
    token[position] ^= 0x01
    with pytest.raises(sealing.SealingError):
        sealing.unseal(key, bytes(token), "bid:1:content")


def test_truncated_token_is_refused() -> None:
    key = sealing.generate_key()
    token = sealing.seal(key, b"x", "c")
    with pytest.raises(sealing.SealingError):
        sealing.unseal(key, token[:10], "c")


def test_wrong_key_is_refused() -> None:
    token = sealing.seal(sealing.generate_key(), b"secret", "bid:1:content")
    with pytest.raises(sealing.SealingError, match="integrity"):
        sealing.unseal(sealing.generate_key(), token, "bid:1:content")


def test_a_token_moved_to_another_bid_or_field_fails() -> None:
    key = sealing.generate_key()
    token = sealing.seal(key, b"answers", "bid:1:content")
    with pytest.raises(sealing.SealingError):
        sealing.unseal(key, token, "bid:2:content")


def test_data_key_wrapping_round_trip_and_wrong_kek() -> None:
    kek, data_key = sealing.generate_key(), sealing.generate_key()
    wrapped = sealing.wrap_key(kek, data_key, "opportunity:7")
    assert data_key not in wrapped
    assert sealing.unwrap_key(kek, wrapped, "opportunity:7") == data_key
    with pytest.raises(sealing.SealingError):
        sealing.unwrap_key(sealing.generate_key(), wrapped, "opportunity:7")
    with pytest.raises(sealing.SealingError):
        sealing.unwrap_key(kek, wrapped, "opportunity:8")


def test_key_encoding() -> None:
    key = sealing.generate_key()
    assert sealing.decode_key(sealing.encode_key(key)) == key
    with pytest.raises(sealing.SealingError, match="32 bytes"):
        sealing.decode_key(sealing.encode_key(b"short"))
    with pytest.raises(sealing.SealingError, match="base64"):
        sealing.decode_key("not base64 at all!")


def test_digest_is_sha256_of_length_prefixed_parts() -> None:
    parts = [b"abc", b"de"]
    expected = hashlib.sha256(
        (3).to_bytes(8, "big") + b"abc" + (2).to_bytes(8, "big") + b"de"
    ).hexdigest()
    assert sealing.digest(parts) == expected
    # Moving a byte between parts changes the digest (no concatenation ambiguity).
    assert sealing.digest([b"ab", b"cde"]) != sealing.digest(parts)
    assert len(sealing.digest([])) == 64
