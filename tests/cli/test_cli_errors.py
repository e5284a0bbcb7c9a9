"""Issue 16 finding 7: the CLI never shows a traceback for user or environment errors, and escapes markup."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.cli.test_cli import accord


def _one_clean_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def test_invalid_utf8_in_an_argument_is_one_line(tmp_path: Path) -> None:
    assert accord(tmp_path, "init").returncode == 0
    env = {**os.environ, "ACCORD_DATA_DIR": str(tmp_path)}
    env.pop("ACCORD_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable.encode(), b"-m", b"accord", b"client", b"add", b"Caf\xe9 \xff Bar"],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    result = subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode(errors="replace")
    )
    assert "not valid UTF-8" in _one_clean_line(result)
    assert "Caf" not in accord(tmp_path, "client", "list").stdout  # nothing was stored


def test_a_name_with_rich_markup_is_stored_and_printed_with_the_password(tmp_path: Path) -> None:
    assert accord(tmp_path, "init", "--owner-email", "owner@example.com").returncode == 0
    result = accord(tmp_path, "user", "add", "--name", "Ana [/b] [red]Bold", "--email", "ana@example.com")
    assert result.returncode == 0, result.stderr
    assert "One-time password (shown once):" in result.stdout
    assert "Ana [/b] [red]Bold" in result.stdout
    assert "Ana [/b] [red]Bold" in accord(tmp_path, "user", "list").stdout


def test_a_data_directory_never_initialised_names_the_command_to_run(tmp_path: Path) -> None:
    for command in (["client", "list"], ["case", "list"], ["user", "list"]):
        line = _one_clean_line(accord(tmp_path / "fresh", *command))
        assert "accord init" in line, line


def test_token_expiry_from_the_cli_is_shown_and_bounded(tmp_path: Path) -> None:
    assert accord(tmp_path, "init", "--owner-email", "owner@example.com").returncode == 0
    created = accord(tmp_path, "token", "create", "--scope", "read", "--expires-days", "30")
    assert created.returncode == 0, created.stderr
    assert created.stdout.splitlines()[0].startswith("acc_")  # the secret comes first
    assert "expires" in created.stdout
    assert json.loads(accord(tmp_path, "token", "list", "--json").stdout)[0]["expires_at"]
    assert "1 to 3650 days" in _one_clean_line(accord(tmp_path, "token", "create", "--expires-days", "0"))


def test_sign_out_of_an_unknown_user_is_one_line(tmp_path: Path) -> None:
    assert accord(tmp_path, "init", "--owner-email", "owner@example.com").returncode == 0
    assert accord(tmp_path, "user", "sign-out", "owner@example.com").returncode == 0
    assert "No user" in _one_clean_line(accord(tmp_path, "user", "sign-out", "ghost@example.com"))
