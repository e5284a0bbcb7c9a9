"""Whole-database backup and restore: SQLite online backup API, pg_dump/pg_restore for PostgreSQL.

A restore replaces everything, so it first proves the file is an Accord backup (an Alembic revision this
version knows, Accord's core tables, a clean integrity check) and keeps a pre-restore backup of the live
data; a refusal touches nothing and says why in one line.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from accord.clock import now
from accord.config import get_settings
from accord.db import reset_engines
from accord.errors import AccordError, Invalid, NotFound
from accord.migrate import known_revisions, upgrade

CORE_TABLES = frozenset(
    {"alembic_version", "workspaces", "users", "clients", "cases", "case_events", "messages"}
)
_PG_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ")


def _sqlite_path() -> Path:
    database = make_url(get_settings().sqlalchemy_url).database
    if not database:
        raise Invalid("The SQLite database has no file path.")
    return Path(database)


def _libpq_url() -> str:
    return (
        make_url(get_settings().sqlalchemy_url)
        .set(drivername="postgresql")
        .render_as_string(hide_password=False)
    )


def _run(command: list[str]) -> str:
    if shutil.which(command[0]) is None:
        raise AccordError(f"{command[0]} is not installed; PostgreSQL backups need it.", code="missing")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["no message"])[0]
        raise AccordError(f"{command[0]} failed: {first[:300]}", code="backup_failed")
    return done.stdout


def backup_database(path: Path) -> Path:
    """Write a consistent copy of the live database to `path` while others keep working."""
    path = path.expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    if get_settings().is_sqlite:
        source = sqlite3.connect(_sqlite_path())
        target = sqlite3.connect(path)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={path}", _libpq_url()])
    return path


def _check_contents(path: Path, tables: set[str], revisions: set[str]) -> None:
    """Refuse anything but a backup of Accord's schema at a revision this version can upgrade."""
    missing = sorted(CORE_TABLES - tables)
    if missing:
        tables_missing = ", ".join(missing)
        raise Invalid(f"{path} is not an Accord backup (no {tables_missing} table); nothing was replaced.")
    unknown = sorted(revisions - known_revisions())
    if not revisions or unknown:
        found = ", ".join(unknown) or "none"
        raise Invalid(f"{path} has an unknown schema version ({found}); nothing was replaced.")


def _inspect_sqlite(path: Path) -> None:
    try:
        source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            check = source.execute("PRAGMA integrity_check").fetchall()
            tables = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revisions = (
                {r[0] for r in source.execute("SELECT version_num FROM alembic_version")}
                if "alembic_version" in tables
                else set()
            )
        finally:
            source.close()
    except sqlite3.DatabaseError as exc:
        raise Invalid(f"{path} is not a readable SQLite backup ({exc}); nothing was replaced.") from None
    if check != [("ok",)]:
        raise Invalid(f"{path} is damaged (integrity check: {check[0][0]}); nothing was replaced.")
    _check_contents(path, tables, revisions)


def _inspect_postgres(path: Path) -> None:
    try:
        listing = _run(["pg_restore", "--list", str(path)])
        data = _run(["pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(path)])
    except AccordError as exc:
        raise Invalid(f"{path} is not a PostgreSQL backup ({exc.message}); nothing was replaced.") from None
    tables = {m.group(1) for line in listing.splitlines() if (m := _PG_TABLE.match(line))}
    rows = data.split("FROM stdin;\n", 1)[1].split("\\.", 1)[0] if "FROM stdin;\n" in data else ""
    _check_contents(path, tables, {line.strip() for line in rows.splitlines() if line.strip()})


def _pre_restore_path(suffix: str) -> Path:
    stamp = now().strftime("%Y%m%dT%H%M%S%fZ")
    return get_settings().data_dir.expanduser().resolve() / "backups" / f"pre-restore-{stamp}{suffix}"


def restore_database(path: Path) -> Path:
    """Replace the live database with the Accord backup at `path`; returns where the old data was saved.

    The caller has asked for confirmation. Checks run before anything is touched; the live data is
    backed up first, then replaced, then upgraded to this version's schema.
    """
    path = path.expanduser().resolve()
    if not path.is_file():
        raise NotFound(f"No backup at {path}.")
    sqlite = get_settings().is_sqlite
    if sqlite:
        _inspect_sqlite(path)
    else:
        _inspect_postgres(path)
    saved = backup_database(_pre_restore_path(".db" if sqlite else ".dump"))
    reset_engines()
    if sqlite:
        source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        target = sqlite3.connect(_sqlite_path())
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={_libpq_url()}", str(path)])
    upgrade(get_settings().sqlalchemy_url)
    return saved
