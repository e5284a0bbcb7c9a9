"""Plain helpers for tests that walk a case past the playbook's gates."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy.orm import Session

from accord.cases import steps
from accord.cases.models import Case
from accord.users.models import User


def complete_required_steps(db: Session, case: Case, actor: User | None = None) -> list[str]:
    """Finish every step that gates a later status, the way a careful spokesperson would (P9)."""
    done = []
    for run in steps.list_steps(db, actor=actor, case=case):
        if run.required_before and run.state == "open":
            steps.complete_step(db, actor=actor, case=case, step_id=run.step_id, notes="Checked and noted.")
            done.append(run.step_id)
    return done


def accord(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m accord ARGS` against `data_dir`, as a user would."""
    env = {**os.environ, "ACCORD_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    env.pop("ACCORD_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "accord", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        input=stdin,
    )
