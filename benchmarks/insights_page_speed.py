"""Time the insights page and its neighbours on the demo data (target: the page under 300 ms); prints
median and worst of RUNS requests after one warm-up (P24)."""

from __future__ import annotations

import sys

from _timing import demo_client, time_pages

TARGET_MS = 300.0
RUNS = 15


PAGES = [
    ("insights, last 90 days", "/insights"),
    ("insights, all of 2026", "/insights?from=2026-01-01&to=2026-12-31"),
    ("insights, by client", "/insights?from=2026-01-01&to=2026-12-31&by=client"),
    ("insights, filtered", "/insights?from=2026-01-01&to=2026-12-31&category=quality&severity=3"),
    ("cases behind a number", "/insights/cases?from=2026-01-01&to=2026-12-31&figure=opened"),
    ("monthly review page", "/reports/2026-11"),
    ("monthly review PDF", "/reports/2026-11.pdf"),
]


def _is_page(url: str) -> bool:
    """The target is for the insights page itself; the drill-down and the reports are shown alongside."""
    return url == "/insights" or url.startswith("/insights?")


def main() -> int:
    with demo_client("accord-insights-speed-") as client:
        results = time_pages(client, PAGES, runs=RUNS, width=28)
    slow = sum(_is_page(url) and median > TARGET_MS for _, url, median in results)
    print(f"target: the insights page under {TARGET_MS:.0f} ms (median); {slow} variant(s) over")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
