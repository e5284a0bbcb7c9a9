"""/api/v1/reports: P24 figures over any period as JSON and CSV, the cases behind them, the monthly review."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from accord import demo, setup
from accord.app import create_app
from accord.db import session_scope
from tests.security.helpers import authorize

YEAR = {"from": "2026-01-01", "to": "2026-12-31"}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A client on one demo workspace for this module (read-only tests)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("ACCORD_DATA_DIR", str(tmp_path_factory.mktemp("reports")))
    mp.delenv("ACCORD_DATABASE_URL", raising=False)
    from accord.config import get_settings
    from accord.db import reset_engines

    get_settings.cache_clear()
    reset_engines()
    with session_scope() as db:
        setup.init_workspace(db)
        demo.load_demo(db)
    with TestClient(create_app()) as client:
        yield authorize(client)
    mp.undo()
    get_settings.cache_clear()
    reset_engines()


def test_every_count_matches_the_cases_behind_it(api: TestClient) -> None:
    figures = api.get("/api/v1/reports/figures", params=YEAR).json()
    overall = figures["overall"]
    for figure, field in (("opened", "opened"), ("closed", "closed"), ("reopened", "reopened")):
        behind = api.get("/api/v1/reports/cases", params={**YEAR, "figure": figure}).json()
        assert len(behind) == overall[field], figure
    assert overall["opened"] > 0


def test_per_category_rows_add_up_to_the_whole(api: TestClient) -> None:
    data = api.get("/api/v1/reports/figures", params={**YEAR, "by": ["category", "severity"]}).json()
    for group in ("category", "severity"):
        rows = data["breakdowns"][group]
        assert sum(r["opened"] for r in rows) == data["overall"]["opened"]
        assert sum(r["closed"] for r in rows) == data["overall"]["closed"]


def test_csv_has_the_same_numbers(api: TestClient) -> None:
    response = api.get("/api/v1/reports/figures.csv", params={**YEAR, "by": "client"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    whole = api.get("/api/v1/reports/figures", params=YEAR).json()["overall"]
    assert rows[0]["group"] == "overall" and int(rows[0]["opened"]) == whole["opened"]
    assert sum(int(r["opened"]) for r in rows if r["group"] == "client") == whole["opened"]


def test_a_filter_narrows_the_figures(api: TestClient) -> None:
    everything = api.get("/api/v1/reports/figures", params=YEAR).json()["overall"]["opened"]
    billing = api.get("/api/v1/reports/figures", params={**YEAR, "category": "billing"}).json()["overall"]
    listed = api.get(
        "/api/v1/reports/cases", params={**YEAR, "category": "billing", "figure": "opened"}
    ).json()
    assert 0 < billing["opened"] < everything
    assert {c["category"] for c in listed} == {"billing"}


@pytest.mark.parametrize(
    "params",
    [{"from": "2026-13-01"}, {"from": "2026-05-01", "to": "2026-04-01"}, {"client": "Nobody Ltd"}],
)
def test_bad_periods_and_filters_answer_a_json_error(api: TestClient, params: dict[str, str]) -> None:
    response = api.get("/api/v1/reports/figures", params=params)
    assert response.status_code in (404, 422)
    assert response.json()["error"] in ("invalid", "not_found")


def test_monthly_review_as_data_html_and_pdf(api: TestClient) -> None:
    data = api.get("/api/v1/reports/monthly/2026-11").json()
    assert data["title"] == "November 2026"
    assert all("Unmatched" not in lesson["text"] for lesson in data["view"]["lessons"])
    html = api.get("/api/v1/reports/monthly/2026-11.html")
    assert "Conflict review: November 2026" in html.text and "Who is at risk" in html.text
    pdf = api.get("/api/v1/reports/monthly/2026-11.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert api.get("/api/v1/reports/monthly/2026-13").status_code == 422
