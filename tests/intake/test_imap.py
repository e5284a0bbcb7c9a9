"""Real IMAP against Debian's dovecot on loopback: polls, configured mailboxes, one-line errors (P3)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from imap_tools import MailBoxUnencrypted
from sqlalchemy import func, select
from typer.testing import CliRunner

from accord.cases.models import Case
from accord.cli.main import app as cli
from accord.db import session_scope
from accord.intake.mailbox import ImapAccount, MailboxError, poll_imap
from accord.intake.models import Message
from accord.jobs.mail import poll_mailboxes
from tests.intake.conftest import _free_port
from tests.intake.test_receive import mail

ACCORD = str(Path(sys.executable).parent / "accord")


def _counts() -> tuple[int, int]:
    with session_scope() as db:
        return (
            db.scalar(select(func.count()).select_from(Case)) or 0,
            db.scalar(select(func.count()).select_from(Message)) or 0,
        )


def _deliver(account: ImapAccount, raw: bytes) -> None:
    with MailBoxUnencrypted(account.host, port=account.port).login(account.user, account.password) as box:
        box.append(raw, "INBOX", dt=datetime.now(UTC), flag_set=[])


def _flags(account: ImapAccount) -> list[tuple[str, ...]]:
    with MailBoxUnencrypted(account.host, port=account.port).login(account.user, account.password) as box:
        return [m.flags for m in box.fetch(mark_seen=False)]


def test_poll_opens_a_case_and_a_second_poll_adds_nothing(
    workspace_id: int, imap_account: ImapAccount
) -> None:
    _deliver(imap_account, mail("<imap1@acme.example>", "Our site has been down since 9am."))
    first = poll_imap(imap_account, workspace_id=workspace_id)
    assert len(first.stored) == 1 and first.failed == []
    assert _counts() == (1, 1)
    second = poll_imap(imap_account, workspace_id=workspace_id)
    assert second.stored == [] and _counts() == (1, 1)
    assert _flags(imap_account) == [("\\Seen",)]


def test_cli_imap_takes_the_password_from_the_environment(
    workspace_id: int, imap_account: ImapAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    _deliver(imap_account, mail("<imap2@acme.example>"))
    monkeypatch.setenv("ACCORD_IMAP_PASSWORD", "s3cret")
    args = [
        "intake",
        "imap",
        "--host",
        imap_account.host,
        "--port",
        str(imap_account.port),
        "--user",
        "carla",
        "--tls",
        "none",
    ]
    first, second = CliRunner().invoke(cli, args), CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert "Stored 1 message(s)" in first.output
    assert "Stored 0 message(s)" in second.output


def test_wrong_password_is_one_clear_line(imap_account: ImapAccount) -> None:
    wrong = ImapAccount(
        host=imap_account.host, port=imap_account.port, user="carla", password="nope", tls="none"
    )
    with pytest.raises(MailboxError, match=r"^Login refused for carla@127\.0\.0\.1:\d+/INBOX"):
        poll_imap(wrong, workspace_id=1)


def test_missing_folder_is_named(imap_account: ImapAccount) -> None:
    account = ImapAccount(
        host=imap_account.host,
        port=imap_account.port,
        user="carla",
        password="s3cret",
        folder="Complaints",
        tls="none",
    )
    with pytest.raises(MailboxError, match="Folder 'Complaints' does not exist"):
        poll_imap(account, workspace_id=1)


def test_refused_connection_through_the_cli_is_one_line_and_exit_1(workspace_id: int) -> None:
    port = _free_port()  # nothing listens there
    env = {**os.environ, "ACCORD_IMAP_PASSWORD": "x"}
    done = subprocess.run(
        [
            ACCORD,
            "intake",
            "imap",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--user",
            "carla",
            "--tls",
            "none",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == f"Error: Cannot connect to 127.0.0.1:{port}: connection refused."
    assert "Traceback" not in done.stderr + done.stdout


def test_configured_mailbox_is_polled_by_the_worker_and_errors_are_kept(
    workspace_id: int, imap_account: ImapAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    _deliver(imap_account, mail("<imap3@acme.example>", "The invoice is still wrong."))
    monkeypatch.setenv("ACCORD_IMAP_PASSWORD", "s3cret")
    runner = CliRunner()
    added = runner.invoke(
        cli,
        [
            "mailbox",
            "add",
            "--host",
            imap_account.host,
            "--port",
            str(imap_account.port),
            "--user",
            "carla",
            "--tls",
            "none",
        ],
    )
    assert added.exit_code == 0, added.output
    assert "s3cret" not in added.output
    summary = poll_mailboxes()
    assert (summary.stored, summary.errors) == (1, [])
    assert _counts() == (1, 1)
    monkeypatch.setenv("ACCORD_IMAP_PASSWORD", "wrong")
    runner.invoke(
        cli,
        [
            "mailbox",
            "add",
            "--host",
            imap_account.host,
            "--port",
            str(imap_account.port),
            "--user",
            "carla",
            "--tls",
            "none",
        ],
    )
    summary = poll_mailboxes()
    assert len(summary.errors) == 1 and summary.errors[0].startswith("Login refused")
    listed = runner.invoke(cli, ["mailbox", "list", "--json"])
    assert "Login refused" in listed.output and "s3cret" not in listed.output and "wrong" not in listed.output
    removed = runner.invoke(cli, ["mailbox", "remove", "2"])
    assert removed.exit_code == 0 and poll_mailboxes().errors == []
