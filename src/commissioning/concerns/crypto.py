"""The cryptography of anonymous concerns (SUP-5), on libsodium through PyNaCl and Argon2.

* Each concern has a random 32-byte data key; its content, messages and files are secretbox
  ciphertexts under it.
* The data key is sealed (a libsodium sealed box) to every reviewer's public key, and wrapped
  (secretbox) under an Argon2id key derived from the reporter's receipt, so that the reporter
  with the receipt and any reviewer with their passphrase can read it, and nobody else.
* A reviewer's private key is secretbox-encrypted under an Argon2id key derived from their
  passphrase. Neither the passphrase nor the derived key is stored.
* The receipt is 16 random digits; it is kept only as an Argon2 hash (argon2-cffi). Its first
  four digits are a random lookup bucket stored in the clear; the other twelve are the secret.

Nothing here touches the database: :mod:`services` stores what these functions return.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from django.conf import settings
from nacl.public import PrivateKey, PublicKey, SealedBox

Stored = bytes | memoryview
"""What a BinaryField gives back: bytes, or a memoryview on PostgreSQL."""

RECEIPT_DIGITS = 16
LOOKUP_DIGITS = 4


class CannotOpen(Exception):
    """A wrong passphrase or receipt, or a ciphertext that is not ours."""


def _kdf_cost() -> tuple[int, int]:
    """Argon2id's (opslimit, memlimit): ``CONCERNS_KDF_COST`` is "moderate" in production
    (about a second), "interactive" or "min" in the tests."""
    cost = getattr(settings, "CONCERNS_KDF_COST", "moderate")
    ops = getattr(nacl.pwhash.argon2id, f"OPSLIMIT_{cost.upper()}")
    mem = getattr(nacl.pwhash.argon2id, f"MEMLIMIT_{cost.upper()}")
    return int(ops), int(mem)


def _derive(secret: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    return nacl.pwhash.argon2id.kdf(
        nacl.secret.SecretBox.KEY_SIZE,
        secret.encode(),
        salt,
        opslimit=opslimit,
        memlimit=memlimit,
    )


def _box(key: bytes) -> nacl.secret.SecretBox:
    return nacl.secret.SecretBox(key)


def encrypt(data_key: bytes, plain: bytes) -> bytes:
    return bytes(_box(data_key).encrypt(plain))


def decrypt(data_key: bytes, cipher: Stored) -> bytes:
    try:
        return bytes(_box(data_key).decrypt(bytes(cipher)))
    except nacl.exceptions.CryptoError as error:
        raise CannotOpen("The key does not open this.") from error


def encrypt_json(data_key: bytes, value: Any) -> bytes:
    return encrypt(data_key, json.dumps(value).encode())


def decrypt_json(data_key: bytes, cipher: Stored) -> Any:
    return json.loads(decrypt(data_key, cipher))


def new_data_key() -> bytes:
    return nacl.utils.random(nacl.secret.SecretBox.KEY_SIZE)


# ------------------------------------------------------------------------ reviewers' keys


@dataclass(frozen=True)
class LockedKeyPair:
    public_key: bytes
    locked_private_key: bytes
    salt: bytes
    opslimit: int
    memlimit: int


def new_key_pair(passphrase: str) -> LockedKeyPair:
    private = PrivateKey.generate()
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    ops, mem = _kdf_cost()
    locked = encrypt(_derive(passphrase, salt, ops, mem), bytes(private))
    return LockedKeyPair(bytes(private.public_key), locked, salt, ops, mem)


def unlock_private_key(
    locked_private_key: Stored, salt: Stored, opslimit: int, memlimit: int, passphrase: str
) -> bytes:
    """The raw private key, or :class:`CannotOpen` for a wrong passphrase."""
    key = _derive(passphrase, bytes(salt), opslimit, memlimit)
    return decrypt(key, bytes(locked_private_key))


def seal_to(public_key: Stored, data_key: bytes) -> bytes:
    return bytes(SealedBox(PublicKey(bytes(public_key))).encrypt(data_key))


def open_sealed(private_key: bytes, sealed: Stored) -> bytes:
    try:
        return bytes(SealedBox(PrivateKey(bytes(private_key))).decrypt(bytes(sealed)))
    except nacl.exceptions.CryptoError as error:
        raise CannotOpen("This key was not granted the concern.") from error


# ------------------------------------------------------------------------------- receipts


def new_receipt() -> str:
    """16 random digits (the first four are the lookup bucket)."""
    return f"{secrets.randbelow(10**RECEIPT_DIGITS):0{RECEIPT_DIGITS}d}"


def normalise_receipt(text: str) -> str:
    """The digits of a receipt as typed (spaces and dashes allowed), or '' if not 16 digits."""
    digits = "".join(ch for ch in text if ch.isdigit())
    extra = "".join(ch for ch in text if not ch.isdigit() and ch not in " -")
    return digits if len(digits) == RECEIPT_DIGITS and not extra else ""


def grouped(receipt: str) -> str:
    return " ".join(receipt[i : i + 4] for i in range(0, len(receipt), 4))


def lookup_of(receipt: str) -> str:
    return receipt[:LOOKUP_DIGITS]


_hasher = PasswordHasher()


def hash_receipt(receipt: str) -> str:
    return _hasher.hash(receipt)


def receipt_matches(receipt_hash: str, receipt: str) -> bool:
    try:
        return bool(_hasher.verify(receipt_hash, receipt))
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class ReceiptWrapping:
    salt: bytes
    wrapped_key: bytes
    opslimit: int
    memlimit: int


def wrap_for_receipt(receipt: str, data_key: bytes) -> ReceiptWrapping:
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    ops, mem = _kdf_cost()
    return ReceiptWrapping(salt, encrypt(_derive(receipt, salt, ops, mem), data_key), ops, mem)


def unwrap_with_receipt(
    receipt: str, salt: Stored, wrapped_key: Stored, opslimit: int, memlimit: int
) -> bytes:
    return decrypt(_derive(receipt, bytes(salt), opslimit, memlimit), bytes(wrapped_key))
