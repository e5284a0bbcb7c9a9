"""Time each web page on the demo data (target: under 150 ms each); prints median and worst."""

from __future__ import annotations

import sys

from _timing import demo_client, time_pages

TARGET_MS = 150.0
RUNS = 15


def _pages() -> list[tuple[str, str]]:
    return [
        ("queue", "/"),
        ("queue, filtered", "/?status=all&severity=3&q=a"),
        ("queue, page 2", "/?status=all&page=2"),
        ("case page", "/cases/ACC-1002"),
        ("case page (resolved)", "/cases/ACC-1016"),
        ("call mode", "/cases/ACC-1002/call"),
        ("clients", "/clients"),
        ("client page", "/clients/2"),
        ("playbook", "/playbook"),
        ("new case", "/cases/new"),
        ("new client", "/clients/new"),
        ("edit client", "/clients/2/edit"),
        ("client search", "/clients/search?client=co"),
        ("add a message", "/cases/ACC-1002/messages/new"),
        ("unmatched", "/unmatched"),
        ("api docs", "/api/docs"),
        ("not found (styled)", "/no/such/page"),
        ("team", "/team"),
        ("settings", "/settings"),
    ]


def main() -> int:
    with demo_client("accord-webspeed-", triage=True) as client:
        results = time_pages(
            client,
            _pages(),
            runs=RUNS,
            width=24,
            expected=lambda name: 404 if name.startswith("not found") else 200,
        )
    slow = sum(median > TARGET_MS for _, _, median in results)
    print(f"target: median under {TARGET_MS:.0f} ms per page; {slow} page(s) over")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
