"""Sharing the plan (P2): Markdown, HTML and PDF from the same data; the HTML opened in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.playbook import export
from accord.playbook.compare import diff_playbooks
from accord.playbook.loader import default_playbook, parse_playbook
from tests.playbook.helpers import accord

CHROMIUM = "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")
HEADINGS = [
    "Severity levels",
    "Who speaks for us",
    "Response targets",
    "When a complaint arrives",
    "Prepare before you answer",
    "The conversation: six steps",
    "When we made the mistake",
    "Reaching a resolution",
    "Follow-through",
    "Pre-approved solutions",
]


def _hostile(default_yaml: str) -> str:
    return default_yaml.replace(
        "    title: Listen to the whole story", "    title: Listen <script>alert(1)</script>", 1
    )


def test_markdown_and_html_carry_the_same_steps() -> None:
    playbook = default_playbook()
    md, html = export.to_markdown(playbook), export.to_html(playbook)
    for step in playbook.steps:
        assert f"### {step.title}" in md
        assert f'id="step-{step.id}"' in html
    assert "| 4 | 1 hour | 4 hours | 2 days |" in md


def test_html_escapes_playbook_text(default_yaml: str) -> None:
    html = export.to_html(parse_playbook(_hostile(default_yaml)))
    assert "<script>" not in html
    assert "Listen &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_diff_lists_what_changed(default_yaml: str) -> None:
    changed = (
        default_yaml.replace('version: "2026.1"', 'version: "2026.2"')
        .replace("4: {acknowledge_within: 1h,", "4: {acknowledge_within: 30m,")
        .replace("      limit: 15\n", "      limit: 20\n")
    )
    lines = diff_playbooks(default_playbook(), parse_playbook(changed))
    assert lines == [
        "~ version: 2026.1 -> 2026.2",
        "~ severity 4 acknowledge_within: 1 hour -> 30 minutes",
        "~ solution billing_credit: limit",
    ]


@needs_chromium
def test_pdf_is_printed_by_chromium(tmp_path: Path) -> None:
    out = export.to_pdf(default_playbook(), tmp_path / "playbook.pdf")
    assert out.read_bytes()[:5] == b"%PDF-"


def test_pdf_without_chromium_says_how_to_fix_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "find_chromium", lambda: None)
    with pytest.raises(Exception, match="PDF export needs Chromium"):
        export.to_pdf(default_playbook(), tmp_path / "x.pdf")


@pytest.mark.browser
@needs_chromium
def test_exported_html_opens_in_chromium_with_its_headings(tmp_path: Path) -> None:
    """Must show: `accord playbook export --format html` rendered by a real browser, screenshot kept."""
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "playbook.html"
    assert accord(tmp_path / "data", "init").returncode == 0
    result = accord(tmp_path / "data", "playbook", "export", "--format", "html", "--out", str(page_file))
    assert result.returncode == 0, result.stderr
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri())
            h1 = page.inner_text("h1")
            h2s = page.locator("h2").all_inner_texts()
            page.screenshot(path=str(tmp_path / "playbook.png"), full_page=True)
        finally:
            browser.close()
    assert h1.startswith("Accord default playbook")
    assert [h for h in HEADINGS if h not in h2s] == []
    assert (tmp_path / "playbook.png").stat().st_size > 10_000
