"""Chart data and drill-down links for the insights page: every bar and every number opens the cases
behind it (P24). Pure: takes the figures, returns plain dicts and query strings."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from accord.insights import figures as fig
from accord.insights.figures import FigureRow
from accord.insights.figures_service import Filters, Overview

DRILL_PATH = "/insights/cases"
# Which filter a group key becomes when a person opens the cases behind a group's number.
GROUP_FILTER = {"client": "client", "category": "category", "severity": "severity",
                "spokesperson": "spokesperson", "fault": "fault"}  # fmt: skip


def drill_link(filters: Filters, figure: str, by: str | None = None, key: str | None = None) -> str:
    """The address of the cases behind one number (same period and filters, narrowed to one group)."""
    query = filters.as_query()
    if by == "month" and key:
        first, last = fig.month_bounds(key)
        query["from"] = max(first, filters.start).isoformat()
        query["to"] = min(last, filters.end).isoformat()
    elif by in GROUP_FILTER and key not in (None, "None"):
        query[GROUP_FILTER[by]] = str(key)
    return f"{DRILL_PATH}?{urlencode({**query, 'figure': figure})}"


def _series(rows: list[FigureRow], *fields: str) -> list[dict[str, Any]]:
    names = {"opened": "Opened", "closed": "Closed", "concession_cost": "Concessions accepted"}
    return [{"label": names.get(f, f), "data": [getattr(r, f) for r in rows]} for f in fields]


def chart_specs(view: Overview, groups: dict[str, list[FigureRow]]) -> dict[str, dict[str, Any]]:
    """The five charts: trend by month, by category, by fault, time-to-resolve spread, cost by month."""
    filters = view.filters
    months = groups.get("month", [])
    categories = sorted(groups.get("category", []), key=lambda r: -r.opened)
    faults = sorted(groups.get("fault", []), key=lambda r: -r.opened)
    spread = view.resolve_distribution
    return {
        "trend": {
            "type": "line",
            "labels": [r.label for r in months],
            "series": _series(months, "opened", "closed"),
            "links": [drill_link(filters, "opened", "month", r.key) for r in months],
        },
        "category": {
            "type": "bar",
            "labels": [r.label for r in categories],
            "series": _series(categories, "opened"),
            "links": [drill_link(filters, "opened", "category", r.key) for r in categories],
        },
        "fault": {
            "type": "bar",
            "labels": [r.label for r in faults],
            "series": _series(faults, "opened"),
            "links": [drill_link(filters, "opened", "fault", r.key) for r in faults],
        },
        "resolve": {
            "type": "bar",
            "labels": list(spread),
            "series": [{"label": "Cases resolved", "data": list(spread.values())}],
            "links": [drill_link(filters, "closed") for _ in spread],
        },
        "cost": {
            "type": "bar",
            "labels": [r.label for r in months],
            "series": _series(months, "concession_cost"),
            "links": [drill_link(filters, "cost", "month", r.key) for r in months],
        },
    }
