"""`accord report` as a user runs it: any period as CSV/JSON, the monthly review as PDF and HTML, and the
root cause given when closing (P24)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli.test_cli import accord


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report-cli")
    assert accord(path, "demo").returncode == 0
    return path


def test_any_period_as_csv_and_json_agree(demo_dir: Path) -> None:
    period = ("--from", "2026-01-01", "--to", "2026-12-31")
    as_csv = accord(demo_dir, "report", *period, "--by", "fault", "--csv")
    as_json = accord(demo_dir, "report", *period, "--json")
    assert as_csv.returncode == 0 and as_json.returncode == 0, as_csv.stderr + as_json.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    data = json.loads(as_json.stdout)
    assert int(rows[0]["opened"]) == data["overall"]["opened"] > 0
    assert sum(int(r["opened"]) for r in rows if r["group"] == "fault") == data["overall"]["opened"]
    assert data["filters"] == {"from": "2026-01-01", "to": "2026-12-31"}


def test_a_bad_date_is_one_line_and_exit_1(demo_dir: Path) -> None:
    result = accord(demo_dir, "report", "--from", "yesterday")
    assert result.returncode == 1
    assert (
        result.stderr.startswith("Error: The start date (from) must be a date")
        and "Traceback" not in result.stderr
    )


def test_monthly_review_as_pdf_and_html(demo_dir: Path, tmp_path: Path) -> None:
    pdf, html = tmp_path / "review.pdf", tmp_path / "review.html"
    result = accord(
        demo_dir, "report", "monthly", "--month", "2026-11", "--pdf", str(pdf), "--html", str(html)
    )
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000
    text = html.read_text(encoding="utf-8")
    assert "Conflict review: November 2026" in text and "Change in onboarding (P1)" in text


def test_closing_with_a_root_cause_shows_in_the_report(demo_dir: Path) -> None:
    resolved = json.loads(accord(demo_dir, "case", "list", "--status", "resolved", "--json").stdout)
    reference = resolved[0]["reference"]
    moved = accord(
        demo_dir, "case", "move", reference, "closed",
        "--root-cause", "Hand-over notes were lost.", "--change", "Hand-over notes go in the client record.",
    )  # fmt: skip
    assert moved.returncode == 0, moved.stderr
    shown = json.loads(accord(demo_dir, "case", "show", reference, "--json").stdout)
    assert shown["root_cause"] == "Hand-over notes were lost."
    report = json.loads(accord(demo_dir, "report", "--days", "3650", "--json").stdout)
    assert {
        "reference": reference,
        "what_we_change": "Hand-over notes go in the client record.",
    }.items() <= next(c for c in report["root_causes"] if c["reference"] == reference).items()
