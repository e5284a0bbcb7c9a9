"""The sweep triages what intake stored but nobody triaged yet (P3, P4, P5)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from accord import setup
from accord.db import session_scope
from accord.intake import service as intake
from accord.jobs.tasks import run_sweep
from accord.triage import service as triage
from accord.users import repository as user_lookup
from tests.helpers import create_client

ANGRY = (
    "Our shop has been offline since Friday and we lost a weekend of orders. This is unacceptable. "
    "If it is not fixed today we will cancel the contract and speak to our lawyer."
)


def _email() -> bytes:
    msg = EmailMessage()
    msg["From"] = "dana@acme.example"
    msg["To"] = "help@desk.example"
    msg["Subject"] = "Shop offline all weekend"
    msg["Message-ID"] = "<offline-1@acme.example>"
    msg.set_content(ANGRY)
    return msg.as_bytes()


def test_an_email_stored_by_intake_is_triaged_after_one_sweep(data_dir: Path) -> None:
    with session_scope() as db:
        setup.init_workspace(db)
        workspace = user_lookup.workspace_by_slug(db, "default")
        assert workspace is not None
        create_client(db, workspace)  # emails from acme.example belong to it
        message_id = intake.receive_email(db, workspace_id=workspace.id, raw=_email()).id
    with session_scope() as db:
        assert triage.get_result(db, message_id=message_id) is None  # stored, not triaged yet
    first = run_sweep()
    assert first["triaged"] >= 1
    with session_scope() as db:
        stored = triage.get_result(db, message_id=message_id)
        assert stored is not None and stored.model_version
        assert stored.result["severity"] >= 1 and stored.result["evidence"]  # P5: the words behind it
    assert run_sweep()["triaged"] == 0  # idempotent: the next sweep finds nothing left to do
