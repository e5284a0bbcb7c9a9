"""Plain HTML forms work with JavaScript off: the CSRF token rides in a hidden `csrftoken` field."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from accord.app import create_app
from tests.web.conftest import Demo, form_token


def test_plain_form_with_the_hidden_field_is_accepted(web: TestClient) -> None:
    token = form_token(web.get("/cases/ACC-1004").text, "/cases/ACC-1004/notes")
    answer = web.post(
        "/cases/ACC-1004/notes",
        data={"body": "Posted without JavaScript", "csrftoken": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert "Posted without JavaScript" in web.get("/cases/ACC-1004").text


def test_plain_form_without_the_field_is_refused(web: TestClient) -> None:
    data = {"body": "Forged from another site"}
    answer = web.post("/cases/ACC-1004/notes", data=data, follow_redirects=False)
    assert answer.status_code == 403
    assert "Forged from another site" not in web.get("/cases/ACC-1004").text


def test_plain_form_with_a_wrong_token_is_refused(web: TestClient) -> None:
    data = {"body": "Guessed token", "csrftoken": "not-the-token"}
    assert web.post("/cases/ACC-1004/notes", data=data, follow_redirects=False).status_code == 403


def test_every_post_form_on_the_case_page_carries_the_token(web: TestClient) -> None:
    html = web.get("/cases/ACC-1003").text
    forms = re.findall(r"<form\b[^>]*>", html)
    posting = [f for f in forms if 'method="post"' in f or "hx-post" in f]
    assert len(posting) >= 4
    cookie = web.cookies.get("csrftoken")
    for tag in posting:
        action = re.search(r'action="([^"]+)"', tag)
        assert action is not None, f"a POST form without an action cannot work without JavaScript: {tag}"
        assert form_token(html, action.group(1)) == cookie


def test_the_first_page_already_holds_the_cookie_token(demo: Demo) -> None:
    with TestClient(create_app()) as browser:
        page = browser.get("/login")
        assert form_token(page.text, "/login") == browser.cookies.get("csrftoken")


def test_a_step_can_be_completed_and_sign_out_works_without_javascript(web: TestClient) -> None:
    action = "/cases/ACC-1003/steps/listen/complete"
    token = form_token(web.get("/cases/ACC-1003").text, action)
    done = web.post(action, data={"notes": "Heard them out", "csrftoken": token}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/cases/ACC-1003#step-listen"
    assert "Heard them out" in web.get("/cases/ACC-1003").text
    out = web.post("/logout", data={"csrftoken": token}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert web.get("/", follow_redirects=False).status_code == 303
