"""Engine, sessions and the declarative Base; the boundary (request, command, job) owns commits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from accord.clock import ensure_aware
from accord.config import get_settings
from accord.errors import Unavailable

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MAX_ID = 2**63 - 1
"""The largest row id PostgreSQL BIGINT and SQLite INTEGER hold; larger ids exist nowhere."""


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations get stable constraint names."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class AwareDateTime(TypeDecorator[datetime]):
    """A timestamp column that always hands back aware UTC datetimes, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store UTC; naive input is refused implicitly by being treated as UTC."""
        return None if value is None else ensure_aware(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """SQLite drops the zone; put UTC back so comparisons with `clock.now()` work."""
        return None if value is None else ensure_aware(value)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL for concurrent readers, FULL sync so a crash loses nothing, foreign keys enforced."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for `url`, with SQLite pragmas applied to every connection."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, future=True)


@lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def get_engine() -> Engine:
    """The process-wide engine for the configured database (data dir created on demand)."""
    settings = get_settings()
    if settings.is_sqlite and not settings.database_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return _engine_for(settings.sqlalchemy_url)


def reset_engines() -> None:
    """Forget cached engines (tests and `accord restore` switch database files)."""
    _engine_for.cache_clear()


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error, always close."""
    factory = sessionmaker(bind=engine or get_engine(), expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def insert_once(db: Session, model: Any, values: dict[str, Any], unique: str) -> Any | None:
    """INSERT ... ON CONFLICT DO NOTHING: the new row, or None when `unique` already exists.

    No savepoint: on SQLite a savepoint opened before the first write commits on release, which
    would split the sweep's transaction; a guarded insert keeps it whole on both databases.
    """
    if db.get_bind().dialect.name == "postgresql":
        stmt: Any = postgresql_insert(model)
    else:
        stmt = sqlite_insert(model)
    stmt = stmt.values(**values).on_conflict_do_nothing(index_elements=[unique]).returning(model.id)
    new_id = db.scalar(stmt)
    return None if new_id is None else db.get(model, new_id)


_DB_PROBLEMS = (
    (("locked", "busy"), "busy", "The database is busy with another write; try again in a moment."),
    (
        ("disk is full", "no space left", "could not extend"),
        "disk_full",
        "The disk holding the database is full; free some space and try again.",
    ),
    (("readonly", "read-only"), "read_only", "The database is read-only; check the file's permissions."),
    (
        ("no such table", "undefinedtable", 'relation "workspaces" does not exist'),
        "not_initialised",
        "The database has no Accord tables yet: run `accord init` first.",
    ),
)


def database_problem(exc: BaseException) -> Unavailable:
    """Name what went wrong with the database (busy, disk full, read-only, not set up, unreachable)."""
    text = f"{type(getattr(exc, 'orig', exc)).__name__} {getattr(exc, 'orig', exc)}".lower()
    for needles, code, message in _DB_PROBLEMS:
        if any(needle in text for needle in needles):
            return Unavailable(message, code=code)
    return Unavailable("The database is not reachable; try again in a moment.", code="unavailable")


def is_duplicate(exc: BaseException) -> bool:
    """True when a write lost to a unique index (a race another writer won), on either database."""
    orig = getattr(exc, "orig", exc)
    return getattr(orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(orig)
