"""The small world the .eml corpus assumes (fixtures/README.md): Lumen Payments, three clients, two cases.

ACC-1001 (Bluebird Dental) is open with four mails we sent; ACC-1002 (Harbor Cafe) is resolved with two.
Our sent mails carry the corpus's Message-IDs so the fixtures' In-Reply-To/References point at them.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy.orm import Session

from accord.cadence import confirmation
from accord.cases.models import Case
from accord.clients import service as clients
from accord.intake import service as intake
from accord.intake.models import Message
from accord.notify.models import OutboxMessage
from accord.users.models import User, Workspace
from tests.cadence.helpers import walk_to
from tests.helpers import create_agent, create_workspace

DR_LEE_ID = "<BL1PR13MB48217F3A0C9D4E2B8A16E5D2A9C1@BL1PR13MB4821.namprd13.prod.outlook.com>"
SAM_ID = "<CAH3pQv7XkR2m9TzN0bLw5yFjE8sG4uCqD1aVhY6oP-eKr3nM7w@mail.gmail.com>"


@dataclass
class World:
    """What a test needs to find again."""

    workspace: Workspace
    agent: User
    open_case: Case
    resolved_case: Case
    sent: dict[str, Message]


def _raw(sender: str, subject: str, message_id: str, body: str) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Message-ID"] = (
        sender,
        "support@accord.example",
        subject,
        message_id,
    )
    msg["Date"] = "Mon, 30 Nov 2026 09:12:00 +0000"
    msg.set_content(body)
    return msg.as_bytes()


def _sent(db: Session, case: Case, message_id: str, to: str, *, automatic: bool = False) -> Message:
    """A mail we sent, under the corpus's Message-ID and recipient (as if sent on the README's dates)."""
    message = intake.send_to_client(
        db, actor=None, case=case, body=f"Our answer on {case.reference}.", automatic=automatic
    )
    outbox = db.get(OutboxMessage, message.outbox_id)
    assert outbox is not None
    outbox.payload = {**outbox.payload, "headers": {**outbox.payload["headers"], "Message-ID": message_id}}
    outbox.recipient, outbox.state = to, "sent"
    message.email_message_id, message.recipients = message_id, to
    db.flush()
    return message


def build_world(db: Session) -> World:
    """Lumen Payments' clients and cases, as the corpus README describes them."""
    ws = create_workspace(db, "lumen")
    agent = create_agent(db, ws)
    bluebird = clients.add_client(
        db, actor=None, workspace_id=ws.id, name="Bluebird Dental", email_domains=["bluebird.example"]
    )
    clients.add_contact(db, actor=None, client=bluebird, name="Dr. Hana Lee", email="dr.lee@bluebird.example")
    clients.add_contact(db, actor=None, client=bluebird, name="Jana Becker", email="office@bluebird.example")
    harbor = clients.add_client(
        db, actor=None, workspace_id=ws.id, name="Harbor Cafe", email_domains=["harborcafe.example"]
    )
    clients.add_contact(db, actor=None, client=harbor, name="Sam Okafor", email="sam@harborcafe.example")
    emile = clients.add_client(
        db, actor=None, workspace_id=ws.id, name="Émile Conseil", email_domains=["emile-conseil.example"]
    )
    clients.add_contact(
        db, actor=None, client=emile, name="Émile Durand", email="emile@emile-conseil.example"
    )
    first = intake.receive_email(
        db,
        workspace_id=ws.id,
        raw=_raw(
            "Dr. Hana Lee <dr.lee@bluebird.example>",
            "Charged twice for November",
            DR_LEE_ID,
            "We were charged twice for November.",
        ),
    )
    open_case = intake.case_of_message(db, message=first)
    sent = {
        f"<accord.ACC-1001.{n}@accord.example>": _sent(
            db, open_case, f"<accord.ACC-1001.{n}@accord.example>", to, automatic=n == 3
        )
        for n, to in (
            (1, "dr.lee@bluebird.example"),
            (2, "hana.lee@bluebird.example"),
            (3, "office@bluebird.example"),
            (4, "frontdesk@bluebird.example"),
        )
    }
    opened = intake.receive_email(
        db,
        workspace_id=ws.id,
        raw=_raw(
            "Sam Okafor <sam@harborcafe.example>",
            "Refund for the broken card reader rental",
            SAM_ID,
            "The card reader you rented us broke on day two. I want a refund.",
        ),
    )
    resolved = intake.case_of_message(db, message=opened)
    for n in (1, 2):
        key = f"<accord.ACC-1002.{n}@accord.example>"
        sent[key] = _sent(db, resolved, key, "sam@harborcafe.example", automatic=n == 2)
    walk_to(db, resolved, "resolution_proposed", agent)
    confirmation.record_call_confirmation(db, actor=agent, case=resolved, note="Sam said the refund arrived.")
    assert (open_case.reference, resolved.reference, resolved.status) == ("ACC-1001", "ACC-1002", "resolved")
    return World(ws, agent, open_case, resolved, sent)
