"""The `accord` command itself: real process, real SQLite file, exit codes, one-line errors, the demo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def accord(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m accord ARGS` against `data_dir`."""
    env = {**os.environ, "ACCORD_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    env.pop("ACCORD_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "accord", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the demo loaded once for this module."""
    path = tmp_path_factory.mktemp("cli-demo")
    result = accord(path, "demo")
    assert result.returncode == 0, result.stderr
    return path


def test_demo_prints_a_fresh_login(tmp_path: Path) -> None:
    first = accord(tmp_path, "demo")
    second = accord(tmp_path, "demo")
    assert "Log in as owner@northwind.example" in first.stdout
    assert "already present" in second.stdout
    assert first.stdout.split()[-1] != second.stdout.split()[-1]  # a new password each time


@pytest.mark.parametrize(
    "args",
    [
        ("case", "show", "ACC-99999"),
        ("case", "new", "--client", "Nobody Ltd", "--title", "x"),
        ("case", "new", "--client", "Bluebird Dental", "--title", ""),
        ("case", "move", "not-a-ref", "closed"),
        ("client", "show", "Nobody Ltd"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_1(demo_dir: Path, args: tuple[str, ...]) -> None:
    result = accord(demo_dir, *args)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
