"""Real IMAP against Debian's dovecot on loopback: poll opens a case, a second poll adds nothing (P3)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from imap_tools import MailBoxUnencrypted
from sqlalchemy import func, select

from accord import setup
from accord.cases.models import Case
from accord.config import get_settings
from accord.db import session_scope
from accord.intake.mailbox import ImapAccount, poll_imap
from accord.intake.models import Message
from accord.users import repository as user_lookup
from tests.intake.test_receive import mail

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
pytestmark = pytest.mark.skipif(
    DOVECOT is None, reason="dovecot is not installed (apt-get install dovecot-imapd; scripts/system-deps.sh)"
)

CONF = """
protocols = imap
listen = 127.0.0.1
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{base}/mail/%u
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/passwd
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={base}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"dovecot exited: {log.read_text() if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail("dovecot did not listen within 15 s")


@pytest.fixture
def imap_account(tmp_path: Path) -> Iterator[ImapAccount]:
    """A dovecot on a free loopback port with one passwd-file user, carla."""
    import grp
    import os
    import pwd

    base = Path(tempfile.mkdtemp(prefix="accord-dovecot-"))  # under /tmp: reachable by dovecot's login user
    base.chmod(0o755)
    for sub in ("run", "state", "mail", "home"):
        (base / sub).mkdir(parents=True)
    (base / "passwd").write_text("carla:{PLAIN}s3cret::::::\n")
    user, group = pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name
    # dovecot refuses to run its login processes as root; use its own users when we are root
    internal, login = ("dovecot", "dovenull") if os.getuid() == 0 else (user, user)
    if os.getuid() == 0:
        user, group = "dovecot", "dovecot"
        for sub in ("mail", "home"):
            (base / sub).chmod(0o777)
    port = _free_port()
    conf = base / "dovecot.conf"
    conf.write_text(CONF.format(base=base, port=port, user=user, group=group, internal=internal, login=login))
    assert DOVECOT is not None
    proc = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for(port, proc, base / "dovecot.log")
        yield ImapAccount(host="127.0.0.1", port=port, user="carla", password="s3cret", ssl=False)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(base, ignore_errors=True)


def _counts() -> tuple[int, int]:
    with session_scope() as db:
        return (
            db.scalar(select(func.count()).select_from(Case)) or 0,
            db.scalar(select(func.count()).select_from(Message)) or 0,
        )


def test_poll_opens_a_case_and_a_second_poll_adds_nothing(data_dir: Path, imap_account: ImapAccount) -> None:
    with session_scope() as db:
        setup.init_workspace(db)
        workspace = user_lookup.workspace_by_slug(db, get_settings().workspace)
        assert workspace is not None
        workspace_id = workspace.id
    with MailBoxUnencrypted(imap_account.host, port=imap_account.port).login("carla", "s3cret") as box:
        box.append(
            mail("<imap1@acme.example>", "Our site has been down since 9am."),
            "INBOX",
            dt=datetime.now(UTC),
            flag_set=[],
        )
    first = poll_imap(imap_account, workspace_id=workspace_id)
    assert len(first.stored) == 1 and first.failed == []
    assert _counts() == (1, 1)
    second = poll_imap(imap_account, workspace_id=workspace_id)
    assert second.stored == [] and _counts() == (1, 1)
    with MailBoxUnencrypted(imap_account.host, port=imap_account.port).login("carla", "s3cret") as box:
        assert [m.flags for m in box.fetch(mark_seen=False)] == [("\\Seen",)]


def test_cli_imap_poll_reports_what_it_stored(data_dir: Path, imap_account: ImapAccount) -> None:
    from typer.testing import CliRunner

    from accord.cli.main import app as cli

    with session_scope() as db:
        setup.init_workspace(db)
    with MailBoxUnencrypted(imap_account.host, port=imap_account.port).login("carla", "s3cret") as box:
        box.append(mail("<imap2@acme.example>"), "INBOX", dt=datetime.now(UTC), flag_set=[])
    args = [
        "intake",
        "imap",
        "--host",
        imap_account.host,
        "--port",
        str(imap_account.port),
        "--user",
        "carla",
        "--password",
        "s3cret",
        "--no-ssl",
    ]
    first, second = CliRunner().invoke(cli, args), CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert "Stored 1 message(s)" in first.output
    assert "Stored 0 message(s)" in second.output
