"""The insights page, the cases behind its numbers and the monthly reviews, on the demo data (P24)."""

from __future__ import annotations

import re
from html import unescape

from fastapi.testclient import TestClient

YEAR = {"from": "2026-01-01", "to": "2026-12-31"}


def test_every_number_links_to_the_cases_behind_it(web: TestClient) -> None:
    page = web.get("/insights", params={**YEAR, "by": "severity"})
    assert page.status_code == 200
    links = re.findall(r'<a class="num" href="([^"]+)">(\d+)</a>', page.text)
    assert links, "the page shows counts as links"
    for href, shown in links[:12]:
        behind = web.get(unescape(href))
        assert behind.status_code == 200
        listed = len(re.findall(r'<td class="title"><a href="/cases/', behind.text))
        if "figure=opened" in href or "figure=closed" in href or "figure=reopened" in href:
            assert listed == int(shown), href


def test_filters_narrow_the_page(web: TestClient) -> None:
    everything = web.get("/insights", params=YEAR).text
    outage = web.get("/insights", params={**YEAR, "category": "outage"}).text
    opened = re.compile(r"<span>Opened</span><a class=\"num\" href=\"[^\"]+\">(\d+)</a>")
    assert int(opened.search(outage).group(1)) < int(opened.search(everything).group(1))  # type: ignore[union-attr]


def test_bad_filters_get_a_styled_error_page(web: TestClient) -> None:
    page = web.get("/insights", params={"from": "not-a-date"})
    assert page.status_code == 422
    assert "The start date (from) must be a date like 2026-11-30" in unescape(page.text)
    assert "<main" in page.text
    assert "Traceback" not in page.text


def test_client_text_is_escaped_on_the_page(web: TestClient) -> None:
    page = web.get("/insights/cases", params={**YEAR, "figure": "opened"})
    assert "<script>alert" not in page.text


def test_reports_list_and_one_review_as_page_and_pdf(web: TestClient) -> None:
    listing = web.get("/reports")
    assert listing.status_code == 200 and 'href="/reports/' in listing.text
    review = web.get("/reports/2026-11")
    assert "Conflict review: November 2026" in review.text
    assert "<style>" not in review.text  # the app's CSP: the stylesheet is a file
    assert web.get("/reports/monthly.css").headers["content-type"].startswith("text/css")
    pdf = web.get("/reports/2026-11.pdf")
    assert pdf.content.startswith(b"%PDF")


def test_the_close_form_asks_for_the_root_cause_and_the_change(web: TestClient) -> None:
    """P24: a resolved case's move form carries the two closing fields (the handler passes them on)."""
    listing = web.get("/", params={"status": "resolved"})
    reference = re.search(r'href="/cases/(ACC-\d+)"', listing.text)
    assert reference is not None
    page = web.get(f"/cases/{reference.group(1)}")
    assert 'name="root_cause"' in page.text and 'name="what_we_change"' in page.text
