"""`accord case reply`, `accord mail send`, `accord mailbox ...`: the client hears from us (P3, P22)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from accord.cases import service as cases
from accord.cli.context import console, print_json, unit_of_work
from accord.coach import service as coach
from accord.errors import Invalid
from accord.intake import mailboxes
from accord.intake import service as intake
from accord.jobs.mail import send_queued

mail_app = typer.Typer(help="Outgoing mail.", no_args_is_help=True)
mailbox_app = typer.Typer(help="Mailboxes the worker reads every minute.", no_args_is_help=True)
MAX_INPUT_BYTES = 1_000_000


def _reply_text(text: str | None, file: str | None) -> str:
    """The reply from --text, --file, or stdin ('-' as --file or as the argument)."""
    if text is not None and file is not None:
        raise Invalid("Give the reply once: --text, --file, or - for stdin.")
    if text is not None:
        return text
    if file in (None, "-"):
        return sys.stdin.read(MAX_INPUT_BYTES)
    path = Path(str(file))
    if not path.is_file():
        raise Invalid(f"No such file: {file}")
    return path.read_bytes()[:MAX_INPUT_BYTES].decode("utf-8", errors="replace")


def reply(
    reference: str = typer.Argument(..., help="The case, e.g. ACC-1042."),
    source: str = typer.Argument(None, help="'-' to read the reply from stdin."),
    text: str = typer.Option(None, "--text", help="The reply text."),
    file: str = typer.Option(None, "--file", help="A file holding the reply."),
    override: str = typer.Option(None, "--override", help="Send despite blocking findings, for this reason."),
    as_json: bool = typer.Option(False, "--json", help="Print the queued message as JSON."),
) -> None:
    """Email the client: coach-checked, stored on the thread and queued; the worker delivers it (P22)."""
    if source not in (None, "-"):
        raise Invalid(f"Unexpected argument '{source}': use --text, --file, or - for stdin.")
    body = _reply_text(text, "-" if source == "-" else file)
    with unit_of_work() as ctx:
        case = cases.get_case(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, reference=reference)
        message = coach.send_reply(ctx.db, actor=ctx.actor, case=case, body=body, override_reason=override)
        view = intake.view_message(ctx.db, message=message)
    if as_json:
        print_json(vars(view))
    else:
        console.print(
            f"Reply {view.id} to {escape(view.to)} is {view.state} on {case.reference}: "
            f"{escape(view.subject)}"
        )


@mail_app.command("send")
def send(as_json: bool = typer.Option(False, "--json", help="Print what happened as JSON.")) -> None:
    """Deliver what is queued now (the worker also does it every few seconds)."""
    result = send_queued()
    if as_json:
        print_json(vars(result))
        return
    console.print(f"Sent {result.sent}; {result.retrying} will be retried; {len(result.failed)} failed.")
    for line in result.failed:
        console.print(f"[red]Failed:[/red] {escape(line)}")


@mailbox_app.command("add")
def add(
    host: str = typer.Option(..., "--host", help="IMAP server."),
    port: int = typer.Option(993, "--port", help="IMAP port."),
    user: str = typer.Option(..., "--user", help="Login name."),
    folder: str = typer.Option("INBOX", "--folder", help="Folder to read."),
    tls: str = typer.Option("ssl", "--tls", help="ssl, starttls or none."),
) -> None:
    """Add a mailbox; the password comes from ACCORD_IMAP_PASSWORD or a prompt, never echoed."""
    password = os.environ.get("ACCORD_IMAP_PASSWORD") or typer.prompt("IMAP password", hide_input=True)
    with unit_of_work() as ctx:
        row = mailboxes.add_mailbox(
            ctx.db,
            actor=ctx.actor,
            workspace_id=ctx.workspace.id,
            host=host,
            port=port,
            user=user,
            password=password,
            folder=folder,
            tls=tls,
        )
        console.print(
            f"Mailbox {row.id} added: {escape(row.user)}@{escape(row.host)}:{row.port}/"
            f"{escape(row.folder)} ({row.tls}). The worker reads it every minute."
        )


@mailbox_app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The mailboxes, when each was last read and its last error (passwords are never shown)."""
    with unit_of_work() as ctx:
        rows = [
            {
                "id": m.id,
                "host": m.host,
                "port": m.port,
                "user": m.user,
                "folder": m.folder,
                "tls": m.tls,
                "last_polled_at": m.last_polled_at,
                "last_error": m.last_error,
            }
            for m in mailboxes.list_mailboxes(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id)
        ]
    if as_json:
        print_json(rows)
        return
    table = Table("Id", "Mailbox", "TLS", "Last read", "Last error")
    for r in rows:
        where = f"{r['user']}@{r['host']}:{r['port']}/{r['folder']}"
        table.add_row(
            str(r["id"]),
            escape(where),
            str(r["tls"]),
            str(r["last_polled_at"] or "never"),
            escape(str(r["last_error"]) or "-"),
        )
    console.print(table)


@mailbox_app.command("remove")
def remove(mailbox_id: int = typer.Argument(..., help="The mailbox id from `accord mailbox list`.")) -> None:
    """Stop reading a mailbox; mail already imported stays."""
    with unit_of_work() as ctx:
        row = mailboxes.remove_mailbox(
            ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, mailbox_id=mailbox_id
        )
        console.print(f"Mailbox {row.id} ({escape(row.user)}@{escape(row.host)}) removed.")
