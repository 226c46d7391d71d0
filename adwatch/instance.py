"""One adwatch instance: its settings, database and blob store, opened together."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from adwatch.access.secretbox import totp_key
from adwatch.config.schemas import AppConfig, check_config_dir, load_app_config
from adwatch.config.settings import Settings, load_settings
from adwatch.errors import ConfigError
from adwatch.storage.blobstore import BlobStore
from adwatch.storage.db import Database
from adwatch.storage.filemodes import private_umask
from adwatch.storage.migrate import current_revision, head_revision


@dataclass
class Instance:
    """Lazily opened parts of the instance described by the settings."""

    settings: Settings

    @classmethod
    def from_environment(cls) -> Instance:
        """The instance the `ADWATCH_*` environment describes; its config is checked at once.
        From here on, whatever this process writes is private to its user."""
        private_umask()
        instance = cls(load_settings())
        check_config_dir(instance.settings.config_dir)
        instance.app_config  # noqa: B018 - validate adwatch.yaml before anything starts
        return instance

    @cached_property
    def app_config(self) -> AppConfig:
        return load_app_config(self.settings.config_dir)

    @cached_property
    def db(self) -> Database:
        from adwatch.storage.chain import load_chain_keys

        return Database(self.settings.database_url, load_chain_keys(self.settings.chain_key_file))

    @cached_property
    def blobs(self) -> BlobStore:
        return BlobStore(self.settings.blob_dir)

    @cached_property
    def totp_key(self) -> bytes | None:
        """The key TOTP secrets are encrypted with (None without ADWATCH_SECRET_KEY)."""
        return totp_key(self.settings.secret_key) if self.settings.secret_key else None

    def require_current_schema(self) -> None:
        """Refuse to work on a database that `adwatch init` has not brought up to date."""
        current, head = current_revision(self.db), head_revision()
        if current != head:
            raise ConfigError(
                f"database {self.settings.database_url} is at revision {current or '(empty)'}, "
                f"the code needs {head}. Fix: run `adwatch init`."
            )
        from adwatch.config.production import refuse_public_key

        refuse_public_key(self.db, self.settings.secret_key)
