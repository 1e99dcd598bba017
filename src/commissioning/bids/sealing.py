"""Authenticated encryption for sealed bids (PRO-8, ADR 0006): framework-free.

AES-256-GCM with a fresh 96-bit nonce per message. Every sealed value is bound to a *context*
string (the associated data: which record and which field), so a ciphertext copied into another
bid, field or opportunity fails to open. Data keys are themselves sealed ("wrapped") with the
key-encryption key from the environment.

Token layout: ``VERSION (1 byte) || nonce (12 bytes) || ciphertext-and-tag``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = b"\x01"
NONCE_BYTES = 12
KEY_BYTES = 32
TAG_BYTES = 16


class SealingError(Exception):
    """A token could not be opened: tampered with, bound to another context, or the wrong key."""


def generate_key() -> bytes:
    """A new random 256-bit key."""
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def encode_key(key: bytes) -> str:
    """A key as URL-safe base64 text (how the key-encryption key is given in the environment)."""
    return base64.urlsafe_b64encode(key).decode("ascii")


def decode_key(text: str) -> bytes:
    """Parse a URL-safe base64 key; raise :class:`SealingError` unless it is exactly 32 bytes."""
    try:
        key = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError) as error:
        raise SealingError("The sealing key is not valid URL-safe base64.") from error
    if len(key) != KEY_BYTES:
        raise SealingError(f"The sealing key must be {KEY_BYTES} bytes, not {len(key)}.")
    return key


def seal(key: bytes, plaintext: bytes, context: str) -> bytes:
    """Encrypt and authenticate ``plaintext`` under ``key``, bound to ``context``."""
    nonce = os.urandom(NONCE_BYTES)
    return VERSION + nonce + AESGCM(key).encrypt(nonce, plaintext, context.encode("utf-8"))


def unseal(key: bytes, token: bytes, context: str) -> bytes:
    """Decrypt ``token``; raise :class:`SealingError` if it was altered, was sealed for another
    context, or ``key`` is not the key it was sealed with."""
    token = bytes(token)
    if len(token) < 1 + NONCE_BYTES + TAG_BYTES or token[:1] != VERSION:
        raise SealingError("This is not a sealed value this platform can open.")
    nonce, body = token[1 : 1 + NONCE_BYTES], token[1 + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, context.encode("utf-8"))
    except InvalidTag as error:
        raise SealingError(
            "The sealed value failed its integrity check (altered, misplaced or wrong key)."
        ) from error


def wrap_key(kek: bytes, data_key: bytes, context: str) -> bytes:
    """Seal a data key with the key-encryption key."""
    return seal(kek, data_key, f"data-key:{context}")


def unwrap_key(kek: bytes, wrapped: bytes, context: str) -> bytes:
    data_key = unseal(kek, wrapped, f"data-key:{context}")
    if len(data_key) != KEY_BYTES:
        raise SealingError("The unwrapped data key has the wrong length.")
    return data_key


def digest(parts: Iterable[bytes]) -> str:
    """SHA-256 over length-prefixed parts (so no two different lists of parts collide by
    concatenation), as 64 hex digits: the receipt's fingerprint of the sealed content."""
    sha = hashlib.sha256()
    for part in parts:
        part = bytes(part)
        sha.update(len(part).to_bytes(8, "big"))
        sha.update(part)
    return sha.hexdigest()
