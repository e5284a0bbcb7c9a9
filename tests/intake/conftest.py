"""Real mail servers on loopback for intake tests: Debian's dovecot (IMAP) and aiosmtpd (SMTP)."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message as EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from accord import setup
from accord.config import get_settings
from accord.db import session_scope
from accord.intake.mailbox import ImapAccount
from accord.users import repository as user_lookup

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)

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
    if DOVECOT is None:
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd; scripts/system-deps.sh)")
    proc = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for(port, proc, base / "dovecot.log")
        yield ImapAccount(host="127.0.0.1", port=port, user="carla", password="s3cret", tls="none")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(base, ignore_errors=True)


class Inbox:
    """What the SMTP server accepted: parsed messages and their raw bytes, in order."""

    def __init__(self) -> None:
        self.raw: list[bytes] = []
        self.refuse_with: str | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        """The accepted mails, parsed."""
        return [message_from_bytes(r) for r in self.raw]

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_with:
            return self.refuse_with
        self.raw.append(bytes(envelope.original_content or envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """aiosmtpd on a free loopback port, wired into ACCORD_SMTP_* settings."""
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("ACCORD_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ACCORD_SMTP_PORT", str(port))
    monkeypatch.setenv("ACCORD_SMTP_FROM", "help@desk.example")
    get_settings.cache_clear()
    yield inbox
    controller.stop()
    get_settings.cache_clear()


@pytest.fixture
def workspace_id(data_dir: Path) -> int:
    """A fresh workspace in the data dir's SQLite file, with its owner (CLI and worker tests)."""
    with session_scope() as db:
        setup.init_workspace(db, owner_email="olivia@desk.example", owner_name="Olivia Owner")
        workspace = user_lookup.workspace_by_slug(db, get_settings().workspace)
        assert workspace is not None
        return workspace.id
