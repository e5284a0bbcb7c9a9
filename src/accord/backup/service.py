"""Whole-database backup and restore: SQLite online backup API, pg_dump/pg_restore for PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from accord.config import get_settings
from accord.db import reset_engines
from accord.errors import AccordError, Invalid, NotFound


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


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise AccordError(f"{command[0]} is not installed; PostgreSQL backups need it.", code="missing")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise AccordError(f"{command[0]} failed: {done.stderr.strip()[:500]}", code="backup_failed")


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


def restore_database(path: Path) -> None:
    """Replace the live database with the backup at `path` (the caller has asked for confirmation)."""
    path = path.expanduser().resolve()
    if not path.is_file():
        raise NotFound(f"No backup at {path}.")
    reset_engines()
    if get_settings().is_sqlite:
        source = sqlite3.connect(path)
        if source.execute("PRAGMA quick_check").fetchone() != ("ok",):
            source.close()
            raise Invalid(f"{path} is not a healthy SQLite backup; nothing was replaced.")
        target = sqlite3.connect(_sqlite_path())
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={_libpq_url()}", str(path)])
