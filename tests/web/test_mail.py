"""The mail loop on the case page: delivery state, attachments for signed-in users only, Unmatched moves."""

from __future__ import annotations

from email.message import EmailMessage

from fastapi.testclient import TestClient

from accord.app import create_app
from accord.clients import service as clients
from accord.config import get_settings
from accord.db import session_scope
from accord.intake import service as intake
from accord.users import repository as user_lookup
from tests.web.conftest import Demo, form_token

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _unknown_sender_mail(tag: str) -> str:
    """Rosa, whom nobody knows yet, writes with a PDF whose name tries to be markup."""
    msg = EmailMessage()
    msg["From"], msg["To"] = f"Rosa <rosa.{tag}@newco.example>", "help@desk.example"
    msg["Subject"] = f"Wrong invoice ({tag})"
    msg["Message-ID"], msg["Date"] = f"<rosa-{tag}@newco.example>", "Thu, 03 Dec 2026 08:00:00 +0000"
    msg.set_content("Your invoice 4411 charges us for two seats; we have one.")
    msg.add_attachment(PDF, maintype="application", subtype="pdf", filename="Tom & Jerry's <b>invoice.pdf")
    with session_scope() as db:
        workspace = user_lookup.workspace_by_slug(db, get_settings().workspace)
        assert workspace is not None
        message = intake.receive_email(db, workspace_id=workspace.id, raw=msg.as_bytes())
        return intake.case_of_message(db, message=message).reference


def test_attachment_is_listed_and_downloads_only_when_signed_in(web: TestClient, demo: Demo) -> None:
    ref = _unknown_sender_mail("file")
    page = web.get(f"/cases/{ref}").text
    assert "Tom &amp; Jerry&#39;s _b_invoice.pdf" in page and "<b>invoice" not in page
    link = page.split(f'href="/cases/{ref}/attachments/', 1)[1].split('"', 1)[0]
    got = web.get(f"/cases/{ref}/attachments/{link}")
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["content-type"] == "application/octet-stream"
    assert got.headers["content-disposition"].startswith("attachment;")
    assert got.headers["x-content-type-options"] == "nosniff"
    with TestClient(create_app()) as stranger:
        refused = stranger.get(f"/cases/{ref}/attachments/{link}", follow_redirects=False)
    assert refused.status_code in (302, 303, 401) and refused.content != PDF


def test_unmatched_case_moves_to_its_client_and_the_sender_becomes_a_contact(
    web: TestClient, demo: Demo
) -> None:
    ref = _unknown_sender_mail("move")
    page = web.get(f"/cases/{ref}").text
    assert "From an unknown sender" in page
    with session_scope() as db:
        workspace = user_lookup.workspace_by_slug(db, get_settings().workspace)
        assert workspace is not None
        target = clients.get_client(db, actor=None, workspace_id=workspace.id, key="Copperline Coffee")
        target_id = target.id
    token = form_token(page, f"/cases/{ref}/client")
    moved = web.post(f"/cases/{ref}/client", data={"client": str(target_id), "csrftoken": token})
    assert moved.status_code == 200 and "From an unknown sender" not in moved.text
    assert "Copperline Coffee" in moved.text
    with session_scope() as db:
        client = clients.get_client(db, actor=None, workspace_id=workspace.id, key=target_id)
        assert "rosa.move@newco.example" in [c.email for c in client.contacts]


def test_a_reply_from_the_case_page_shows_queued(web: TestClient, demo: Demo) -> None:
    ref = _unknown_sender_mail("reply")
    page = web.get(f"/cases/{ref}").text
    body = (
        "Hello Rosa, thank you for telling us. You are right: invoice 4411 counts two seats. "
        "We have corrected it to one seat and sent the new invoice today."
    )
    sent = web.post(
        f"/cases/{ref}/reply", data={"body": body, "csrftoken": form_token(page, f"/cases/{ref}/reply")}
    )
    assert sent.status_code == 200
    assert 'data-state="queued"' in sent.text and "to rosa.reply@newco.example" in sent.text
