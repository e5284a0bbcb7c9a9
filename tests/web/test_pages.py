"""Every page answers on the demo data and shows what a spokesperson needs (no browser)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import Demo, csrf_headers


def test_queue_lists_open_cases_and_leaves_resolved_ones_out(web: TestClient) -> None:
    page = web.get("/")
    assert page.status_code == 200
    assert "Client portal down during filing deadline" in page.text
    assert "st-closed" not in page.text and "st-resolved" not in page.text


def test_queue_filters_by_client_search_and_severity(web: TestClient) -> None:
    page = web.get("/", params={"q": "portal", "severity": "4"})
    assert "Client portal down" in page.text
    assert "Invoice charged twice" not in page.text


def test_queue_pages_by_cursor_without_repeating_a_case(web: TestClient) -> None:
    first = web.get("/", params={"status": "all"})
    following = re.search(r'href="([^"]+)" rel="next"', first.text)
    assert following is not None and "after=" in following.group(1)
    second = web.get(following.group(1).replace("&amp;", "&"))
    assert 'rel="first"' in second.text
    titles = set(re.findall(r'href="/cases/(ACC-\d+)"', first.text))
    assert titles and titles.isdisjoint(re.findall(r'href="/cases/(ACC-\d+)"', second.text))


def test_a_made_up_page_link_is_a_readable_error(web: TestClient) -> None:
    page = web.get("/", params={"after": "yesterday_1"})
    assert page.status_code == 422 and "not valid" in page.text


def test_htmx_filter_returns_only_the_rows(web: TestClient) -> None:
    rows = web.get("/", params={"category": "outage"}, headers={"HX-Request": "true"})
    assert "<table" in rows.text and "<html" not in rows.text


def test_case_page_shows_client_card_steps_advice_and_timeline(web: TestClient) -> None:
    page = web.get("/cases/ACC-1002")
    assert page.status_code == 200
    for expected in (
        "90 days&#39; notice",  # P1: termination terms on the client card
        "Earlier conflicts",
        "Listen to the whole story",  # P13 steps with guidance
        "Approach",
        "Timeline",
    ):
        assert expected in page.text


def test_client_text_is_escaped_on_the_case_page(web: TestClient, demo: Demo) -> None:
    page = web.get(f"/cases/{demo.hostile_ref}")
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;" in page.text
    assert "<img src=x" not in page.text


def test_unknown_case_is_a_readable_404(web: TestClient) -> None:
    page = web.get("/cases/ACC-99999")
    assert page.status_code == 404
    assert "No case ACC-99999" in page.text


def test_completing_a_step_returns_the_updated_steps(web: TestClient) -> None:
    page = web.post(
        "/cases/ACC-1003/steps/acknowledge_quickly/complete",
        data={"notes": "Told them we are on it"},
        headers={**csrf_headers(web), "HX-Request": "true"},
    )
    assert page.status_code == 200
    assert "Told them we are on it" in page.text


def test_moving_a_case_goes_back_to_its_page(web: TestClient) -> None:
    page = web.post(
        "/cases/ACC-1019/move",
        data={"status": "preparing"},
        headers=csrf_headers(web),
        follow_redirects=False,
    )
    assert page.status_code == 303
    assert page.headers["location"] == "/cases/ACC-1019"


def test_a_closed_gate_says_which_steps_are_missing(web: TestClient) -> None:
    page = web.post("/cases/ACC-1005/move", data={"status": "resolution_proposed"}, headers=csrf_headers(web))
    assert page.status_code == 409
    assert "finish or skip these steps" in page.text  # P9: prepare before proposing (in plain words)


def test_coach_fragment_answers_while_typing(web: TestClient) -> None:
    page = web.post("/cases/ACC-1001/coach", data={"body": "We are sorry."}, headers=csrf_headers(web))
    assert page.status_code == 200
    assert "<html" not in page.text


def test_call_mode_walks_six_conversation_steps(web: TestClient) -> None:
    page = web.get("/cases/ACC-1015/call")
    assert "Step 1 of 6" in page.text
    done = web.get("/cases/ACC-1015/call", params={"step": "7"})
    assert "Call complete" in done.text


def test_client_page_shows_terms_and_conflicts(web: TestClient) -> None:
    listing = web.get("/clients")
    assert "Harbor &amp; Finch Legal" in listing.text
    client_id = re.search(r'href="/clients/(\d+)">Harbor', listing.text)
    assert client_id is not None
    page = web.get(f"/clients/{client_id.group(1)}")
    assert "90 days&#39; notice" in page.text
    assert "ACC-1002" in page.text


def test_playbook_page_and_exports(web: TestClient) -> None:
    page = web.get("/playbook")
    assert "The conversation: six steps" in page.text
    md = web.get("/playbook/export.md")
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    html = web.get("/playbook/export.html")
    assert html.status_code == 200 and "attachment" in html.headers["content-disposition"]


def test_static_assets_are_served_locally(web: TestClient) -> None:
    for name in ("htmx.min.js", "chart.min.js", "app.css", "app.js"):
        assert web.get(f"/static/{name}").status_code == 200


def test_queue_puts_the_case_with_the_nearest_deadline_first(web: TestClient, demo: Demo) -> None:
    page = web.get("/").text  # no sweep has run: the demo stored its clocks when it loaded
    first = re.search(r'<tr class="(\w*)"[^>]*>\s*<td class="title"><a href="/cases/(ACC-\d+)"', page)
    assert first is not None and first.groups() == ("overdue", "ACC-1026")  # P6, P22: most overdue first


def test_a_yes_given_on_a_call_resolves_the_case(web: TestClient) -> None:
    page = web.post(
        "/cases/ACC-1024/confirmation/call",
        data={"note": "Happy with the refund, said so on the phone"},
        headers=csrf_headers(web),
    )
    assert page.status_code == 200  # followed the redirect back to the case
    assert "st-resolved" in page.text  # P23: closure needs the client's yes


def test_pages_send_strangers_to_the_login(demo: Demo) -> None:
    from accord.app import create_app

    with TestClient(create_app()) as stranger:
        if stranger.get("/login").status_code == 404:
            pytest.skip("the security layer's login page is not installed")
        page = stranger.get("/cases/ACC-1002", follow_redirects=False)
        assert page.status_code == 303
        assert page.headers["location"].startswith("/login")
        assert "Invoice charged twice" not in stranger.get("/").text


def test_case_page_marks_the_evidence_triage_found(web: TestClient) -> None:
    from accord.cases import service as cases
    from accord.db import session_scope
    from accord.intake import service as intake
    from accord.triage import service as triage

    with session_scope() as db:
        case = cases.get_case(db, actor=None, workspace_id=1, reference="ACC-1002")
        message = intake.list_messages(db, actor=None, case=case)[0]
        triage.triage_message(db, message_id=message.id)
    page = web.get("/cases/ACC-1002")
    assert '<mark class="ev"' in page.text  # P5: the words behind each signal are marked
    assert 'class="triage"' in page.text


def test_resolved_is_not_a_move_the_team_can_make(web: TestClient) -> None:
    page = web.get("/cases/ACC-1007")  # awaiting the client's answer
    assert '<option value="in_conversation">' in page.text
    assert '<option value="resolved">' not in page.text
    refused = web.post("/cases/ACC-1007/move", data={"status": "resolved"}, headers=csrf_headers(web))
    assert refused.status_code == 409
    assert "resolved only when the client confirms it" in refused.text  # P23
    assert "Record their yes" in web.get("/cases/ACC-1007").text  # the way that does resolve it
