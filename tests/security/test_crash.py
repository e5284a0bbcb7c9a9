"""kill -9 in the middle of intake and state changes: after a restart nothing is half-written or doubled."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from accord import setup
from accord.db import session_scope
from accord.users import repository as user_lookup
from tests.helpers import create_client

LOOP = """
import sys
from accord.cli.main import app
for i in range(10_000):
    app(["case", "new", "--client", "Crashy Co", "--title", f"Crash {i}", "--text", "It broke again.",
         "--channel", "email"], standalone_mode=False)
    app(["case", "move", f"ACC-{1001 + i}", "acknowledged"], standalone_mode=False)
    print(i, flush=True)
"""


def _run_and_kill(data_dir: Path, after_lines: int) -> None:
    env = {**os.environ, "ACCORD_DATA_DIR": str(data_dir)}
    env.pop("ACCORD_DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-c", LOOP], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert proc.stdout is not None
    done = 0
    while done < after_lines:
        line = proc.stdout.readline()
        if not line:
            break
        done += line.strip().isdigit()
    time.sleep(0.05)  # land the kill somewhere inside the next intake or move
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def _check(db_file: Path) -> int:
    con = sqlite3.connect(db_file)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        cases = con.execute("SELECT id, status FROM cases").fetchall()
        for case_id, status in cases:
            kinds = [k for (k,) in con.execute("SELECT kind FROM case_events WHERE case_id = ?", (case_id,))]
            assert kinds.count("case_opened") == 1, (case_id, kinds)
            moves = kinds.count("status_changed")
            assert moves == (0 if status == "new" else 1), (case_id, status, kinds)
        orphans = con.execute("SELECT count(*) FROM case_events WHERE case_id NOT IN (SELECT id FROM cases)")
        assert orphans.fetchone() == (0,)
        return len(cases)
    finally:
        con.close()


def test_kill_9_during_intake_and_moves_loses_and_doubles_nothing(data_dir: Path) -> None:
    with session_scope() as db:
        setup.init_workspace(db, owner_email="olivia@crash.example", owner_name="Olivia")
        workspace = user_lookup.workspace_by_slug(db, "default")
        assert workspace is not None
        create_client(db, workspace, name="Crashy Co")
    _run_and_kill(data_dir, after_lines=3)
    first = _check(data_dir / "accord.db")
    assert first >= 3
    env = {**os.environ, "ACCORD_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "accord", "case", "new", "--client", "Crashy Co", "--title", "After"]
    restarted = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert restarted.returncode == 0, restarted.stderr
    assert _check(data_dir / "accord.db") == first + 1
