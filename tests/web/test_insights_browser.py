"""The insights page and the monthly review in real Chromium, on a desktop and a 390 px phone, and the
review's PDF drawn to an image; screenshots go to test-artifacts/ (P24)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.config import get_settings
from accord.db import session_scope
from accord.insights import monthly, pdf
from accord.users import repository as user_lookup
from tests.web.conftest import Demo
from tests.web.test_browser import ARTIFACTS, CHROMIUM, browser, shoot, sign_in  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed at /usr/bin"),
]

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - playwright is a dev dependency
    pytestmark.append(pytest.mark.skip(reason="playwright-python is not installed"))

YEAR = "from=2026-01-01&to=2026-12-31"


def _tab(browser: Browser, live_server: str, demo: Demo, width: int, height: int) -> Page:  # noqa: F811
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": height})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.errors = errors  # type: ignore[attr-defined]
    sign_in(tab, demo)
    return tab


def test_insights_page_draws_its_charts_and_a_bar_opens_its_cases(
    browser: Browser,  # noqa: F811
    live_server: str,
    demo: Demo,
) -> None:
    tab = _tab(browser, live_server, demo, 1280, 900)
    tab.goto(f"/insights?{YEAR}")
    for key in ("trend", "category", "fault", "resolve", "cost"):
        canvas = tab.locator(f"#chart-{key}")
        expect(canvas).to_be_visible()
        assert tab.evaluate(f"!!window.Chart.getChart(document.getElementById('chart-{key}'))")
    shoot(tab, "insights-desktop")
    box = tab.locator("#chart-category").bounding_box()
    assert box is not None
    bar = tab.evaluate(
        "(() => { const c = window.Chart.getChart(document.getElementById('chart-category'));"
        " const e = c.getDatasetMeta(0).data[0]; return [e.x, e.y + 4]; })()"
    )
    tab.mouse.click(box["x"] + bar[0], box["y"] + bar[1])
    tab.wait_for_url("**/insights/cases?**")
    assert "figure=opened" in tab.url and "category=" in tab.url
    expect(tab.locator("h1")).to_contain_text("case")
    shoot(tab, "insights-cases")
    assert tab.errors == []  # type: ignore[attr-defined]
    tab.context.close()


def test_insights_page_fits_a_390_px_phone(browser: Browser, live_server: str, demo: Demo) -> None:  # noqa: F811
    tab = _tab(browser, live_server, demo, 390, 844)
    tab.goto(f"/insights?{YEAR}")
    expect(tab.locator("#chart-trend")).to_be_visible()
    overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px"
    shoot(tab, "insights-390")
    tab.context.close()


def test_monthly_review_in_chromium_and_as_pdf(browser: Browser, live_server: str, demo: Demo) -> None:  # noqa: F811
    tab = _tab(browser, live_server, demo, 900, 1000)
    tab.goto("/reports/2026-11")
    expect(tab.locator("h1")).to_have_text("Conflict review: November 2026")
    expect(tab.get_by_role("heading", name="Who is at risk")).to_be_visible()
    color = tab.evaluate("getComputedStyle(document.querySelector('h2')).color")
    assert color == "rgb(47, 93, 98)", "the review's stylesheet loaded"
    shoot(tab, "monthly-review")
    assert tab.errors == []  # type: ignore[attr-defined]
    tab.context.close()
    import pypdfium2 as pdfium  # dev extra: read the PDF back

    with session_scope() as db:
        workspace = user_lookup.workspace_by_slug(db, get_settings().workspace)
        assert workspace is not None
        report = monthly.monthly_report(db, actor=None, workspace_id=workspace.id, month="2026-11")
        out = pdf.render_pdf(report, ARTIFACTS / "monthly-review.pdf")
    document = pdfium.PdfDocument(str(out))
    text = document[0].get_textpage().get_text_range()
    assert "Conflict review: November 2026" in text and "Change in onboarding (P1)" in text
    document[0].render(scale=1.5).to_pil().save(ARTIFACTS / "monthly-review-pdf.png")
