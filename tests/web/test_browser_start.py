"""Start work anywhere, in Debian's Chromium: a client, a case from a pasted email, an inline error that
keeps the input, a styled 404, an Unmatched message moved to its client, the API docs offline, and every
new page at 390 px wide (issue 20 items 1, 7, 8; P1, P3, P4)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.clients import service as clients
from accord.db import session_scope
from accord.intake import service as intake
from accord.jobs.triage_sweep import triage_messages
from accord.users import repository as user_lookup
from tests.web.conftest import Demo
from tests.web.test_browser import ARTIFACTS, CHROMIUM, browser, shoot, sign_in  # noqa: F401  (shared fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed at /usr/bin"),
]

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - playwright is a dev dependency
    pytestmark.append(pytest.mark.skip(reason="playwright-python is not installed"))

PASTED = """From: Dana Reyes <dana@copperline.example>
Subject: Fwd: Espresso machine still leaking
Message-ID: <browser-{n}@copperline.example>

The espresso machine you serviced on Monday is leaking again and we had to close the bar at noon.
If it is not fixed by tomorrow we will look for another supplier.
"""


def _tab(browser: Browser, live_server: str, demo: Demo, width: int = 1280) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(tab, demo)
    yield tab
    context.close()
    assert [e for e in errors if "Content Security Policy" in e] == []


@pytest.fixture
def desk(browser: Browser, live_server: str, demo: Demo) -> Iterator[Page]:  # noqa: F811
    """A signed-in laptop-sized tab; a CSP refusal in the console fails the test."""
    yield from _tab(browser, live_server, demo)


@pytest.fixture
def phone(browser: Browser, live_server: str, demo: Demo) -> Iterator[Page]:  # noqa: F811
    """A signed-in tab 390 px wide."""
    yield from _tab(browser, live_server, demo, width=390)


def test_create_a_client_with_terms_and_a_contact(desk: Page) -> None:
    name = f"Harbour Light Studio {time.time_ns() % 100000}"
    desk.goto("/clients")
    desk.get_by_role("link", name="New client").click()
    desk.fill("#name", name)
    desk.select_option("#tier", "key")
    desk.fill("#monthly_value", "2400")
    desk.fill("#email_domains", "harbourlight.example")
    desk.fill("#expectations", "Replies within one working day; two revision rounds per design.")
    desk.fill("#termination_terms", "30 days' notice in writing.")
    desk.locator("input[name=contact_name]").first.fill("Noor Haddad")
    desk.locator("input[name=contact_email]").first.fill("noor@harbourlight.example")
    shoot(desk, "start-client-form")
    desk.get_by_role("button", name="Add the client").click()
    expect(desk.locator("h1")).to_have_text(name)
    expect(desk.get_by_text("two revision rounds per design")).to_be_visible()
    expect(desk.get_by_text("Noor Haddad")).to_be_visible()
    shoot(desk, "start-client-created")


def test_open_a_case_from_a_pasted_email_and_see_its_triage(desk: Page) -> None:
    desk.goto("/")
    desk.get_by_role("link", name="New case").click()
    expect(desk).to_have_url(re.compile(r"/cases/new$"))  # bookmarkable
    desk.fill("#client", "copper")
    # the picker searched as I typed; it never loads every client
    expect(desk.locator("#client-options option")).to_have_count(1)
    desk.fill("#client", "Copperline Coffee")
    desk.fill("#text", PASTED.format(n=time.time_ns()))
    expect(desk.locator("#title")).to_have_attribute("placeholder", "Espresso machine still leaking")
    shoot(desk, "start-new-case-form")
    desk.get_by_role("button", name="Open the case").click()
    expect(desk.locator("h1")).to_contain_text("Espresso machine still leaking")
    expect(desk.get_by_text("dana@copperline.example").first).to_be_visible()
    # triage shows without a reload: pending at first, then the evidence (at most a few seconds)
    expect(desk.locator("#messages .triage:not(.pending)").first).to_be_visible(timeout=30_000)
    desk.screenshot(path=str(ARTIFACTS / "start-case-from-email-above-the-fold.png"))


def test_a_case_waiting_for_triage_shows_it_in_place_once_done(desk: Page) -> None:
    with session_scope() as db:  # a message stored without triage, as a mailbox poll would leave it
        workspace = user_lookup.workspace_by_slug(db, "default")
        assert workspace is not None
        client = clients.get_client(db, actor=None, workspace_id=workspace.id, key="Copperline Coffee")
        case, message = intake.open_case_from_message(
            db, actor=None, client=client, title="Grinder broke", body="The grinder broke again."
        )
        reference, message_id = case.reference, message.id if message else 0
    desk.goto(f"/cases/{reference}")
    expect(desk.locator("#messages .triage.pending")).to_be_visible()
    desk.evaluate("window.accordKept = 'typed while waiting'")  # gone if the page reloaded
    triage_messages([message_id])
    expect(desk.locator("#messages .triage:not(.pending)").first).to_be_visible(timeout=15_000)
    assert desk.evaluate("window.accordKept") == "typed while waiting"  # swapped in place, nothing lost


def test_a_form_error_sits_beside_the_field_and_keeps_the_input(desk: Page) -> None:
    typed = "Called: the new menu boards show last year's prices. <b>Not</b> happy."
    desk.goto("/cases/new")
    desk.fill("#client", "Nobody We Know Ltd")
    desk.select_option("#channel", "call")
    desk.fill("#sender", "Sam at the counter")
    desk.fill("#text", typed)
    desk.get_by_role("button", name="Open the case").click()
    error = desk.locator("#err-client")
    expect(error).to_contain_text("There is no client named Nobody We Know Ltd")
    expect(desk.locator("#client")).to_have_attribute("aria-invalid", "true")
    expect(desk.locator("#text")).to_have_value(typed)  # nothing typed was lost
    expect(desk.locator("#sender")).to_have_value("Sam at the counter")
    expect(desk.locator("#channel")).to_have_value("call")
    shoot(desk, "start-inline-error")
    desk.locator("input[name=new_client]").check()  # the fix is one tick away: create the client
    desk.get_by_role("button", name="Open the case").click()
    expect(desk.locator("h1")).to_contain_text("Called: the new menu boards show last year's prices.")


def test_an_unknown_address_is_a_styled_404_page(desk: Page) -> None:
    answer = desk.goto("/cases/ACC-99999")
    assert answer is not None and answer.status == 404
    expect(desk.locator("h1")).to_have_text("Page not found")
    expect(desk.get_by_text("No case ACC-99999")).to_be_visible()
    expect(desk.get_by_role("link", name="Back to the queue")).to_be_visible()
    expect(desk.locator("header.topbar")).to_be_visible()  # the app's own header, styled
    shoot(desk, "start-404")


def _unmatched_case(sender: str) -> str:
    raw = f"From: {sender}\nSubject: Catering order never arrived\nMessage-ID: <um-{time.time_ns()}@x>\n\n"
    raw += "We paid for the catering for 40 people and nobody came.\n"
    with session_scope() as db:
        workspace = user_lookup.workspace_by_slug(db, "default")
        assert workspace is not None
        message = intake.receive_email(db, workspace_id=workspace.id, raw=raw.encode())
        return intake.case_of_message(db, message=message).reference


def test_move_an_unmatched_message_to_its_client(desk: Page) -> None:
    sender = f"events{time.time_ns() % 100000}@copperline-events.example"
    reference = _unmatched_case(sender)
    desk.goto("/unmatched")
    row = desk.locator(f"#u-{reference}")
    expect(row).to_contain_text(sender)
    row.locator("input[name=client]").fill("Copperline Coffee")
    shoot(desk, "start-unmatched")
    row.get_by_role("button", name="Move to client").click()
    expect(desk.get_by_role("status")).to_have_text(f"{reference} moved to its client.")
    expect(desk.locator(f"#u-{reference}")).to_have_count(0)
    desk.goto(f"/cases/{reference}")
    expect(desk.locator(".crumbs")).to_contain_text("Copperline Coffee")


def test_api_docs_render_offline_from_our_own_files(desk: Page, live_server: str) -> None:
    outside: list[str] = []
    desk.on("request", lambda r: None if r.url.startswith(live_server) else outside.append(r.url))
    desk.goto("/api/docs")
    expect(desk.locator(".swagger-ui .info .title")).to_contain_text("Accord", timeout=15_000)
    shoot(desk, "start-api-docs")
    assert [u for u in outside if not u.startswith(("data:", "blob:"))] == []


@pytest.mark.parametrize("path", ["/cases/new", "/clients/new", "/clients/2/edit", "/unmatched", "/nowhere"])
def test_new_pages_fit_a_phone(phone: Page, path: str) -> None:
    phone.goto(path)
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than a 390px phone"
    shoot(phone, "start-phone" + path.replace("/", "-"))
