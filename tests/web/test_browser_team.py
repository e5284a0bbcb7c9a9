"""The team and settings pages in Debian's Chromium (Playwright): an invitee joins with the one-time
link and lands signed in, a token is created and revoked, a test mail reaches a real SMTP server, a
non-owner is refused, and both pages fit a 390 px phone (issue 20)."""

# ruff: noqa: F811  (the tests take the `browser` and `page` fixtures imported from test_browser by name)

from __future__ import annotations

import contextlib
import secrets
import socket
from collections.abc import Iterator
from email import message_from_bytes
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from accord.config import get_settings
from accord.db import session_scope
from accord.users import service as users
from tests.web.conftest import Demo
from tests.web.test_browser import browser, page, pytestmark, shoot, sign_in  # noqa: F401  (fixtures)

with contextlib.suppress(ImportError):  # without playwright, pytestmark (from test_browser) skips the file
    from playwright.sync_api import Browser, Page, expect

__all__ = ["pytestmark"]


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Inbox]:
    """aiosmtpd on a free loopback port; the served app reads ACCORD_SMTP_* when it sends."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("ACCORD_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ACCORD_SMTP_PORT", str(port))
    get_settings.cache_clear()
    yield inbox
    controller.stop()
    monkeypatch.undo()
    get_settings.cache_clear()


def _agent(demo: Demo) -> Demo:
    """A fresh agent of the demo workspace, as a login."""
    email, password = f"agent-{secrets.token_hex(4)}@northwind.example", "agent password 1"
    with session_scope() as db:
        workspace = users.find_workspace(db, slug=get_settings().workspace)
        assert workspace is not None
        users.add_user(
            db, actor=None, workspace=workspace, name="Avery Agent", email=email, password=password
        )
    return Demo(demo.data_dir, email, password, demo.hostile_ref)


def test_an_invited_person_signs_in_with_the_one_time_link(
    page: Page, browser: Browser, live_server: str
) -> None:
    email = f"nora-{secrets.token_hex(4)}@northwind.example"
    page.goto("/team")
    page.fill("#invite-email", email)
    page.select_option("#invite-role", "lead")
    page.get_by_role("button", name="Create invitation link").click()
    link = page.locator("#invite-url").input_value()
    assert link.startswith(live_server + "/invite/")  # the port this server runs on, not 8000
    shoot(page, "team")
    invitee = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844})
    tab = invitee.new_page()
    tab.goto(link)
    expect(tab.locator("main")).to_contain_text(f"invited as lead with the address {email}")
    shoot(tab, "invite-390")
    tab.fill("#name", "Nora Newcomer")
    tab.fill("#password", "a long new password")
    tab.get_by_role("button", name="Join and sign in").click()
    tab.wait_for_url(live_server + "/")
    expect(tab.locator(".usermenu")).to_contain_text("N")
    tab.goto("/team")
    expect(tab.locator("table.team")).to_contain_text("Nora Newcomer")
    tab.goto(link)
    expect(tab.locator("p.error")).to_contain_text("This invitation was already used")
    shoot(tab, "invite-used-390")
    invitee.close()


def test_a_token_is_created_shown_once_and_revoked(page: Page, live_server: str) -> None:
    page.goto("/settings")
    page.fill("#token-name", "Browser test script")
    page.get_by_role("button", name="Create token").click()
    plain = page.locator("#new-token-value").input_value()
    bearer = {"authorization": f"Bearer {plain}"}
    assert httpx.get(f"{live_server}/api/v1/cases", headers=bearer).status_code == 200
    page.goto("/settings#tokens")
    expect(page.locator("#new-token-value")).to_have_count(0)
    row = page.locator("table.tokens tr", has_text="Browser test script")
    row.get_by_role("button", name="Revoke").click()
    expect(page.locator("table.tokens tr", has_text="Browser test script")).to_contain_text("revoked")
    assert httpx.get(f"{live_server}/api/v1/cases", headers=bearer).status_code == 401


def test_send_test_mail_reaches_the_smtp_server(page: Page, smtp: _Inbox) -> None:
    page.goto("/settings")
    expect(page.locator("#smtp")).to_contain_text(f"127.0.0.1:{get_settings().smtp_port}")
    page.fill("#test-to", "ops@northwind.example")
    page.get_by_role("button", name="Send test mail").click()
    expect(page.locator(".test-mail-result")).to_contain_text("Sent to ops@northwind.example")
    assert [(m["To"], m["Subject"]) for m in smtp.messages] == [("ops@northwind.example", "Accord test mail")]
    shoot(page, "settings")


def test_a_non_owner_is_refused(browser: Browser, live_server: str, demo: Demo) -> None:
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    sign_in(tab, _agent(demo))
    tab.goto("/team")
    expect(tab.locator("main")).to_contain_text("Only owners invite people")
    expect(tab.locator("#invite-email")).to_have_count(0)
    tab.goto("/settings")
    expect(tab.locator("#hours form")).to_have_count(0)
    token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    answer = tab.request.post(
        "/team/invitations", form={"email": "sneaky@northwind.example", "role": "owner", "csrftoken": token}
    )
    assert answer.status == 403 and "Only owner may invite team members" in answer.text()
    context.close()


@pytest.mark.parametrize("path", ["/team", "/settings"])
def test_the_pages_fit_a_phone(page: Page, path: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 390 px"
    shoot(page, f"{path.strip('/')}-390")
