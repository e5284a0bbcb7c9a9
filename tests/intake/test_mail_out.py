"""Mail out through a real SMTP server (aiosmtpd): threading headers, states, retries, failures (P6, P22)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from accord.cadence import confirmation
from accord.cases import service as cases
from accord.cli.main import app as cli
from accord.clients import service as clients
from accord.clock import frozen, now
from accord.db import session_scope
from accord.intake import service as intake
from accord.jobs.worker import MailPump
from tests.cadence.helpers import walk_to
from tests.intake.conftest import Inbox
from tests.intake.test_receive import mail

ACCORD = str(Path(sys.executable).parent / "accord")
GOOD_REPLY = (
    "Hello Carla, thank you for telling us. You are right: the October retainer was charged twice. "
    "We have refunded the second charge today and you will see it within three working days. "
    "I will write again on Friday to confirm it arrived."
)


def _open_case(workspace_id: int) -> str:
    """Carla of Acme writes in; the case she opens is returned by reference."""
    with session_scope() as db:
        clients.add_client(
            db, actor=None, workspace_id=workspace_id, name="Acme", email_domains=["acme.example"]
        )
        raw = mail("<carla-1@acme.example>", "Our October retainer was charged twice.")
        message = intake.receive_email(db, workspace_id=workspace_id, raw=raw)
        return intake.case_of_message(db, message=message).reference


def _show(reference: str) -> dict[str, Any]:
    shown = CliRunner().invoke(cli, ["case", "show", reference, "--json"])
    assert shown.exit_code == 0, shown.output
    return dict(json.loads(shown.output))


def test_reply_is_queued_then_sent_with_headers_that_thread(workspace_id: int, smtp: Inbox) -> None:
    ref = _open_case(workspace_id)
    runner = CliRunner()
    queued = runner.invoke(cli, ["case", "reply", ref, "--text", GOOD_REPLY, "--json"])
    assert queued.exit_code == 0, queued.output
    assert json.loads(queued.output)["state"] == "queued" and smtp.raw == []
    sent = runner.invoke(cli, ["mail", "send", "--json"])
    assert json.loads(sent.output)["sent"] == 1
    [got] = smtp.messages
    assert got["Subject"] == f"Re: Invoice charged twice [{ref}]"
    assert got["In-Reply-To"] == "<carla-1@acme.example>" and "<carla-1@acme.example>" in got["References"]
    assert got["Message-ID"].endswith("@desk.example>") and got["Auto-Submitted"] is None
    assert got["To"] == "carla@acme.example" and "refunded the second charge" in got.get_payload()
    shown = _show(ref)
    [ours] = [m for m in shown["messages"] if m["direction"] == "outbound"]
    assert (ours["state"], ours["to"], ours["email_message_id"]) == (
        "sent",
        "carla@acme.example",
        got["Message-ID"],
    )
    assert ours["subject"] == got["Subject"] and ours["sender"] == "Olivia Owner"
    assert shown["status"] == "acknowledged"  # P6: the first mail acknowledged the case


def test_a_permanent_refusal_shows_failed_with_the_reason(workspace_id: int, smtp: Inbox) -> None:
    ref = _open_case(workspace_id)
    smtp.refuse_with = "550 5.1.1 <carla@acme.example>: mailbox unavailable"
    CliRunner().invoke(cli, ["case", "reply", ref, "--text", GOOD_REPLY])
    sent = CliRunner().invoke(cli, ["mail", "send"])
    assert "Sent 0; 0 will be retried; 1 failed." in sent.output
    [ours] = [m for m in _show(ref)["messages"] if m["direction"] == "outbound"]
    assert (
        ours["state"] == "failed"
        and "550" in ours["state_reason"]
        and "mailbox unavailable" in ours["state_reason"]
    )


def test_a_temporary_refusal_is_retried_after_backoff_with_the_same_message_id(
    workspace_id: int, smtp: Inbox
) -> None:
    ref = _open_case(workspace_id)
    smtp.refuse_with = "451 4.3.0 try again later"
    CliRunner().invoke(cli, ["case", "reply", ref, "--text", GOOD_REPLY])
    first = CliRunner().invoke(cli, ["mail", "send", "--json"])
    assert json.loads(first.output)["retrying"] == 1
    [ours] = [m for m in _show(ref)["messages"] if m["direction"] == "outbound"]
    assert ours["state"] == "queued" and "451" in ours["state_reason"]
    smtp.refuse_with = None
    assert json.loads(CliRunner().invoke(cli, ["mail", "send", "--json"]).output)["sent"] == 0  # backing off
    with frozen(now() + timedelta(minutes=1)):
        assert json.loads(CliRunner().invoke(cli, ["mail", "send", "--json"]).output)["sent"] == 1
    assert [m["Message-ID"] for m in smtp.messages] == [ours["email_message_id"]]


def test_confirmation_mail_is_automatic_and_threads_to_the_case(workspace_id: int, smtp: Inbox) -> None:
    ref = _open_case(workspace_id)
    with session_scope() as db:
        case = cases.get_case(db, actor=None, workspace_id=workspace_id, reference=ref)
        walk_to(db, case, "resolution_proposed")
        confirmation.request_confirmation(db, actor=None, case=case)
    CliRunner().invoke(cli, ["mail", "send"])
    [got] = smtp.messages
    assert got["Auto-Submitted"] == "auto-generated" and f"[{ref}]" in got["Subject"]
    assert got["In-Reply-To"] == "<carla-1@acme.example>"
    with session_scope() as db:
        case = cases.get_case(db, actor=None, workspace_id=workspace_id, reference=ref)
        [ours] = [v for v in intake.view_messages(db, actor=None, case=case) if v.direction == "outbound"]
    assert ours.email_message_id == got["Message-ID"] and ours.state == "sent"


def _run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ACCORD, *args], capture_output=True, text=True, input=stdin, env=dict(os.environ), timeout=120
    )


def test_cli_mistakes_are_one_line_never_a_traceback(workspace_id: int) -> None:
    ref = _open_case(workspace_id)
    missing = _run("intake", "email", "/missing.eml")
    assert (missing.returncode, missing.stderr) == (1, "Error: No such file: /missing.eml\n")
    no_file = _run("case", "reply", ref, "--file", "/nope.txt")
    assert (no_file.returncode, no_file.stderr) == (1, "Error: No such file: /nope.txt\n")
    rude = _run("case", "reply", ref, "-", stdin="As I already explained, please calm down.")
    assert rude.returncode == 1 and rude.stderr.startswith("Error: The reply was not sent: the coach found")
    assert "Traceback" not in missing.stderr + no_file.stderr + rude.stderr


def test_the_worker_delivers_a_reply_within_seconds(workspace_id: int, smtp: Inbox) -> None:
    ref = _open_case(workspace_id)
    pump = MailPump(every_s=0.2)
    pump.start()
    try:
        CliRunner().invoke(cli, ["case", "reply", ref, "--text", GOOD_REPLY])
        deadline = time.monotonic() + 10
        while not smtp.raw and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        pump.stopped.set()
        pump.join(timeout=10)
    assert len(smtp.messages) == 1 and f"[{ref}]" in smtp.messages[0]["Subject"]
