"""`accord triage "text" --json`, `accord triage eval`, and POST /api/v1/triage."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord import setup
from accord.app import create_app
from accord.db import session_scope
from tests.security.helpers import authorize

TEXT = "You charged us twice again. Refund it by Friday or we will cancel our contract."


def _accord(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
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


def test_cli_triage_prints_json_with_threats_and_severity(data_dir: Path) -> None:
    result = _accord(data_dir, "triage", TEXT, "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["threats"]["churn"]["present"] and out["severity"] >= 3 and out["category"] == "billing"


def test_cli_eval_scores_a_labelled_csv(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "mini.csv"
    rows = [
        (TEXT, 1, 3, "anger"),
        ("Thanks, all sorted now!", 0, 0, "joy"),
        ("The app still crashes every time I log in, fix it.", 1, 2, "anger"),
        ("Where can I find my invoice?", 0, 0, "other"),
    ]
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "complaint", "severity", "emotion"])
        writer.writerows(rows)
    result = _accord(data_dir, "triage", "eval", "--data", str(path), "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["n"] == 4
    assert {"complaint_macro_f1", "severity_macro_f1", "severity_accuracy", "anger_macro_f1"} <= set(out)


def test_cli_eval_on_a_missing_file_fails_cleanly(data_dir: Path, tmp_path: Path) -> None:
    result = _accord(data_dir, "triage", "eval", "--data", str(tmp_path / "nope.csv"))
    assert result.returncode == 1 and "nope.csv" in result.stderr


@pytest.fixture
def api(data_dir: Path) -> Iterator[TestClient]:
    with session_scope() as db:
        setup.init_workspace(db)
    with TestClient(create_app()) as client:
        yield authorize(client)


def test_api_triage_returns_evidence(api: TestClient) -> None:
    response = api.post("/api/v1/triage", json={"text": TEXT, "context": {"monthly_value": 9000}})
    assert response.status_code == 200
    body = response.json()
    assert any(e["signal"] == "churn" for e in body["evidence"])
    assert any("high-value" in r for r in body["reasons"])


def test_api_triage_rejects_empty_text(api: TestClient) -> None:
    assert api.post("/api/v1/triage", json={"text": ""}).status_code == 422
