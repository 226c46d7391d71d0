"""Personal accounts: argon2id passwords, TOTP second factor, one-time setup tokens, sessions.

There is no default account: `adwatch user add` creates each one. Setup tokens and session tokens
are stored only as SHA-256 hashes, so a copy of the database does not let anyone log in.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from adwatch.access.secretbox import is_sealed, opens, seal, unseal
from adwatch.errors import AdwatchError
from adwatch.storage.chain import append
from adwatch.storage.models import ROLES, AuditEvent, User, UserGrant, UserSession
from adwatch.timeutil import as_utc, utcnow
from adwatch.vocabulary import ADMIN

PASSWORD_MIN, PASSWORD_MAX = 15, 128
SETUP_VALID = timedelta(hours=72)
SESSION_IDLE = timedelta(minutes=15)
SESSION_MAX = timedelta(hours=8)
TOTP_ISSUER = "adwatch"
_hasher = PasswordHasher()  # argon2id with argon2-cffi's RFC 9106 low-memory defaults
# A hash to verify against when the user does not exist, so timing does not reveal usernames.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(AdwatchError):
    """An account could not be created, set up or used; the message says why."""


def token_hash(token: str) -> str:
    """The stored form of a setup or session token."""
    return "sha256:" + hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_password_policy(password: str) -> None:
    """15 to 128 characters; no composition rules (NIST SP 800-63B)."""
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise AccountError(
            f"a password has {PASSWORD_MIN} to {PASSWORD_MAX} characters; this one has "
            f"{len(password)}"
        )


def hash_password(password: str) -> str:
    """The argon2id hash of a password that meets the policy."""
    check_password_policy(password)
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """True when the password matches the stored argon2id hash."""
    try:
        return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def new_totp_secret() -> str:
    """A random base32 TOTP secret."""
    return pyotp.random_base32()


def totp_secret_of(user: User, key: bytes | None = None) -> str:
    """The user's TOTP secret in plain text (decrypted with the instance's key)."""
    return unseal(user.totp_secret or "", key)


def totp_uri(user: User, key: bytes | None = None) -> str:
    """The otpauth:// URI an authenticator app reads."""
    return pyotp.TOTP(totp_secret_of(user, key)).provisioning_uri(
        name=user.username, issuer_name=TOTP_ISSUER
    )


def verify_totp(
    user: User, code: str, now: float | None = None, *, key: bytes | None = None
) -> bool:
    """Accept a code of the current step ±1, each step only once; records the step used."""
    if not user.totp_secret or not code.strip().isdigit():
        return False
    totp = pyotp.TOTP(totp_secret_of(user, key))
    step = int((time.time() if now is None else now) // totp.interval)
    for candidate in (step - 1, step, step + 1):
        if candidate <= (user.totp_last_step or 0):
            continue
        if secrets.compare_digest(totp.generate_otp(candidate), code.strip()):
            user.totp_last_step = candidate
            return True
    return False


def create_user(
    session: Session,
    username: str,
    role: str,
    password: str | None = None,
    *,
    key: bytes | None = None,
    actor: str = "system",
) -> tuple[User, str | None]:
    """A new account with a TOTP secret (encrypted when the instance's key is given); returns it
    and a setup token when no password is given. Audited (issue 16, finding 7)."""
    if role not in ROLES:
        raise AccountError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise AccountError(f"user {username!r} already exists")
    secret = new_totp_secret()
    stored = seal(secret, key) if key is not None else secret
    user = User(username=username, display_name=username, role=role, totp_secret=stored)
    token = None
    if password is not None:
        user.password_hash = hash_password(password)
    else:
        token = secrets.token_urlsafe(32)
        user.setup_token_hash = token_hash(token)
        user.setup_expires_at = utcnow() + SETUP_VALID
    session.add(user)
    session.flush()
    audit_account_change(session, actor, "user_add", user, {"role": role})
    return user, token


def audit_account_change(
    session: Session, actor: str, action: str, user: User, details: dict | None = None
) -> None:
    """An account change in the audit log: who changed which account, and how."""
    append(
        session,
        AuditEvent,
        actor=actor,
        action=action,
        object_type="user",
        object_ids=[user.id],
        details=details or {},
    )


def set_active(session: Session, user: User, active: bool, *, actor: str) -> bool:
    """(De)activate an account, ending its sessions when deactivated; False when unchanged."""
    if user.active == active:
        return False
    user.active = active
    if not active:
        for row in session.scalars(select(UserSession).where(UserSession.user_id == user.id)):
            if row.ended_at is None:
                end_session(row)
    audit_account_change(session, actor, "user_activate" if active else "user_deactivate", user)
    return True


def user_named(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise AccountError(f"user {username!r} does not exist")
    return user


def grants_of(session: Session, user_id: int) -> list[str]:
    """The municipality codes the user may see, sorted."""
    query = select(UserGrant.municipality).where(UserGrant.user_id == user_id)
    return sorted(session.scalars(query))


def grants_by_user(session: Session) -> dict[int, list[str]]:
    """Every user's municipality codes, sorted, in one query (users without any are absent)."""
    query = select(UserGrant.user_id, UserGrant.municipality).order_by(UserGrant.municipality)
    grants: dict[int, list[str]] = defaultdict(list)
    for user_id, municipality in session.execute(query):
        grants[user_id].append(municipality)
    return dict(grants)


def change_grant(
    session: Session, user: User, municipality: str, *, granted: bool, actor: str
) -> bool:
    """Grant or revoke one municipality; False when nothing changed. Audited either way it
    changes, so `adwatch users review` shows who gave whom which municipality."""
    if granted and user.role == ADMIN:
        raise AccountError("administrators see no ads; grant municipalities to officers/viewers")
    row = session.get(UserGrant, (user.id, municipality))
    if (row is not None) == granted:
        return False
    if granted:
        session.add(UserGrant(user_id=user.id, municipality=municipality))
    else:
        session.delete(row)
    append(
        session,
        AuditEvent,
        actor=actor,
        action="grant" if granted else "revoke",
        object_type="user",
        object_ids=[user.id],
        details={"municipality": municipality},
    )
    return True


def user_for_setup(session: Session, token: str) -> User | None:
    """The active user whose unexpired setup token this is."""
    user = session.scalar(select(User).where(User.setup_token_hash == token_hash(token)))
    if user is None or not user.active or user.setup_expires_at is None:
        return None
    return user if as_utc(user.setup_expires_at) > utcnow() else None


def finish_setup(user: User, password: str, code: str, key: bytes | None = None) -> None:
    """Set the password once the TOTP code proves the authenticator works; the token is spent."""
    check_password_policy(password)
    if not verify_totp(user, code, key=key):
        raise AccountError("de code uit de authenticator-app klopt niet")
    user.password_hash = hash_password(password)
    user.setup_token_hash = None
    user.setup_expires_at = None


@dataclass(frozen=True)
class LoginResult:
    """The user that logged in, or why not (for the audit log, never shown in detail)."""

    user: User | None
    reason: str = "ok"


def authenticate(
    session: Session,
    username: str,
    password: str,
    code: str,
    require_totp: bool,
    key: bytes | None = None,
) -> LoginResult:
    """Check password and, where the user has one or it is required, the TOTP code."""
    user = session.scalar(select(User).where(User.username == username))
    if not verify_password(user.password_hash if user else None, password) or user is None:
        return LoginResult(None, "bad_password")
    if not user.active:
        return LoginResult(None, "inactive")
    if user.setup_token_hash is not None and require_totp:
        return LoginResult(None, "totp_not_set_up")
    if (require_totp or code) and not verify_totp(user, code, key=key):
        return LoginResult(None, "bad_totp")
    user.last_login_at = utcnow()
    return LoginResult(user)


def known_origins(session: Session, username: str) -> set[str]:
    """Origins this user has logged in from (their sessions not yet purged)."""
    query = (
        select(UserSession.origin)
        .join(User, User.id == UserSession.user_id)
        .where(User.username == username)
    )
    return {origin for origin in session.scalars(query) if origin}


def start_session(session: Session, user: User, origin: str) -> tuple[str, UserSession]:
    """A new session; returns the cookie token (only its hash is stored) and the row."""
    token = secrets.token_urlsafe(32)
    row = UserSession(
        id=token_hash(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32), origin=origin
    )
    session.add(row)
    session.flush()
    return token, row


def session_alive(row: UserSession, now: datetime | None = None) -> bool:
    """False once the session ended, was idle 15 minutes or is 8 hours old."""
    now = now or utcnow()
    if row.ended_at is not None:
        return False
    idle = now - as_utc(row.last_seen_at)
    return idle < SESSION_IDLE and now - as_utc(row.created_at) < SESSION_MAX


def end_session(row: UserSession) -> None:
    """End the session on the server; its cookie is worthless from now on."""
    row.ended_at = utcnow()


def seal_plain_totp_secrets(session: Session, key: bytes, previous_key: bytes | None = None) -> int:
    """Encrypt the TOTP secrets an older instance stored in plain text, and re-encrypt those
    sealed with the previous key after a key rotation; how many changed."""
    sealed = 0
    for user in session.scalars(select(User).where(User.totp_secret.is_not(None))):
        if is_sealed(user.totp_secret) and (previous_key is None or opens(user.totp_secret, key)):
            continue
        user.totp_secret = seal(unseal(user.totp_secret, previous_key), key)
        sealed += 1
    return sealed
