"""Clients through the surfaces: `accord client ...` as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.playbook.helpers import accord


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
