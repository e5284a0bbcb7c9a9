"""The team and settings pages over HTTP with plain forms: invitations, roles, tokens, the base URL,
working hours; a non-owner is refused (issue 20). Browser flows are in test_browser_team.py."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from accord.app import create_app
from accord.config import get_settings
from accord.db import session_scope
from accord.users import service as users
from tests.notify.test_transports import _Receiver
from tests.web.conftest import Demo, csrf_headers, form_token


def _post(client: TestClient, page: str, action: str, data: dict[str, str]) -> object:
    token = form_token(client.get(page).text, action)
    return client.post(action, data={**data, "csrftoken": token}, follow_redirects=False)


def _member(role: str) -> tuple[str, str]:
    """A fresh member of the demo workspace with a known password."""
    email, password = f"{role}-{secrets.token_hex(4)}@northwind.example", "member password 1"
    with session_scope() as db:
        workspace = users.find_workspace(db, slug=get_settings().workspace)
        assert workspace is not None
        users.add_user(
            db,
            actor=None,
            workspace=workspace,
            name=f"Test {role}",
            email=email,
            role=role,
            password=password,
        )
    return email, password


@pytest.fixture
def agent_web(demo: Demo) -> Iterator[TestClient]:
    email, password = _member("agent")
    with TestClient(create_app()) as client:
        client.get("/login")
        client.post("/login", data={"email": email, "password": password}, headers=csrf_headers(client))
        yield client


def test_an_invitation_link_works_once_and_signs_the_invitee_in(web: TestClient, demo: Demo) -> None:
    email = f"invitee-{secrets.token_hex(4)}@northwind.example"
    answer = _post(web, "/team", "/team/invitations", {"email": email, "role": "agent"})
    link = re.search(r'id="invite-url"[^>]*value="([^"]+)"', answer.text)  # type: ignore[attr-defined]
    assert link is not None and link.group(1).startswith("http://testserver/invite/")
    path = link.group(1).removeprefix("http://testserver")
    with TestClient(create_app()) as stranger:
        joined = _post(stranger, path, path, {"name": "Ines Invitee", "password": "a long password"})
        assert (joined.status_code, joined.headers["location"]) == (303, "/")  # type: ignore[attr-defined]
        assert "Ines Invitee" in stranger.get("/").text
    with TestClient(create_app()) as late:
        again = late.get(path)
        assert again.status_code == 410 and "already used" in again.text
    assert "used" in web.get("/team").text


def test_a_short_password_keeps_the_invitee_on_the_form(web: TestClient) -> None:
    email = f"short-{secrets.token_hex(4)}@northwind.example"
    answer = _post(web, "/team", "/team/invitations", {"email": email, "role": "viewer"})
    path = re.search(r'value="http://testserver(/invite/[^"]+)"', answer.text)  # type: ignore[attr-defined]
    assert path is not None
    with TestClient(create_app()) as stranger:
        refused = _post(stranger, path.group(1), path.group(1), {"name": "Kim Short", "password": "short"})
        assert refused.status_code == 422  # type: ignore[attr-defined]
        assert "at least 10 characters" in refused.text and 'value="Kim Short"' in refused.text  # type: ignore[attr-defined]


def test_an_agent_sees_the_team_but_cannot_invite(agent_web: TestClient) -> None:
    page = agent_web.get("/team")
    assert page.status_code == 200 and "Only owners invite people" in page.text
    assert 'action="/team/invitations"' not in page.text
    token = agent_web.cookies.get("csrftoken") or ""
    data = {"email": "sneaky@northwind.example", "role": "owner", "csrftoken": token}
    refused = agent_web.post("/team/invitations", data=data, follow_redirects=False)
    assert refused.status_code == 403 and "Only owner may invite team members" in refused.text


def test_an_agent_cannot_change_working_hours(agent_web: TestClient) -> None:
    page = agent_web.get("/settings")
    assert page.status_code == 200 and 'action="/settings/hours"' not in page.text
    token = agent_web.cookies.get("csrftoken") or ""
    data = {"timezone": "UTC", "day_start": "00:00", "day_end": "23:59", "weekdays": "6", "csrftoken": token}
    assert agent_web.post("/settings/hours", data=data, follow_redirects=False).status_code == 403


def test_the_settings_page_warns_when_the_base_url_differs(web: TestClient) -> None:
    page = web.get("/settings").text
    assert "taken from the address you used" in page
    assert "follow-ups the worker sends later point at http://127.0.0.1:8000" in page  # testserver != 8000
    saved = _post(web, "/settings", "/settings/base-url", {"base_url": "https://desk.northwind.example/"})
    assert saved.status_code == 303  # type: ignore[attr-defined]
    try:
        page = web.get("/settings").text
        assert "Links in mails point at https://desk.northwind.example, but you opened this page at" in page
    finally:
        _post(web, "/settings", "/settings/base-url", {"base_url": ""})
    assert "Links in mails point at https://desk" not in web.get("/settings").text


def test_a_token_is_shown_once_works_and_stops_when_revoked(web: TestClient) -> None:
    answer = _post(web, "/settings", "/settings/tokens", {"name": "Report script", "scope": "read"})
    plain = re.search(r'id="new-token-value"[^>]*value="(acc_[^"]+)"', answer.text)  # type: ignore[attr-defined]
    assert plain is not None
    bearer = {"authorization": f"Bearer {plain.group(1)}"}
    assert web.get("/api/v1/cases", headers=bearer).status_code == 200
    assert plain.group(1) not in web.get("/settings").text
    row = re.search(r'action="(/settings/tokens/\d+/revoke)"', web.get("/settings").text)
    assert row is not None
    assert _post(web, "/settings", row.group(1), {}).status_code == 303  # type: ignore[attr-defined]
    assert web.get("/api/v1/cases", headers=bearer).status_code == 401


def test_a_bad_holiday_is_named_and_the_typed_text_kept(web: TestClient) -> None:
    typed = "2026-12-25\n2026-13-45"
    data = {"timezone": "UTC", "day_start": "09:00", "day_end": "17:00", "weekdays": "0", "holidays": typed}
    answer = _post(web, "/settings", "/settings/hours", data)
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert "2026-13-45&#39; is not a date" in answer.text  # type: ignore[attr-defined]
    assert typed in answer.text  # type: ignore[attr-defined]
    assert "2026-13-45" not in web.get("/settings").text


def test_an_owner_changes_a_role_and_deactivates_a_member(web: TestClient) -> None:
    email, password = _member("agent")
    row = re.search(
        rf'<tr id="member-(\d+)"[^>]*>(?:(?!</tr>).)*{re.escape(email)}', web.get("/team").text, re.S
    )
    assert row is not None
    member = row.group(1)
    assert _post(web, "/team", f"/team/{member}/role", {"role": "lead"}).status_code == 303  # type: ignore[attr-defined]
    assert _post(web, "/team", f"/team/{member}/deactivate", {}).status_code == 303  # type: ignore[attr-defined]
    listed = re.search(rf'<tr id="member-{member}".*?</tr>', web.get("/team").text, re.S)
    assert listed is not None and "lead" in listed.group(0) and "deactivated" in listed.group(0)
    with TestClient(create_app()) as gone:
        gone.get("/login")
        answer = gone.post("/login", data={"email": email, "password": password}, headers=csrf_headers(gone))
        assert answer.status_code == 401


def test_a_webhook_is_added_tested_against_a_receiver_and_removed(web: TestClient) -> None:
    receiver = _Receiver([200])
    try:
        assert _post(web, "/settings", "/settings/webhooks", {"url": receiver.url}).status_code == 303  # type: ignore[attr-defined]
        hook = re.search(r'action="(/settings/webhooks/(\d+))/test"', web.get("/settings").text)
        assert hook is not None
        _post(web, "/settings", f"{hook.group(1)}/test", {})
        assert "HTTP 200: delivered" in web.get("/settings").text
        assert [body["event"] for body in receiver.bodies] == ["test"] and receiver.valid == [True]
        _post(web, "/settings", f"{hook.group(1)}/remove", {})
        assert receiver.url not in web.get("/settings").text
    finally:
        receiver.close()


def test_a_webhook_added_twice_is_refused_beside_the_webhooks(web: TestClient) -> None:
    data = {"url": "https://hooks.northwind.example/accord"}
    assert _post(web, "/settings", "/settings/webhooks", data).status_code == 303  # type: ignore[attr-defined]
    again = _post(web, "/settings", "/settings/webhooks", data)
    assert again.status_code == 409  # type: ignore[attr-defined]
    assert "https://hooks.northwind.example/accord is already a webhook." in again.text  # type: ignore[attr-defined]
    assert 'action="/settings/webhooks"' in again.text  # type: ignore[attr-defined]  # the page, not an error page
    assert web.get("/settings").text.count('action="/settings/webhooks/') == 2  # one row: test, remove


def test_a_mailbox_is_added_and_removed_and_its_password_never_shown(web: TestClient) -> None:
    data = {"host": "imap.northwind.example", "port": "993", "user": "help@northwind.example"}
    data |= {"password": "imap-secret-77", "folder": "INBOX", "tls": "ssl"}
    assert _post(web, "/settings", "/settings/mailboxes", data).status_code == 303  # type: ignore[attr-defined]
    page = web.get("/settings").text
    assert "help@northwind.example</strong> on imap.northwind.example:993/INBOX" in page
    assert "imap-secret-77" not in page
    remove = re.search(r'action="(/settings/mailboxes/\d+/remove)"', page)
    assert remove is not None
    _post(web, "/settings", remove.group(1), {})
    assert "imap.northwind.example" not in web.get("/settings").text


def test_the_last_owner_is_told_on_the_page_why_they_cannot_step_down(web: TestClient, demo: Demo) -> None:
    me = re.search(
        r'<tr id="member-(\d+)"[^>]*>\s*<td class="title">[^<]*<span class="muted">\(you\)',
        web.get("/team").text,
    )
    assert me is not None
    answer = _post(web, "/team", f"/team/{me.group(1)}/role", {"role": "viewer"})
    assert answer.status_code == 409  # type: ignore[attr-defined]
    assert "is the only owner; make someone else owner first" in answer.text  # type: ignore[attr-defined]
    assert "<h1>Team</h1>" in answer.text  # type: ignore[attr-defined]
