"""The queue for a day's work: views with counts, what is due, keys, clean URLs (issue 20)."""

from __future__ import annotations

import re

import pytest

from tests.web.test_browser import browser, page, pytestmark, shoot  # noqa: F401  (fixtures and marks)

try:
    from playwright.sync_api import Page, expect
except ImportError:  # pragma: no cover - playwright is a dev dependency
    pytest.skip("playwright-python is not installed", allow_module_level=True)


def test_views_show_counts_and_the_due_column_says_what_is_due(page: Page) -> None:  # noqa: F811
    page.goto("/")
    views = page.get_by_role("navigation", name="Views")
    for label in ("My cases", "Unassigned", "Overdue", "Waiting on client"):
        expect(views.get_by_role("link", name=re.compile(label))).to_contain_text(re.compile(r"\d"))
    first_due = page.locator("table.queue tbody tr").first.locator("td.due")
    expect(first_due).to_contain_text(re.compile("Acknowledge|Update|Resolve"))
    shoot(page, "queue")
    views.get_by_role("link", name=re.compile("Overdue")).click()
    page.wait_for_url(re.compile(r"/\?view=overdue$"))
    rows = page.locator("table.queue tbody tr")
    expect(rows.first).to_have_class(re.compile("overdue"))
    assert rows.count() == page.locator("table.queue tbody tr.overdue").count()


def test_j_k_move_enter_opens_and_question_mark_lists_the_keys(page: Page) -> None:  # noqa: F811
    page.goto("/")
    rows = page.locator("table.queue tbody tr")
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class(re.compile("selected"))
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_class(re.compile("selected"))
    expect(rows.nth(1)).not_to_have_class(re.compile("selected"))
    page.keyboard.press("?")
    expect(page.locator("#shortcuts")).to_be_visible()
    shoot(page, "queue-shortcuts")
    page.keyboard.press("?")
    expect(page.locator("#shortcuts")).to_be_hidden()
    target = rows.nth(0).get_attribute("data-href")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(target or "/cases/")))
    expect(page.locator("h1")).to_contain_text(re.compile(r"ACC-\d+"))


def test_filtering_leaves_a_clean_url(page: Page) -> None:  # noqa: F811
    page.goto("/")
    page.locator("select[name=severity]").select_option("4")
    page.wait_for_url(re.compile(r"/\?severity=4$"))
    expect(page.locator("table.queue tbody tr").first).to_contain_text("4")


def test_the_client_picker_finds_a_client_by_typing(page: Page) -> None:  # noqa: F811
    page.goto("/")
    page.locator("#client-q").fill("Copper")
    expect(page.locator("#client-select option", has_text="Copperline Coffee")).to_have_count(1)
    page.locator("#client-select").select_option(label="Copperline Coffee")
    page.wait_for_url(re.compile(r"/\?client=\d+$"))
    expect(page.locator("table.queue tbody tr").first).to_contain_text("Copperline Coffee")
