"""After a POST the browser moves on: htmx is told with HX-Redirect, a plain form gets a 303."""

from __future__ import annotations

from fastapi.testclient import TestClient

from accord.app import create_app
from tests.web.conftest import Demo, csrf_headers

HTMX = {"HX-Request": "true"}


def test_htmx_note_is_answered_with_hx_redirect_not_303(web: TestClient) -> None:
    answer = web.post(
        "/cases/ACC-1002/notes",
        data={"body": "Called their office manager"},
        headers={**csrf_headers(web), **HTMX},
        follow_redirects=False,
    )
    assert answer.status_code in (200, 204)
    assert answer.headers["HX-Redirect"] == "/cases/ACC-1002" and "location" not in answer.headers
    assert "Called their office manager" in web.get("/cases/ACC-1002").text


def test_plain_note_form_keeps_the_303(web: TestClient) -> None:
    answer = web.post(
        "/cases/ACC-1002/notes",
        data={"body": "Sent the invoice copy"},
        headers=csrf_headers(web),
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/cases/ACC-1002"


def test_htmx_sign_in_is_told_where_to_go(demo: Demo) -> None:
    with TestClient(create_app()) as browser:
        browser.get("/login")
        form = {
            "email": demo.email,
            "password": demo.password,
            "next": "/clients",
            "csrftoken": browser.cookies.get("csrftoken"),
        }
        answer = browser.post("/login", data=form, headers=HTMX, follow_redirects=False)
        assert answer.status_code in (200, 204)
        assert answer.headers["HX-Redirect"] == "/clients" and "location" not in answer.headers
        assert browser.get("/clients", follow_redirects=False).status_code == 200


def test_plain_sign_in_keeps_the_303(demo: Demo) -> None:
    with TestClient(create_app()) as browser:
        browser.get("/login")
        form = {"email": demo.email, "password": demo.password, "csrftoken": browser.cookies.get("csrftoken")}
        answer = browser.post("/login", data=form, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/"


def test_htmx_request_without_a_session_is_sent_to_the_login(demo: Demo) -> None:
    with TestClient(create_app()) as stranger:
        answer = stranger.get("/cases/ACC-1002", headers=HTMX, follow_redirects=False)
        assert answer.status_code in (200, 204)
        assert answer.headers["HX-Redirect"].startswith("/login") and "location" not in answer.headers
        assert "Invoice" not in answer.text


def test_htmx_sign_out_is_told_to_go_to_the_login(web: TestClient) -> None:
    answer = web.post("/logout", headers={**csrf_headers(web), **HTMX}, follow_redirects=False)
    assert answer.status_code in (200, 204) and answer.headers["HX-Redirect"] == "/login"
    assert web.get("/", follow_redirects=False).status_code == 303
