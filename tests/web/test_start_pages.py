"""Start work anywhere, without a browser: New case, clients, messages, Unmatched, error pages (issue 20).

P1 (client terms editable), P3 (every message becomes or joins a case, nothing lost), P4 (triage proposes).
"""

from __future__ import annotations

import re
import time

from fastapi import FastAPI
from fastapi.testclient import TestClient

from accord.app import create_app
from accord.cases import service as cases
from accord.clients import service as clients
from accord.db import session_scope
from accord.intake import service as intake
from accord.users import repository as user_lookup
from accord.users import service as users
from tests.web.conftest import Demo, csrf_headers, log_in

EMAIL = """From: Dana Reyes <dana@harbourlight.example>
To: help@northwind.example
Subject: Re: Invoice 2231 charged twice
Message-ID: <paste-{n}@harbourlight.example>

You charged our card twice for invoice 2231. Please refund the second charge by Friday.
"""


def _workspace_id() -> int:
    with session_scope() as db:
        workspace = user_lookup.workspace_by_slug(db, "default")
        assert workspace is not None
        return workspace.id


def _events(reference: str) -> list[str]:
    with session_scope() as db:
        case = cases.get_case(db, actor=None, workspace_id=_workspace_id(), reference=reference)
        return [e.kind for e in cases.list_events(db, actor=None, case=case)]


def test_new_case_page_is_bookmarkable_and_not_a_case_lookup(web: TestClient) -> None:
    page = web.get("/cases/new", params={"client": "Copperline Coffee", "channel": "call"})
    assert page.status_code == 200
    assert 'value="Copperline Coffee"' in page.text
    assert '<option value="call" selected>' in page.text


def test_pasted_email_opens_a_case_with_its_sender_subject_and_triage(web: TestClient, demo: Demo) -> None:
    text = EMAIL.format(n=time.time_ns())
    sent = web.post(
        "/cases/new",
        data={"client": "Copperline Coffee", "channel": "email", "text": text},
        headers=csrf_headers(web),
        follow_redirects=False,
    )
    assert sent.status_code == 303
    reference = sent.headers["location"].rsplit("/", 1)[1]
    page = web.get(f"/cases/{reference}")
    assert "Invoice 2231 charged twice" in page.text  # the title comes from the subject, without Re:
    assert "dana@harbourlight.example" in page.text
    with session_scope() as db:
        case = cases.get_case(db, actor=None, workspace_id=_workspace_id(), reference=reference)
        views = intake.view_messages(db, actor=None, case=case)
        assert views[0].email_message_id and views[0].email_message_id.startswith("<paste-")
    assert "triage pending" not in page.text  # the background triage ran right after the reply
    assert "case_opened" in _events(reference) and "message_received" in _events(reference)


def test_the_same_email_twice_says_where_it_went(web: TestClient) -> None:
    text = EMAIL.format(n=time.time_ns())
    form = {"client": "Copperline Coffee", "channel": "email", "text": text}
    first = web.post("/cases/new", data=form, headers=csrf_headers(web), follow_redirects=False)
    again = web.post("/cases/new", data=form, headers=csrf_headers(web))
    assert again.status_code == 409
    assert f"already on case {first.headers['location'].rsplit('/', 1)[1]}" in again.text


def test_an_uploaded_eml_goes_through_the_mail_parser(web: TestClient) -> None:
    raw = EMAIL.format(n=time.time_ns()).replace("Subject: Re: Invoice", "Subject: Upload: invoice").encode()
    sent = web.post(
        "/cases/new",
        data={"client": "", "channel": "email"},
        files={"eml": ("complaint.eml", raw, "message/rfc822")},
        headers=csrf_headers(web),
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    page = web.get(sent.headers["location"])
    assert "Upload: invoice 2231 charged twice" in page.text


def test_a_missing_client_keeps_the_typed_message_beside_an_inline_error(web: TestClient) -> None:
    typed = "The <b>espresso</b> machine you installed leaks again."
    page = web.post(
        "/cases/new",
        data={"client": "Nobody Known Ltd", "channel": "call", "text": typed, "sender": "Sam"},
        headers=csrf_headers(web),
    )
    assert page.status_code == 422
    assert 'id="err-client"' in page.text and "There is no client named Nobody Known Ltd" in page.text
    assert "The &lt;b&gt;espresso&lt;/b&gt; machine you installed leaks again." in page.text  # kept, escaped
    assert 'value="Sam"' in page.text
    with session_scope() as db:  # nothing was written
        assert (
            clients.search_clients(db, actor=None, workspace_id=_workspace_id(), query="Nobody Known") == []
        )


def test_a_new_client_is_created_inline_with_a_call_note(web: TestClient) -> None:
    name = f"Fernhill Bakery {time.time_ns()}"
    sent = web.post(
        "/cases/new",
        data={
            "client": name,
            "new_client": "1",
            "new_client_domain": "fernhill.example",
            "channel": "call",
            "text": "Called: the cake order for Saturday was cancelled without notice. Very upset.",
        },
        headers=csrf_headers(web),
        follow_redirects=False,
    )
    assert sent.status_code == 303
    page = web.get(sent.headers["location"])
    assert name in page.text and "the cake order for Saturday was cancelled without notice" in page.text


def test_a_review_keeps_platform_stars_and_link_and_refuses_a_script_link(web: TestClient) -> None:
    bad = web.post(
        "/cases/new",
        data={
            "client": "Copperline Coffee",
            "channel": "review",
            "text": "Cold coffee and a rude barista.",
            "platform": "Google",
            "rating": "2",
            "link": "javascript:alert(1)",
        },
        headers=csrf_headers(web),
    )
    assert bad.status_code == 422 and 'id="err-link"' in bad.text
    good = web.post(
        "/cases/new",
        data={
            "client": "Copperline Coffee",
            "channel": "review",
            "text": "Cold coffee and a rude barista.",
            "platform": "Google",
            "rating": "2",
            "link": "https://maps.example/review/1",
        },
        headers=csrf_headers(web),
        follow_redirects=False,
    )
    reference = good.headers["location"].rsplit("/", 1)[1]
    page = web.get(good.headers["location"])
    assert page.status_code == 200 and "Cold coffee and a rude barista." in page.text
    with session_scope() as db:
        case = cases.get_case(db, actor=None, workspace_id=_workspace_id(), reference=reference)
        received = [e for e in cases.list_events(db, actor=None, case=case) if e.kind == "message_received"]
        subject = intake.view_messages(db, actor=None, case=case)[0].subject
        assert subject == "Review on Google, 2 of 5 stars · https://maps.example/review/1"
        assert received[0].data["review"] == {
            "platform": "Google",
            "rating": 2,
            "link": "https://maps.example/review/1",
        }


def test_title_is_proposed_from_the_first_sentence(web: TestClient) -> None:
    field = web.post(
        "/cases/new/title",
        data={"text": "Our website has been down since Monday. We are losing orders.", "title": ""},
        headers=csrf_headers(web),
    )
    assert 'placeholder="Our website has been down since Monday."' in field.text


def test_client_search_returns_a_few_matches_not_the_whole_list(web: TestClient) -> None:
    options = web.get("/clients/search", params={"client": "copper"})
    assert options.status_code == 200
    assert re.findall(r'<option value="([^"]+)"', options.text) == ["Copperline Coffee"]


def test_add_message_records_a_call_note_on_the_thread_and_timeline(web: TestClient) -> None:
    before = _events("ACC-1004").count("message_received")
    sent = web.post(
        "/cases/ACC-1004/messages",
        data={"channel": "call", "sender": "Marta", "body": "On the phone: they want a partial refund."},
        headers=csrf_headers(web),
        follow_redirects=False,
    )
    assert sent.status_code == 303 and sent.headers["location"] == "/cases/ACC-1004#messages"
    assert _events("ACC-1004").count("message_received") == before + 1
    assert "On the phone: they want a partial" in web.get("/cases/ACC-1004").text  # (evidence marks follow)


def test_add_message_with_htmx_answers_the_form_with_the_error_in_place(web: TestClient) -> None:
    page = web.post(
        "/cases/ACC-1004/messages",
        data={"channel": "review", "body": "Awful", "rating": "9"},
        headers={**csrf_headers(web), "HX-Request": "true"},
    )
    assert page.status_code == 200 and "<html" not in page.text
    assert 'id="err-rating"' in page.text and "1 to 5" in page.text and ">Awful</textarea>" in page.text


def test_client_create_then_edit_keeps_terms_contacts_and_domains(web: TestClient) -> None:
    name = f"Orchard Dental {time.time_ns()}"
    made = web.post(
        "/clients/new",
        data={
            "name": name,
            "tier": "key",
            "monthly_value": "3,200",
            "hourly_rate": "95",
            "email_domains": "orchard.example, @orcharddental.example",
            "expectations": "Reply within 4 working hours.",
            "termination_terms": "60 days' notice.",
            "contact_id": ["", ""],
            "contact_name": ["Ines Ortega", ""],
            "contact_email": ["ines@orchard.example", ""],
            "contact_phone": ["", ""],
            "contact_role": ["Practice manager", ""],
        },
        headers=csrf_headers(web),
        follow_redirects=False,
    )
    assert made.status_code == 303
    client_id = made.headers["location"].rsplit("/", 1)[1]
    form = web.get(f"/clients/{client_id}/edit")
    assert 'value="orchard.example, orcharddental.example"' in form.text and "Ines Ortega" in form.text
    contact_id = re.search(r'name="contact_id" value="(\d+)"', form.text)
    assert contact_id is not None
    saved = web.post(
        f"/clients/{client_id}/edit",
        data={
            "name": name,
            "tier": "strategic",
            "monthly_value": "3200",
            "hourly_rate": "95",
            "email_domains": "orchard.example",
            "insurance_notes": "Professional liability with Acme Mutual.",
            "contact_id": [contact_id.group(1), ""],
            "contact_name": ["Ines Ortega", "Raf Ortega"],
            "contact_email": ["ines@orchard.example", "raf@orchard.example"],
            "contact_phone": ["", ""],
            "contact_role": ["Owner", ""],
        },
        headers=csrf_headers(web),
        follow_redirects=False,
    )
    assert saved.status_code == 303
    with session_scope() as db:
        client = clients.get_client(db, actor=None, workspace_id=_workspace_id(), key=int(client_id))
        assert client.tier == "strategic" and client.email_domains == ["orchard.example"]
        assert client.expectations == ""  # the field was sent empty: cleared
        assert client.insurance_notes == "Professional liability with Acme Mutual."
        assert [(c.name, c.role) for c in client.contacts] == [("Ines Ortega", "Owner"), ("Raf Ortega", "")]


def test_client_form_error_sits_beside_the_field_and_changes_nothing(web: TestClient) -> None:
    page = web.post(
        "/clients/2/edit",
        data={"name": "Renamed Co", "tier": "standard", "monthly_value": "lots", "hourly_rate": "0"},
        headers=csrf_headers(web),
    )
    assert page.status_code == 422
    assert 'id="err-monthly_value"' in page.text and "is not a number" in page.text
    assert 'value="Renamed Co"' in page.text and 'value="lots"' in page.text
    with session_scope() as db:
        assert clients.get_client(db, actor=None, workspace_id=_workspace_id(), key=2).name != "Renamed Co"


def test_a_taken_client_name_is_a_409_beside_the_name(web: TestClient) -> None:
    page = web.post("/clients/new", data={"name": "copperline  coffee"}, headers=csrf_headers(web))
    assert page.status_code == 409 and 'id="err-name"' in page.text and "already exists" in page.text


def test_unmatched_page_moves_a_case_and_the_sender_becomes_a_contact(web: TestClient) -> None:
    sender = f"ola{time.time_ns()}@stranger.example"
    raw = f"From: {sender}\nSubject: Where is my order\nMessage-ID: <u{time.time_ns()}@x>\n\nStill waiting.\n"
    with session_scope() as db:
        reference = cases.describe_case(
            db,
            intake.case_of_message(
                db, message=intake.receive_email(db, workspace_id=_workspace_id(), raw=raw.encode())
            ),
        ).reference
    listing = web.get("/unmatched")
    assert reference in listing.text and sender in listing.text
    moved = web.post(
        f"/unmatched/{reference}/move",
        data={"client": "Copperline Coffee"},
        headers=csrf_headers(web),
        follow_redirects=False,
    )
    assert moved.status_code == 303 and moved.headers["location"] == f"/unmatched?moved={reference}"
    assert f'id="u-{reference}"' not in web.get("/unmatched").text
    assert "client_changed" in _events(reference)
    with session_scope() as db:
        client = clients.get_client(db, actor=None, workspace_id=_workspace_id(), key="Copperline Coffee")
        assert sender in [c.email for c in client.contacts]


def test_unknown_page_is_a_styled_404_and_the_api_keeps_json(web: TestClient) -> None:
    page = web.get("/no/such/page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Page not found" in page.text and 'href="/static/app.css"' in page.text
    api = web.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.json()["error"] == "not_found"


def test_a_gate_refusal_speaks_in_plain_words(web: TestClient) -> None:
    page = web.post("/cases/ACC-1005/move", data={"status": "resolution_proposed"}, headers=csrf_headers(web))
    assert page.status_code == 409
    assert "Before you can propose a solution, finish or skip" in page.text
    assert "resolution_proposed" not in page.text.split("<main", 1)[1]


def test_an_unexpected_failure_is_a_styled_500_without_a_traceback(demo: Demo) -> None:
    app: FastAPI = create_app()

    def broken() -> None:
        raise RuntimeError("secret internal detail")

    app.add_api_route("/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        log_in(client, demo)
        page = client.get("/broken")
    assert page.status_code == 500 and "Something went wrong on our side" in page.text
    assert "secret internal detail" not in page.text and "Traceback" not in page.text


def test_api_docs_and_favicon_are_served_from_our_own_files(web: TestClient) -> None:
    docs = web.get("/api/docs")
    assert docs.status_code == 200 and "/static/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower() and "https://" not in docs.text
    assert web.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert web.get("/favicon.ico").headers["content-type"].startswith("image/svg+xml")


def test_a_plain_form_with_a_file_passes_the_csrf_check_by_its_hidden_field(web: TestClient) -> None:
    page = web.get("/cases/new")
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text)
    assert token is not None
    raw = EMAIL.format(n=time.time_ns()).encode()
    sent = web.post(
        "/cases/new",
        data={"csrftoken": token.group(1), "channel": "email"},
        files={"eml": ("a.eml", raw, "message/rfc822")},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    forged = web.post(
        "/cases/new", data={"channel": "email"}, files={"eml": ("a.eml", raw, "message/rfc822")}
    )
    assert forged.status_code == 403


def test_a_viewer_gets_a_styled_403_with_the_reason(demo: Demo) -> None:
    with session_scope() as db:
        workspace = user_lookup.workspace_by_slug(db, "default")
        assert workspace is not None
        email = f"vera{time.time_ns()}@northwind.example"
        _, password = users.add_user(
            db, actor=None, workspace=workspace, name="Vera Viewer", email=email, role="viewer"
        )
    with TestClient(create_app()) as client:
        log_in(client, Demo(demo.data_dir, email, password, demo.hostile_ref))
        page = client.post(
            "/clients/new",
            data={"name": "Should Not Exist"},
            headers=csrf_headers(client),
            follow_redirects=False,
        )
    assert page.status_code == 403 and "You cannot do that" in page.text
    assert "Vera Viewer is a viewer and cannot change anything." in page.text
