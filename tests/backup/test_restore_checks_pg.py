"""Restore on PostgreSQL: the same checks before anything is replaced (issue 16 finding 1)."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, func, select, text

from accord import demo, setup
from accord.backup import service as backups
from accord.cases.models import Case
from accord.config import get_settings
from accord.db import reset_engines, session_scope
from accord.errors import Invalid
from accord.scratch import PG_ADMIN_URL, pg_database_url
from tests.conftest import _pg_reachable

pytestmark = pytest.mark.postgres


def _database(admin: Engine, name: str) -> str:
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return pg_database_url(name)


@pytest.fixture
def pg_workspace(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A demo workspace in a fresh PostgreSQL database, and a second, non-Accord database's URL."""
    if not _pg_reachable():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    names = [f"accord_restore_{uuid.uuid4().hex[:8]}", f"other_app_{uuid.uuid4().hex[:8]}"]
    url, other = (_database(admin, n) for n in names)
    monkeypatch.setenv("ACCORD_DATABASE_URL", url)
    get_settings.cache_clear()
    reset_engines()
    with session_scope() as db:
        setup.init_workspace(db)
        demo.load_demo(db)
    yield other
    reset_engines()
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _cases() -> int:
    with session_scope() as db:
        return int(db.scalar(select(func.count(Case.id))) or 0)


def test_postgres_restore_refuses_foreign_dumps_and_keeps_a_pre_restore_copy(
    pg_workspace: str, tmp_path: Path
) -> None:
    before = _cases()
    other_engine = create_engine(pg_workspace)
    with other_engine.begin() as conn:
        conn.execute(text("CREATE TABLE notes (id serial PRIMARY KEY, body text)"))
    other_engine.dispose()
    foreign = tmp_path / "other.dump"
    libpq = pg_workspace.replace("postgresql+psycopg", "postgresql")
    subprocess.run(["pg_dump", "--format=custom", f"--file={foreign}", libpq], check=True)
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a dump\n" * 100)
    for bad in (foreign, text_file):
        with pytest.raises(Invalid, match="nothing was replaced"):
            backups.restore_database(bad)
        assert _cases() == before
    good = backups.backup_database(tmp_path / "good.dump")
    with session_scope() as db:
        db.execute(Case.__table__.update().values(title="changed after the backup"))
    saved = backups.restore_database(good)
    assert saved.is_file() and saved.suffix == ".dump"
    with session_scope() as db:
        assert db.scalar(select(func.count(Case.id)).where(Case.title == "changed after the backup")) == 0
    assert _cases() == before
