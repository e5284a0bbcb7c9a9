"""The insights figures as plain data: JSON-ready dicts and CSV text, for the CLI and the API (P24)."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from typing import Any

from accord.insights.figures import CLOCKS, FigureRow
from accord.insights.figures_service import Overview

CSV_COLUMNS = (
    "group",
    "key",
    "label",
    "opened",
    "closed",
    "ack_median_h",
    "ack_p90_h",
    "resolve_median_h",
    "resolve_p90_h",
    *(f"sla_breaches_{clock}" for clock in CLOCKS),
    "confirmed",
    "confirmed_share",
    "reopened",
    "reopen_rate",
    "handoffs",
    "handoffs_per_case",
    "concession_cost",
    "concessions",
    "ratings",
    "rating_mean",
)


def flat_row(group: str, row: FigureRow) -> dict[str, Any]:
    """One figure row as a flat record (breaches spread into one column per clock)."""
    data = asdict(row)
    breaches = data.pop("breaches")
    data.update({f"sla_breaches_{clock}": breaches.get(clock, 0) for clock in CLOCKS})
    return {"group": group, **data}


def rows_csv(groups: dict[str, list[FigureRow]]) -> str:
    """CSV text: the overall row first, then one block per dimension; spreadsheet-safe cells."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for group, rows in groups.items():
        for row in rows:
            writer.writerow({k: _safe(v) for k, v in flat_row(group, row).items()})
    return out.getvalue()


def _safe(value: Any) -> Any:
    """Client names starting with = + - @ would run as formulas in a spreadsheet; quote them."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def overview_json(view: Overview, groups: dict[str, list[FigureRow]]) -> dict[str, Any]:
    """Everything the page shows, as JSON-ready data."""
    data = asdict(view)
    data["filters"] = view.filters.as_query()
    data["breakdowns"] = {group: [flat_row(group, r) for r in rows] for group, rows in groups.items()}
    return data
