"""The desk in a real browser: Debian's Chromium driven by Playwright against the served app."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.cases import service as cases
from accord.clients import service as clients
from accord.db import session_scope
from tests.web.conftest import Demo

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("ACCORD_TEST_ARTIFACTS", "test-artifacts"))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed at /usr/bin"),
]

try:
    from playwright.sync_api import Browser, Dialog, Page, expect, sync_playwright
except ImportError:  # pragma: no cover - playwright is a dev dependency
    pytestmark.append(pytest.mark.skip(reason="playwright-python is not installed"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium with nothing reaching outside the machine."""
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=args)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: str, demo: Demo) -> Iterator[Page]:
    """A fresh signed-in tab; any alert or dialog makes the test fail."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    sign_in(tab, demo)
    yield tab
    context.close()
    assert dialogs == [], f"a dialog fired: {dialogs}"


def sign_in(tab: Page, demo: Demo) -> None:
    """Log in through the login page (when the security layer serves one)."""
    response = tab.goto("/login")
    if response is None or response.status == 404:
        return
    tab.fill("input[name=email]", demo.email)
    tab.fill("input[name=password]", demo.password)
    tab.locator("form button[type=submit], form input[type=submit]").first.click()
    tab.wait_for_url(lambda url: "/login" not in url)


def shoot(tab: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_open_a_case_from_the_queue(page: Page) -> None:
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Queue")
    shoot(page, "queue")
    page.get_by_role("link", name="Client portal down during filing deadline").click()
    expect(page.locator("h1")).to_contain_text("ACC-1002")
    expect(page.locator(".clientcard")).to_contain_text("90 days' notice")
    shoot(page, "case")


def test_slash_focuses_search_and_filters_the_queue(page: Page) -> None:
    page.goto("/")
    page.keyboard.press("/")
    expect(page.locator("#global-search")).to_be_focused()
    page.keyboard.type("Booking system")
    page.keyboard.press("Enter")
    expect(page.locator("table.queue tbody tr")).to_have_count(1)


def test_complete_a_step_from_the_case_page(page: Page) -> None:
    page.goto("/cases/ACC-1012")
    step = page.locator("#step-acknowledge_quickly")
    step.locator("textarea").fill("Replied within the hour, said when they hear next.")
    step.get_by_role("button", name="Mark done").click()
    expect(page.locator("#step-acknowledge_quickly")).to_have_class("step done")
    expect(page.locator("#step-acknowledge_quickly")).to_contain_text("Replied within the hour")


def test_typing_a_reply_shows_coach_findings(page: Page) -> None:
    page.goto("/cases/ACC-1005")
    page.locator("#reply-body").press_sequentially("We apologize for any inconvenience. Mistakes were made.")
    finding = page.locator('#coach .finding[data-rule="non_apology"]')
    expect(finding).to_be_visible()  # P16: a non-apology is flagged while typing
    expect(page.locator('#coach .finding[data-rule="evasive_passive"]')).to_contain_text("Mistakes were made")
    shoot(page, "coach")


def test_send_a_compliant_draft(page: Page) -> None:
    page.goto("/cases/ACC-1023")
    page.get_by_role("button", name="Update", exact=True).click()
    expect(page.locator("#reply-body")).to_contain_text("update on the problem")
    expect(page.locator("#coach")).to_contain_text("Looks good")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("#messages .msg.outbound")).to_contain_text("update on the problem")


def test_send_a_reply(page: Page) -> None:
    page.goto("/cases/ACC-1017")
    body = (
        "Hello Summit Physio, I understand the weekly calls matter to you. They are outside the contract. "
        "I will send you a short proposal for them by Friday at noon."
    )
    page.fill("#reply-body", body)
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("#messages .msg.outbound")).to_contain_text("short proposal for them")


def test_call_mode_runs_to_the_end(page: Page) -> None:
    page.goto("/cases/ACC-1013")
    page.get_by_role("link", name="Call mode").click()
    for number in range(1, 7):
        expect(page.locator(".stage")).to_contain_text(f"Step {number} of 6")
        page.fill("#call-notes", f"Notes for step {number}")
        page.locator(".stage button.primary").click()
    expect(page.locator("h1")).to_have_text("Call complete")
    expect(page.locator(".summary")).to_contain_text("Notes for step 6")


def test_client_html_is_shown_as_text(page: Page, demo: Demo) -> None:
    page.goto(f"/cases/{demo.hostile_ref}")
    body = page.locator("#messages .msg .body").first
    expect(body).to_contain_text('<script>alert("owned")</script>')
    expect(body).to_contain_text("<b>else</b>")
    assert body.locator("script, b, img").count() == 0
    expect(page.locator("h1")).to_contain_text("Angry <i>markup</i> email")


def test_a_refused_move_explains_itself(page: Page) -> None:
    page.goto("/cases/ACC-1014")
    page.select_option("#move-status", "resolution_proposed")
    page.get_by_role("button", name="Move").click()
    expect(page.locator("#flash")).to_contain_text("finish or skip these steps")  # P9 gate, in plain words


def test_pages_fit_a_phone_screen(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    for url in ("/", "/cases/ACC-1002", "/cases/ACC-1002/call", "/clients/1", "/playbook"):
        page.goto(url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px on a phone"


def test_confirm_a_resolution_from_the_client_page(page: Page, browser: Browser, live_server: str) -> None:
    page.goto("/clients")
    page.get_by_role("link", name="Summit Physio").click()
    row = page.locator("tr", has=page.get_by_role("link", name="Ad spend exceeded the monthly cap"))
    row.get_by_role("button", name="Ask to confirm").click()
    link = row.locator("a.share")
    expect(link).to_be_visible()
    url = link.get_attribute("href")
    assert url is not None and "/confirm/" in url
    client_side = browser.new_context(base_url=live_server)  # the client has no account (P23)
    client_tab = client_side.new_page()
    client_tab.goto("/confirm/" + url.rsplit("/confirm/", 1)[1])
    client_tab.get_by_role("button", name="Yes, this is resolved").click()
    expect(client_tab.locator("body")).to_contain_text("ACC-1006")
    client_side.close()
    page.reload()
    expect(page.locator("tr", has_text="Ad spend exceeded")).to_contain_text("resolved")


def test_user_menu_signs_out(page: Page, demo: Demo) -> None:
    if page.request.get("/login").status == 404:
        pytest.skip("the security layer's login page is not installed")
    page.goto("/")
    page.locator(".usermenu summary").click()
    expect(page.locator(".usermenu .menu")).to_contain_text(demo.email)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")
    page.goto("/cases/ACC-1002")
    expect(page).to_have_url(re.compile(r"/login"))  # signed out: pages need a login again


def test_override_the_severity_from_the_facts_form(page: Page) -> None:
    page.goto("/cases/ACC-1026")  # an open case: a closed one is read-only apart from reopen and notes
    page.locator("#facts summary").click()
    facts = page.locator("#facts")
    current = facts.locator("select[name=severity]").input_value()
    level = "1" if current != "1" else "4"
    facts.locator("select[name=severity]").select_option(level)
    facts.locator("input[name=severity_reason]").fill("The outage only hit their test site")
    facts.locator("select[name=fault]").select_option("none")
    shoot(page, "facts")
    facts.get_by_role("button", name="Save facts").click()
    expect(page.locator(".casehead .sev")).to_have_text(f"Severity {level}")  # P4: a person overrides
    expect(page.locator(".casehead")).to_contain_text("fault: none")
    expect(page.locator("#timeline")).to_contain_text("severity changed")


def _toxic_case() -> str:
    with session_scope() as db:
        client = clients.add_client(
            db,
            actor=None,
            workspace_id=1,
            name="Thornfield Holdings",
            monthly_value=1200,
            termination_terms="Either side may end it with 30 days' written notice by email.",
        )
        clients.mark_client_toxic(db, actor=None, client=client)
        case = cases.open_case(
            db, actor=None, client=client, title="Abusive voicemail again", category="conduct"
        )
        return case.reference


def test_the_exit_checklist_ends_the_relationship_by_the_contract(page: Page) -> None:
    """P20, P21: a toxic client's case shows the terms and the checklist; ending needs every item."""
    reference = _toxic_case()
    page.goto(f"/cases/{reference}")
    exit_card = page.locator("#exit")
    expect(exit_card).to_contain_text("The client is marked toxic")
    expect(exit_card).to_contain_text("30 days' written notice by email")  # P20: the contract's own terms
    expect(exit_card.locator("input[name=done]")).to_have_count(6)
    page.fill("#exit-reason", "Abuse of our staff on three calls")
    exit_card.locator("input[value=notice]").check()
    exit_card.locator("input[value=final_invoice]").check()
    exit_card.get_by_role("button", name="End the relationship").click()
    expect(page.locator("#flash")).to_contain_text("Still to do: files, access")  # P21: by the contract
    expect(page.locator("#exit-reason")).to_have_value("Abuse of our staff on three calls")  # nothing lost
    for item in ("files", "access", "last_message_drafted", "last_message_coached"):
        exit_card.locator(f"input[value={item}]").check()
    exit_card.get_by_role("button", name="End the relationship").click()
    expect(page.locator("#exit")).to_contain_text(
        "The relationship has ended: Abuse of our staff on three calls"
    )
    page.reload()
    expect(page.locator("#ended-banner")).to_contain_text("an owner must reopen work")
