"""Database engine and sessions.

SQLite is opened in WAL mode with foreign keys and a busy timeout; write transactions start with
`BEGIN IMMEDIATE` so two writers queue on the lock instead of failing half-way with "database is
locked". Read sessions use a deferred BEGIN so the UI never waits on the crawler.

Transactions sync the WAL at commit (`synchronous=FULL`), except the review UI's audit entries of
views (`Database.logging`), which use `synchronous=NORMAL`; see there why.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from adwatch.errors import ConfigError

BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # pysqlite's own transaction handling would BEGIN (deferred) itself; we issue BEGIN ourselves.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _sqlite_begin(connection) -> None:
    options = connection.get_execution_options()
    # Set before every BEGIN (the level cannot change inside a transaction) when the pooled
    # connection was last used at another level, so only `Database.logging` ever commits NORMAL.
    level = options.get("sqlite_synchronous", "FULL")
    if connection.info.get("synchronous") != level:
        connection.exec_driver_sql(f"PRAGMA synchronous={level}")
        connection.info["synchronous"] = level
    connection.exec_driver_sql(f"BEGIN {options.get('sqlite_begin', 'DEFERRED')}")


def upsert_insert(session: Session, target: Any) -> Any:
    """The dialect's INSERT for the session's database, the one that knows ON CONFLICT.
    adwatch runs on SQLite and PostgreSQL only."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(target)
    if name == "sqlite":
        return sqlite.insert(target)
    raise ConfigError(f"adwatch stores data in SQLite or PostgreSQL, not {name}")


def make_engine(url: str) -> Engine:
    """An engine for the URL, with adwatch's SQLite settings where it is SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


class Database:
    """The engine plus session factories for reading and for writing."""

    def __init__(self, url: str, chain_keys: Any = None) -> None:
        self.url = url
        self.engine = make_engine(url)
        writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        logger = self.engine.execution_options(
            sqlite_begin="IMMEDIATE", sqlite_synchronous="NORMAL"
        )
        # The chains' HMAC keys (adwatch.storage.chain.ChainKeys) travel with every session.
        info = {"chain_keys": chain_keys}
        self._read = sessionmaker(self.engine, expire_on_commit=False, info=info)
        self._write = sessionmaker(writer, expire_on_commit=False, info=info)
        self._log = sessionmaker(logger, expire_on_commit=False, info=info)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for queries; rolled back at the end."""
        with self._read() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session whose transaction commits at the end, or rolls back on any error."""
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def logging(self) -> Iterator[Session]:
        """Like `writing`, for an audit entry on its own (a page view, a refusal): no fsync.

        With WAL, `synchronous=NORMAL` commits are safe against a crash of the process (the
        entry is in the WAL file); only an OS crash or power loss can undo the newest of them.
        The WAL is a log, so what such a loss takes is always the tail: the hash chain stays
        whole, and the next `FULL` commit (any decision, note, export, crawl or score) or WAL
        checkpoint makes every entry before it durable. A view is written on every page, and the
        fsync was its largest cost; evidence, decisions and their audit entries keep `FULL`.
        """
        with self._log() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
