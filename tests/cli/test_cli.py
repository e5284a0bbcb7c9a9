"""The `accord` command as a user runs it: real process, real SQLite file, exit codes, JSON."""

from __future__ import annotations

import json
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


def test_demo_case_list_json_covers_every_status(demo_dir: Path) -> None:
    result = accord(demo_dir, "case", "list", "--json")
    rows = json.loads(result.stdout)
    assert len(rows) >= 25
    assert {"reference", "status", "severity", "category", "client", "owner"} <= set(rows[0])
    statuses = {r["status"] for r in rows}
    assert statuses >= {
        "new",
        "acknowledged",
        "preparing",
        "in_conversation",
        "resolution_proposed",
        "awaiting_confirmation",
        "resolved",
        "closed",
        "escalated",
        "on_hold",
        "reopened",
    }
    assert len({r["client"] for r in rows}) >= 6
    assert {r["severity"] for r in rows} == {1, 2, 3, 4}


def test_new_case_cannot_be_closed_and_the_error_names_allowed_states(demo_dir: Path) -> None:
    created = accord(
        demo_dir,
        "case",
        "new",
        "--client",
        "Bluebird Dental",
        "--title",
        "Logo blurry",
        "--text",
        "The logo on the new site is blurry on phones.",
        "--json",
    )
    assert created.returncode == 0, created.stderr
    reference = json.loads(created.stdout)["reference"]
    moved = accord(demo_dir, "case", "move", reference, "closed")
    assert moved.returncode == 1
    assert moved.stderr.strip().count("\n") == 0  # one line
    assert "cannot move to closed" in moved.stderr
    assert "acknowledged, escalated, on_hold" in moved.stderr
    shown = json.loads(accord(demo_dir, "case", "show", reference, "--json").stdout)
    assert shown["status"] == "new"
    assert [m["body"] for m in shown["messages"]] == ["The logo on the new site is blurry on phones."]


def test_assign_counts_a_handoff(demo_dir: Path) -> None:
    created = json.loads(
        accord(
            demo_dir, "case", "new", "--client", "Summit Physio", "--title", "Report late", "--json"
        ).stdout
    )
    out = accord(demo_dir, "case", "assign", created["reference"], "tom@northwind.example", "--json")
    assert json.loads(out.stdout)["owner"] == "Tom Lindqvist"
    assert json.loads(out.stdout)["handoff_count"] == 1


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


def test_client_add_and_show_json(tmp_path: Path) -> None:
    assert accord(tmp_path, "init").returncode == 0
    added = accord(
        tmp_path,
        "client",
        "add",
        "Lumen Studio",
        "--domain",
        "lumen.example",
        "--monthly-value",
        "1200",
        "--termination",
        "30 days notice",
        "--json",
    )
    assert added.returncode == 0, added.stderr
    shown = json.loads(accord(tmp_path, "client", "show", "Lumen Studio", "--json").stdout)
    assert shown["termination_terms"] == "30 days notice"
    assert shown["email_domains"] == ["lumen.example"]


def test_case_set_changes_facts_and_refuses_a_bare_severity_change(demo_dir: Path) -> None:
    created = json.loads(
        accord(
            demo_dir,
            "case",
            "new",
            "--client",
            "Summit Physio",
            "--title",
            "Wrong invoice",
            "--severity",
            "2",
            "--json",
        ).stdout
    )
    reference = created["reference"]
    bare = accord(demo_dir, "case", "set", reference, "--severity", "3")
    assert bare.returncode == 1 and bare.stderr.startswith("Error: Say why the severity changes from 2 to 3")
    wild = accord(demo_dir, "case", "set", reference, "--severity", "7")
    assert wild.returncode == 1 and wild.stderr.startswith("Error: severity:")
    assert "Traceback" not in wild.stderr
    done = accord(
        demo_dir,
        "case",
        "set",
        reference,
        "--severity",
        "3",
        "--reason",
        "Second wrong invoice",
        "--approach",
        "accommodate",
        "--approach-reason",
        "Our error, small amount",
    )
    assert done.returncode == 0, done.stderr
    assert f"{reference}: changed severity, approach." in done.stdout
    shown = json.loads(accord(demo_dir, "case", "show", reference, "--json").stdout)
    assert (shown["severity"], shown["approach"]) == (3, "accommodate")
    kinds = [e["kind"] for e in shown["events"]]
    assert "severity_changed" in kinds and "approach_changed" in kinds
