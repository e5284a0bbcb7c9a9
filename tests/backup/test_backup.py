"""Nothing is lost: backup/restore and export/import round trips, and restore asks first."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from accord import demo, setup
from accord.backup import service as backups
from accord.backup import transfer
from accord.cases.models import Case, CaseEvent
from accord.config import get_settings
from accord.db import reset_engines, session_scope
from accord.migrate import upgrade
from accord.users import repository as user_lookup


def _load_demo() -> int:
    with session_scope() as db:
        setup.init_workspace(db)
        demo.load_demo(db)
        workspace = user_lookup.workspace_by_slug(db, get_settings().workspace)
        assert workspace is not None
        return workspace.id


def _counts() -> tuple[int, int]:
    with session_scope() as db:
        cases = db.scalar(select(func.count(Case.id))) or 0
        return int(cases), int(db.scalar(select(func.count(CaseEvent.id))) or 0)


def test_restore_brings_back_what_was_deleted_after_the_backup(data_dir: Path, tmp_path: Path) -> None:
    _load_demo()
    before = _counts()
    backups.backup_database(tmp_path / "backup.db")
    with session_scope() as db:
        db.execute(CaseEvent.__table__.delete())
    assert _counts()[1] == 0
    backups.restore_database(tmp_path / "backup.db")
    assert _counts() == before


def test_restore_refuses_a_file_that_is_not_a_database(data_dir: Path, tmp_path: Path) -> None:
    _load_demo()
    junk = tmp_path / "junk.db"
    junk.write_text("not a database" * 100)
    before = _counts()
    try:
        backups.restore_database(junk)
    except Exception as exc:  # any refusal will do; what matters is that the data stays
        assert "not" in str(exc).lower()
    assert _counts() == before


def test_export_then_import_into_an_empty_database_keeps_everything(data_dir: Path, tmp_path: Path) -> None:
    workspace_id = _load_demo()
    with session_scope() as db:
        exported = transfer.export_workspace(db, workspace_id)
    assert all(row["password_hash"] is None for row in exported["tables"]["users"])
    before = _counts()
    os.environ["ACCORD_DATA_DIR"] = str(tmp_path / "fresh")
    get_settings.cache_clear()
    reset_engines()
    upgrade()
    with session_scope() as db:
        new_id = transfer.import_workspace(db, json.loads(json.dumps(exported)))
    assert _counts() == before
    with session_scope() as db:
        again = transfer.export_workspace(db, new_id)
    for name, rows in exported["tables"].items():
        assert len(again["tables"][name]) == len(rows), name
    titles = sorted(r["title"] for r in again["tables"]["cases"])
    assert titles == sorted(r["title"] for r in exported["tables"]["cases"])
    kept = {"clients": ("name", "monthly_value"), "cases": ("title", "created_at", "severity")}
    for table, columns in kept.items():  # money and moments come back as they were
        assert _values(again["tables"][table], columns) == _values(exported["tables"][table], columns), table


def _values(rows: list[dict[str, object]], columns: tuple[str, ...]) -> list[tuple[str, ...]]:
    return sorted(tuple(str(r[c]) for c in columns) for r in rows)


def _accord(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ACCORD_DATA_DIR": str(data_dir)}
    env.pop("ACCORD_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "accord", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_cli_restore_without_yes_and_no_terminal_refuses(data_dir: Path, tmp_path: Path) -> None:
    _load_demo()
    assert _accord(data_dir, "backup", str(tmp_path / "b.db")).returncode == 0
    refused = _accord(data_dir, "restore", str(tmp_path / "b.db"), stdin="")
    assert refused.returncode == 1 and "--yes" in refused.stderr
    assert _accord(data_dir, "restore", str(tmp_path / "b.db"), "--yes").returncode == 0


def test_cli_export_is_audited_and_has_no_secrets(data_dir: Path, tmp_path: Path) -> None:
    _load_demo()
    out = tmp_path / "ws.json"
    assert _accord(data_dir, "export", "--json", "--out", str(out)).returncode == 0
    text = out.read_text()
    assert "$argon2" not in text and "api_tokens" not in text
    audit = json.loads(_accord(data_dir, "audit", "export").stdout)
    assert [row["action"] for row in audit] == ["export"]
