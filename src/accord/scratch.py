"""Throwaway PostgreSQL databases on the local server, for the test suite and the benchmarks.

Why in the package: tests/ and benchmarks/ both make one (created, used, dropped even when the run
fails) and neither may import the other. Nothing the product runs calls this.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def pg_database_url(name: str) -> str:
    """The URL of database `name` on the server PG_ADMIN_URL reaches."""
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


@contextmanager
def throwaway_pg_database(prefix: str, *, keep: str | None = None) -> Iterator[str]:
    """A new, empty database (its URL), dropped afterwards; named `keep`, it stays for a later run."""
    name = keep or f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield pg_database_url(name)
    finally:
        if not keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
