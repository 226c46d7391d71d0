"""Settings from the environment (`ADWATCH_*`), read once at start-up.

An unknown `ADWATCH_` variable is an error, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from adwatch.errors import ConfigError

ENV_PREFIX = "ADWATCH_"
# The test suite's own variables (ADWATCH_TEST_POSTGRES_URL) are not instance settings.
TEST_PREFIX = "ADWATCH_TEST_"
KNOWN_VARIABLES = {
    "ADWATCH_DATA_DIR": "folder for the database, blobs, WARC files and logs (default ./data)",
    "ADWATCH_CONFIG_DIR": "folder with adwatch.yaml, locations.yaml, indicators.yaml, sources/",
    "ADWATCH_DATABASE_URL": "SQLAlchemy URL; default sqlite:///<ADWATCH_DATA_DIR>/adwatch.sqlite3",
    "ADWATCH_SECRET_KEY": "instance secret for keyed hashes of phone numbers and sessions",
    "ADWATCH_PREVIOUS_SECRET_KEY": "the key before a rotation, for `adwatch init` to re-encrypt",
    "ADWATCH_CHROMIUM_PATH": "Chromium executable for rendered sources (default: auto-detect)",
    "ADWATCH_LOG_LEVEL": "DEBUG, INFO, WARNING or ERROR (default INFO)",
    "ADWATCH_REDIS_URL": "Redis URL; when set, crawls share one queue with `crawl --worker`s",
    "ADWATCH_CHAIN_KEY_FILE": "file with the HMAC key(s) of the audit and custody chains; kept "
    "outside the database and its backups (see docs/evidence.md)",
    "ADWATCH_TSA_URL": "RFC 3161 timestamp authority that seals chain heads and crawl WARC files "
    "(nightly and after each crawl); off when unset",
    "ADWATCH_SMTP_USERNAME": "user name for the digest's SMTP server (none: no login)",
    "ADWATCH_SMTP_PASSWORD": "password for the digest's SMTP server",
}
DEMO_SECRET_KEY = "demo-only-secret-key-do-not-use-in-production"


@dataclass(frozen=True)
class Settings:
    """Where adwatch keeps its data and finds its configuration."""

    data_dir: Path
    config_dir: Path
    database_url: str
    secret_key: str
    chromium_path: str | None = None
    previous_secret_key: str = ""
    log_level: str = "INFO"
    redis_url: str | None = None
    smtp_username: str = ""
    smtp_password: str = field(default="", repr=False)
    extra: Mapping[str, str] = field(default_factory=dict)
    chain_key_file: Path | None = None
    tsa_url: str | None = None

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def warc_dir(self) -> Path:
        return self.data_dir / "warc"

    @property
    def sources_dir(self) -> Path:
        return self.config_dir / "sources"


def _check_unknown(env: Mapping[str, str]) -> None:
    unknown = sorted(
        k
        for k in env
        if k.startswith(ENV_PREFIX) and not k.startswith(TEST_PREFIX) and k not in KNOWN_VARIABLES
    )
    if unknown:
        known = ", ".join(sorted(KNOWN_VARIABLES))
        raise ConfigError(
            f"environment: unknown variable {unknown[0]}; known variables are {known}. "
            "Fix: rename or unset it."
        )


def _log_level(env: Mapping[str, str]) -> str:
    level = env.get("ADWATCH_LOG_LEVEL", "INFO").upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(
            f"environment: ADWATCH_LOG_LEVEL={level!r} is not a level. "
            "Fix: use DEBUG, INFO, WARNING or ERROR."
        )
    return level


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from the environment (or the mapping given, for tests)."""
    env = os.environ if env is None else env
    _check_unknown(env)
    data_dir = Path(env.get("ADWATCH_DATA_DIR", "data")).resolve()
    config_dir = Path(env.get("ADWATCH_CONFIG_DIR", "config")).resolve()
    default_url = f"sqlite:///{data_dir / 'adwatch.sqlite3'}"
    return Settings(
        data_dir=data_dir,
        config_dir=config_dir,
        database_url=env.get("ADWATCH_DATABASE_URL", default_url),
        secret_key=env.get("ADWATCH_SECRET_KEY", ""),
        previous_secret_key=env.get("ADWATCH_PREVIOUS_SECRET_KEY", ""),
        chromium_path=env.get("ADWATCH_CHROMIUM_PATH") or None,
        log_level=_log_level(env),
        redis_url=env.get("ADWATCH_REDIS_URL") or None,
        chain_key_file=Path(env["ADWATCH_CHAIN_KEY_FILE"])
        if env.get("ADWATCH_CHAIN_KEY_FILE")
        else None,
        tsa_url=env.get("ADWATCH_TSA_URL") or None,
        smtp_username=env.get("ADWATCH_SMTP_USERNAME", ""),
        smtp_password=env.get("ADWATCH_SMTP_PASSWORD", ""),
    )


def require_secret_key(settings: Settings) -> str:
    """The instance secret, or a clear error saying how to set one."""
    if len(settings.secret_key) < 16:
        raise ConfigError(
            "environment: ADWATCH_SECRET_KEY is missing or shorter than 16 characters. "
            "Fix: export ADWATCH_SECRET_KEY=$(openssl rand -hex 32)"
        )
    return settings.secret_key
