"""`accord intake ...`: feed raw emails in from a file, stdin or an IMAP mailbox (P3)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.markup import escape

from accord.cli.context import console, unit_of_work
from accord.intake import mailbox
from accord.intake import service as intake
from accord.users.access import require_write

app = typer.Typer(help="Intake: turn incoming email into cases.", no_args_is_help=True)


@app.command("email")
def email(source: str = typer.Argument(..., help="A raw .eml file, or - for stdin.")) -> None:
    """Store one raw email: it opens a case or joins its thread (P3)."""
    raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    with unit_of_work() as ctx:
        require_write(ctx.actor)
        message = intake.receive_email(ctx.db, workspace_id=ctx.workspace.id, raw=raw)
        case = intake.case_of_message(ctx.db, message=message)
        ref, problems = case.reference, message.parse_error
    console.print(f"Message {message.id} on {ref}.")
    if problems:
        console.print(f"[yellow]Problems:[/yellow] {escape(problems)}")


@app.command("imap")
def imap(
    host: str = typer.Option(..., "--host"),
    port: int = typer.Option(993, "--port"),
    user: str = typer.Option(..., "--user"),
    password: str = typer.Option(..., "--password", envvar="ACCORD_IMAP_PASSWORD"),
    folder: str = typer.Option("INBOX", "--folder"),
    ssl: bool = typer.Option(True, "--ssl/--no-ssl"),
) -> None:
    """Poll a mailbox once; each email is marked seen only after its case is saved."""
    with unit_of_work() as ctx:
        require_write(ctx.actor)
        workspace_id = ctx.workspace.id
    account = mailbox.ImapAccount(host=host, port=port, user=user, password=password, folder=folder, ssl=ssl)
    result = mailbox.poll_imap(account, workspace_id=workspace_id)
    console.print(f"Stored {len(result.stored)} message(s); {len(result.failed)} failed and stay unseen.")
    if result.failed:
        raise typer.Exit(1)
