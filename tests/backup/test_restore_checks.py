"""Restore refuses anything that is not an Accord backup, in one line, and keeps the data it replaces.

Issue 16 finding 1: an empty file or another program's SQLite file was "restored" (exit 0, no tables
left), and random or truncated files were refused with a traceback.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from accord import demo, setup
from accord.backup import service as backups
from accord.cases.models import Case
from accord.db import session_scope
from accord.errors import Invalid
from tests.backup.test_backup import _accord


def _case_count() -> int:
    with session_scope() as db:
        return int(db.scalar(select(func.count(Case.id))) or 0)


@pytest.fixture
def demo_loaded(data_dir: Path) -> int:
    with session_scope() as db:
        setup.init_workspace(db)
        demo.load_demo(db)
    return _case_count()


def _other_programs_database(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('groceries')")
    conn.commit()
    conn.close()
    return path


def _foreign_revision(path: Path, good_backup: Path) -> Path:
    path.write_bytes(good_backup.read_bytes())
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM alembic_version")
    conn.execute("INSERT INTO alembic_version VALUES ('ffff_from_the_future')")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("kind", ["empty", "other_program", "text", "truncated", "future_schema"])
def test_restore_refuses_what_is_not_an_accord_backup_and_keeps_the_data(
    demo_loaded: int, data_dir: Path, tmp_path: Path, kind: str
) -> None:
    good = backups.backup_database(tmp_path / "good.db")
    bad = tmp_path / f"{kind}.bak"
    if kind == "empty":
        bad.write_bytes(b"")
    elif kind == "other_program":
        _other_programs_database(bad)
    elif kind == "text":
        bad.write_text("Dear diary,\n" * 500)
    elif kind == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    else:
        _foreign_revision(bad, good)
    with pytest.raises(Invalid, match="nothing was replaced"):
        backups.restore_database(bad)
    assert _case_count() == demo_loaded
    result = _accord(data_dir, "restore", str(bad), "--yes")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert "nothing was replaced" in result.stderr
    assert _case_count() == demo_loaded


def test_restore_keeps_a_backup_of_the_data_it_replaces(
    demo_loaded: int, data_dir: Path, tmp_path: Path
) -> None:
    old = backups.backup_database(tmp_path / "old.db")
    with session_scope() as db:
        db.execute(Case.__table__.update().values(title="renamed after the backup"))
    saved = backups.restore_database(old)
    assert saved.is_file() and saved.parent == (data_dir / "backups").resolve()
    with session_scope() as db:
        assert db.scalar(select(func.count(Case.id)).where(Case.title == "renamed after the backup")) == 0
    with sqlite3.connect(saved) as conn:  # the replaced data can itself be restored
        renamed = conn.execute("SELECT count(*) FROM cases WHERE title = 'renamed after the backup'")
        assert renamed.fetchone()[0] == demo_loaded
