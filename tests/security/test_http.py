"""Who gets in over HTTP: tokens for the API, a session for pages, CSRF on forms, roles, isolation."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord import demo, setup
from accord.app import create_app
from accord.clock import frozen, now
from accord.db import session_scope
from accord.users import service as users
from tests.helpers import create_case, create_client, create_owner, create_workspace
from tests.security.helpers import api_auth, csrf_headers, sign_in

SCRIPT = '<script>alert("pwned")</script>'


@dataclass
class Site:
    http: TestClient
    owner: tuple[str, str]
    viewer: tuple[str, str]
    hostile_ref: str
    outsider_ref: str


@pytest.fixture
def site(data_dir: Path) -> Iterator[Site]:
    """The demo workspace, a viewer, a case with a hostile title, and another business's case."""
    with session_scope() as db:
        setup.init_workspace(db)
        demo.load_demo(db)
        owner = demo.reset_demo_login(db)
        workspace = create_workspace(db)
        viewer, password = users.add_user(
            db, actor=None, workspace=workspace, name="Vera Viewer", email="vera@north.example", role="viewer"
        )
        hostile = create_case(db, create_client(db, workspace, name=f"Evil {SCRIPT}"), title=f"Help {SCRIPT}")
        other = create_workspace(db, "rival")
        outsider = create_case(db, create_client(db, other), create_owner(db, other), title="Rival secret")
        other.next_case_number = 9000
        outsider2 = create_case(db, create_client(db, other), title="Rival secret two")
        refs = hostile.reference, outsider2.reference
        assert outsider.title
    with TestClient(create_app()) as http:
        yield Site(http, owner, (viewer.email, password), *refs)


def test_api_without_token_is_401_json(site: Site) -> None:
    response = site.http.get("/api/v1/cases")
    assert response.status_code == 401 and response.json()["error"] == "unauthorized"


def test_api_with_unknown_token_is_401(site: Site) -> None:
    response = site.http.get("/api/v1/cases", headers={"Authorization": "Bearer acc_forged"})
    assert response.status_code == 401


def test_read_token_reads_but_cannot_write(site: Site) -> None:
    headers = api_auth("read")
    assert site.http.get("/api/v1/cases", headers=headers).status_code == 200
    moved = site.http.post(
        f"/api/v1/cases/{site.hostile_ref}/move", json={"status": "acknowledged"}, headers=headers
    )
    assert moved.status_code == 403


def test_viewer_with_write_token_is_still_refused_by_the_service(site: Site) -> None:
    headers = api_auth("write", email=site.viewer[0])
    moved = site.http.post(
        f"/api/v1/cases/{site.hostile_ref}/move", json={"status": "acknowledged"}, headers=headers
    )
    assert moved.status_code == 403 and moved.json()["error"] == "forbidden"


def test_other_workspaces_case_is_404_not_403(site: Site) -> None:
    headers = api_auth("read")
    assert site.outsider_ref == "ACC-9000"
    assert site.http.get(f"/api/v1/cases/{site.outsider_ref}", headers=headers).status_code == 404


def test_case_list_shows_only_the_own_workspace(site: Site) -> None:
    listed = site.http.get("/api/v1/cases", params={"q": "Rival", "limit": 100}, headers=api_auth("read"))
    assert listed.status_code == 200 and "Rival secret" not in listed.text


def test_pages_redirect_to_login_without_a_session(site: Site) -> None:
    response = site.http.get(f"/cases/{site.hostile_ref}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_login_page_and_static_need_no_login(site: Site) -> None:
    assert site.http.get("/login").status_code == 200
    assert site.http.get("/static/app.css").status_code == 200


def test_wrong_password_stays_on_the_login_page(site: Site) -> None:
    assert sign_in(site.http, site.owner[0], "guess") == 401
    assert site.http.get("/", follow_redirects=False).status_code == 303


def test_right_password_opens_the_queue(site: Site) -> None:
    assert sign_in(site.http, *site.owner) == 303
    assert site.http.get("/").status_code == 200


def test_session_cookie_is_httponly_and_samesite(site: Site) -> None:
    site.http.get("/login")
    form = {
        "email": site.owner[0],
        "password": site.owner[1],
        "csrftoken": site.http.cookies.get("csrftoken"),
    }
    response = site.http.post("/login", data=form, follow_redirects=False)
    cookie = response.headers["set-cookie"].lower()
    assert "accord_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_post_without_csrf_token_is_refused(site: Site) -> None:
    sign_in(site.http, *site.owner)
    refused = site.http.post(f"/cases/{site.hostile_ref}/notes", data={"body": "hi"})
    assert refused.status_code == 403
    allowed = site.http.post(
        f"/cases/{site.hostile_ref}/notes", data={"body": "hi"}, headers=csrf_headers(site.http)
    )
    assert allowed.status_code != 403


def test_expired_session_is_sent_back_to_login(site: Site) -> None:
    with frozen(now()) as clock:
        sign_in(site.http, *site.owner)
        assert site.http.get("/", follow_redirects=False).status_code == 200
        clock.advance(timedelta(hours=13))
        assert site.http.get("/", follow_redirects=False).status_code == 303


def test_logout_ends_the_session(site: Site) -> None:
    sign_in(site.http, *site.owner)
    site.http.post("/logout", headers=csrf_headers(site.http))
    assert site.http.get("/", follow_redirects=False).status_code == 303


def test_login_never_redirects_off_site(site: Site) -> None:
    site.http.get("/login")
    response = site.http.post(
        "/login",
        data={
            "email": site.owner[0],
            "password": site.owner[1],
            "next": "//evil.example/",
            "csrftoken": site.http.cookies.get("csrftoken"),
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_script_in_client_text_is_escaped_on_the_queue(site: Site) -> None:
    sign_in(site.http, *site.owner)
    html = site.http.get("/", params={"q": "Help"}).text
    assert "Help" in html and SCRIPT not in html and "&lt;script&gt;" in html


def test_forged_confirmation_link_is_refused_without_a_login(site: Site) -> None:
    forged = site.http.post("/confirm/ACC-1001.forged", data={"answer": "yes"}, follow_redirects=False)
    assert forged.status_code in (400, 403, 404, 410) and "Thank you" not in forged.text


def test_signing_in_again_over_an_expired_session_works(site: Site) -> None:
    with frozen(now()) as clock:
        sign_in(site.http, *site.owner)
        clock.advance(timedelta(hours=13))
        assert sign_in(site.http, *site.owner) == 303
        assert site.http.get("/", follow_redirects=False).status_code == 200
