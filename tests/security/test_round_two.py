"""Issue 16 over HTTP: sessions revoked server-side, no public default secret, same-origin `next`,
login CSRF, one 404 text, one error shape, security headers (findings 3, 4, 8)."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner

from accord.app import create_app
from accord.config import Settings, get_settings
from accord.db import session_scope
from accord.users import auth, tokens
from accord.users import repository as user_lookup
from tests.security.helpers import api_auth, csrf_headers, sign_in
from tests.security.test_http import Site, site  # noqa: F401  (the shared fixture)

# -- finding 3: secrets and sessions ------------------------------------------------------------------


def test_no_secret_configured_means_a_private_random_one_per_data_dir(data_dir: Path) -> None:
    settings = get_settings()
    key_file = data_dir / "secret_key"
    assert settings.secret_key != "dev-secret-change-me" and len(settings.secret_key) >= 32
    assert key_file.read_text() == settings.secret_key
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    get_settings.cache_clear()
    assert get_settings().secret_key == settings.secret_key  # stable across restarts


def test_a_placeholder_secret_is_refused_in_every_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_SECRET_KEY", "dev-secret-change-me")
    with pytest.raises(ValueError, match="placeholder"):
        Settings()


def _forged_session(secret: str, user_id: int) -> str:
    """A session cookie as Starlette signs it, made with a guessed secret."""
    import base64
    import json

    from accord.clock import now

    payload = base64.b64encode(json.dumps({"uid": user_id, "started": now().isoformat(), "gen": 0}).encode())
    return TimestampSigner(secret).sign(payload).decode()


def test_a_cookie_signed_with_the_old_default_secret_opens_nothing(site: Site) -> None:  # noqa: F811
    with session_scope() as db:
        owner = user_lookup.user_by_email(db, site.owner[0])
        assert owner is not None
        owner_id = owner.id
    site.http.cookies.set("accord_session", _forged_session("dev-secret-change-me", owner_id))
    assert site.http.get("/", follow_redirects=False).status_code == 303


def test_a_session_copied_before_sign_out_is_dead_after_it(site: Site) -> None:  # noqa: F811
    assert sign_in(site.http, *site.owner) == 303
    copied = site.http.cookies.get("accord_session")
    assert site.http.post("/logout", headers=csrf_headers(site.http)).status_code in (200, 303)
    with TestClient(create_app()) as thief:
        thief.cookies.set("accord_session", copied or "")
        assert thief.get("/", follow_redirects=False).status_code == 303


def test_sign_out_everywhere_ends_other_browsers_sessions(site: Site) -> None:  # noqa: F811
    with TestClient(create_app()) as laptop, TestClient(create_app()) as phone:
        assert sign_in(laptop, *site.owner) == 303 and sign_in(phone, *site.owner) == 303
        with session_scope() as db:
            user = user_lookup.user_by_email(db, site.owner[0])
            assert user is not None
            auth.sign_out_everywhere(db, actor=None, user=user)
        assert laptop.get("/", follow_redirects=False).status_code == 303
        assert phone.get("/", follow_redirects=False).status_code == 303


def test_api_tokens_can_expire_and_then_stop_working(site: Site) -> None:  # noqa: F811
    from accord.clock import frozen, now

    with session_scope() as db:
        user = user_lookup.user_by_email(db, site.owner[0])
        assert user is not None
        token, plain = tokens.create_token(db, actor=user, scope="read", expires_in_days=1)
        assert token.expires_at is not None
    headers = {"Authorization": f"Bearer {plain}"}
    assert site.http.get("/api/v1/cases", headers=headers).status_code == 200
    with frozen(now()) as clock:
        clock.advance(__import__("datetime").timedelta(days=1, seconds=1))
        expired = site.http.get("/api/v1/cases", headers=headers)
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]


# -- finding 4: where a sign-in may lead ----------------------------------------------------------------

HOSTILE_NEXT = [
    "/\t/127.0.0.1:18499/",
    "/%09/evil.example/",
    "/\n/evil.example",
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "/ok\r\nSet-Cookie: x=1",
    "/\u2028/evil.example",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_sign_in_never_leaves_the_site(site: Site, target: str) -> None:  # noqa: F811
    site.http.get("/login")
    form = {
        "email": site.owner[0],
        "password": site.owner[1],
        "next": target,
        "csrftoken": site.http.cookies.get("csrftoken"),
    }
    response = site.http.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    page = site.http.get("/login", params={"next": target}).text
    assert 'name="next" value="/"' in page


def test_a_local_next_is_kept(site: Site) -> None:  # noqa: F811
    site.http.get("/login")
    form = {
        "email": site.owner[0],
        "password": site.owner[1],
        "next": "/clients?tier=key",
        "csrftoken": site.http.cookies.get("csrftoken"),
    }
    response = site.http.post("/login", data=form, follow_redirects=False)
    assert response.headers["location"] == "/clients?tier=key"


def test_login_form_from_another_site_is_refused(site: Site) -> None:  # noqa: F811
    with TestClient(create_app()) as victim:  # no visit to our login page: no csrftoken cookie to echo
        forged = victim.post(
            "/login", data={"email": site.owner[0], "password": site.owner[1]}, follow_redirects=False
        )
        assert forged.status_code == 403 and "accord_session" not in forged.headers.get("set-cookie", "")
        assert victim.get("/", follow_redirects=False).status_code == 303


# -- finding 8: small leaks ----------------------------------------------------------------------------


def test_another_workspaces_client_reads_exactly_like_a_missing_one(site: Site) -> None:  # noqa: F811
    from sqlalchemy import select

    from accord.clients.models import Client
    from accord.users.models import Workspace

    with session_scope() as db:
        rival = db.scalar(select(Workspace).where(Workspace.slug == "rival"))
        assert rival is not None
        elsewhere = db.scalar(select(Client.id).where(Client.workspace_id == rival.id))
        missing = (db.scalar(select(Client.id).order_by(Client.id.desc())) or 0) + 1000
    headers = api_auth("read")
    there = site.http.get(f"/api/v1/clients/{elsewhere}", headers=headers)
    absent = site.http.get(f"/api/v1/clients/{missing}", headers=headers)
    assert there.status_code == absent.status_code == 404
    assert there.json()["detail"].replace(str(elsewhere), "N") == absent.json()["detail"].replace(
        str(missing), "N"
    )


def test_api_docs_load_only_our_own_scripts_and_the_spec_is_the_only_public_api_path(site: Site) -> None:  # noqa: F811
    """The docs page (issue 20) shows the public spec with Swagger UI from static/: no CDN, no inline JS."""
    docs = site.http.get("/api/docs")
    scripts = re.findall(r"<script[^>]*>", docs.text)
    assert docs.status_code == 200 and scripts
    assert all(re.fullmatch(r'<script src="/static/[^"]+">', tag) for tag in scripts), scripts
    assert "script-src 'self';" in docs.headers["content-security-policy"]
    assert site.http.get("/api/openapi.json").status_code == 200  # public on purpose: SECURITY.md says why


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("get", "/api/v1/no-such-thing", {}),
        ("delete", "/api/v1/cases", {}),
        (
            "post",
            "/api/v1/clients",
            {"content": b"{not json", "headers": {"content-type": "application/json"}},
        ),
    ],
)
def test_every_api_error_body_has_error_and_detail(site: Site, method: str, path: str, kwargs: dict) -> None:  # noqa: F811
    headers = {**api_auth("write"), **kwargs.pop("headers", {})}
    response = getattr(site.http, method)(path, headers=headers, **kwargs)
    assert response.status_code >= 400
    body = response.json()
    assert set(body) == {"error", "detail"}, body


@pytest.mark.parametrize("path", ["/login", "/static/app.css", "/api/openapi.json", "/api/v1/cases"])
def test_every_response_carries_the_security_headers(site: Site, path: str) -> None:  # noqa: F811
    response = site.http.get(path)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_no_page_has_inline_scripts_or_styles(site: Site) -> None:  # noqa: F811
    sign_in(site.http, *site.owner)
    for path in ["/", "/login", "/clients", f"/cases/{site.hostile_ref}"]:
        html = site.http.get(path).text
        assert "<script>" not in html and 'style="' not in html and "<style" not in html, path


def test_a_token_is_marked_used_at_most_once_a_minute(site: Site) -> None:  # noqa: F811
    from datetime import timedelta

    from sqlalchemy import select

    from accord.clock import frozen, now
    from accord.users.models import ApiToken

    headers = api_auth("read")
    digest = tokens._digest(headers["Authorization"].split()[1])

    def last_used() -> object:
        with session_scope() as db:
            return db.scalar(select(ApiToken.last_used_at).where(ApiToken.token_hash == digest))

    with frozen(now()) as clock:
        site.http.get("/api/v1/cases", headers=headers)
        first = last_used()
        clock.advance(timedelta(seconds=30))
        site.http.get("/api/v1/cases", headers=headers)
        assert last_used() == first  # a read within the minute wrote nothing
        clock.advance(timedelta(seconds=31))
        site.http.get("/api/v1/cases", headers=headers)
        assert last_used() != first
