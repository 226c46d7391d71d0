"""Secrets at rest: TOTP keys encrypted with a key derived from ADWATCH_SECRET_KEY.

Issue 16, finding 4: a copy of the database held every user's second factor in plain text.
Stored values carry their scheme (`fernet1:<token>`); a value without one is a plain secret of
an older instance, read as it is until `adwatch init` encrypts it.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from adwatch.errors import ConfigError

SCHEME = "fernet1:"
PURPOSE = b"adwatch totp secrets v1"


def totp_key(secret_key: str) -> bytes:
    """The Fernet key for TOTP secrets, derived (HKDF-SHA256) from the instance secret."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(
        secret_key.encode("utf-8")
    )
    return base64.urlsafe_b64encode(derived)


def seal(plain: str, key: bytes) -> str:
    """The stored form of a secret."""
    return SCHEME + Fernet(key).encrypt(plain.encode("ascii")).decode("ascii")


def is_sealed(stored: str | None) -> bool:
    """Whether a stored value is encrypted."""
    return bool(stored) and stored.startswith(SCHEME)


def opens(stored: str, key: bytes) -> bool:
    """Whether this key decrypts the stored value."""
    try:
        Fernet(key).decrypt(stored.removeprefix(SCHEME).encode("ascii"))
    except InvalidToken:
        return False
    return True


def unseal(stored: str, key: bytes | None) -> str:
    """The plain secret of a stored value (a plain legacy value is returned as it is)."""
    if not is_sealed(stored):
        return stored
    if key is None:
        raise ConfigError("a TOTP secret is encrypted, but no ADWATCH_SECRET_KEY was given")
    try:
        return Fernet(key).decrypt(stored.removeprefix(SCHEME).encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise ConfigError(
            "a TOTP secret does not decrypt with this ADWATCH_SECRET_KEY. Fix: use the key the "
            "instance was set up with (docs/deployment.md, key rotation)."
        ) from exc
