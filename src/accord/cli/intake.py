"""`accord intake ...`: feed raw emails in from files, stdin, an mbox or an IMAP mailbox (P3)."""

from __future__ import annotations

import mailbox as mbox_format
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from accord.cases import service as cases
from accord.cli.context import console, print_json, unit_of_work
from accord.clients import service as clients
from accord.errors import Invalid
from accord.intake import mailbox
from accord.intake import service as intake
from accord.jobs.mail import ImportResult, import_emails
from accord.users.access import require_write

app = typer.Typer(help="Intake: turn incoming email into cases.", no_args_is_help=True)
MAX_RAW_BYTES = 25 * 1024 * 1024


def _workspace_for_writing() -> int:
    with unit_of_work() as ctx:
        require_write(ctx.actor)
        return ctx.workspace.id


def _read_files(sources: list[str]) -> list[tuple[str, bytes]]:
    """Every file read before anything is stored, so a typo stores nothing and says which file."""
    raws = []
    for source in sources:
        if source == "-":
            raws.append(("stdin", sys.stdin.buffer.read(MAX_RAW_BYTES + 1)))
            continue
        path = Path(source)
        if not path.is_file():
            raise Invalid(f"No such file: {source}")
        try:
            raws.append((source, path.read_bytes()))
        except OSError as exc:
            raise Invalid(f"Cannot read {source}: {exc.strerror}") from exc
    return raws


def _report(result: ImportResult, *, each: bool = False) -> None:
    for line in result.placed if each else []:
        console.print(escape(line))
    console.print(f"Stored {result.stored} message(s); {result.duplicates} already known.")
    for line in result.failed:
        console.print(f"[red]Not stored:[/red] {escape(line)}")
    if result.failed:
        raise typer.Exit(1)


@app.command("email")
def email(sources: list[str] = typer.Argument(..., help="Raw .eml files, or - for stdin.")) -> None:
    """Store raw emails: each opens a case or joins its thread; the same email twice is stored once (P3)."""
    raws = _read_files(sources)
    result = import_emails(workspace_id=_workspace_for_writing(), raws=raws)
    _report(result, each=True)


def _mbox_messages(path: Path) -> Iterator[tuple[str, bytes]]:
    box = mbox_format.mbox(str(path), create=False)
    try:
        for index, key in enumerate(box.iterkeys()):
            yield f"{path.name} message {index + 1}", box.get_bytes(key)
    finally:
        box.close()


@app.command("mbox")
def mbox(source: str = typer.Argument(..., help="An mbox file.")) -> None:
    """Import every email of an mbox file, with a progress bar; re-importing it adds nothing."""
    path = Path(source)
    if not path.is_file():
        raise Invalid(f"No such file: {source}")
    workspace_id = _workspace_for_writing()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("Importing", total=None)
        result = import_emails(
            workspace_id=workspace_id, raws=_mbox_messages(path), progress=lambda: progress.advance(task)
        )
    _report(result)


def _password(password: str | None) -> str:
    return password or typer.prompt("IMAP password", hide_input=True)


@app.command("imap")
def imap(
    host: str = typer.Option(..., "--host"),
    port: int = typer.Option(993, "--port"),
    user: str = typer.Option(..., "--user"),
    folder: str = typer.Option("INBOX", "--folder"),
    tls: str = typer.Option("ssl", "--tls", help="ssl, starttls or none."),
) -> None:
    """Poll a mailbox once (password from ACCORD_IMAP_PASSWORD or a prompt); seen only after saving."""
    workspace_id = _workspace_for_writing()
    password = _password(_env_password())
    account = mailbox.ImapAccount(host=host, port=port, user=user, password=password, folder=folder, tls=tls)
    result = mailbox.poll_imap(account, workspace_id=workspace_id)
    console.print(f"Stored {len(result.stored)} message(s); {len(result.failed)} failed and stay unseen.")
    if result.failed:
        raise typer.Exit(1)


def _env_password() -> str | None:
    """From the environment, never a command-line option (those show in `ps` and shell history)."""
    return os.environ.get("ACCORD_IMAP_PASSWORD") or None


@app.command("unmatched")
def unmatched(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Cases from unknown senders, and machine mail that answers nothing we know (P3)."""
    with unit_of_work() as ctx:
        queue = intake.unmatched_queue(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id)
    rows, loose = queue["cases"], queue["messages"]
    if as_json:
        print_json(queue)
        return
    table = Table("Case", "Status", "Title")
    for row in rows:
        table.add_row(str(row["reference"]), str(row["status"]), escape(str(row["title"])))
    console.print(table)
    console.print(f"{len(loose)} automatic message(s) answer nothing we know.")


@app.command("assign")
def assign(
    reference: str = typer.Argument(..., help="The case from the Unmatched queue, e.g. ACC-1042."),
    client: str = typer.Option(..., "--client", help="The client it belongs to (name or id)."),
) -> None:
    """Move a case to its real client; its senders become that client's contacts (P3)."""
    with unit_of_work() as ctx:
        case = cases.get_case(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, reference=reference)
        target = clients.get_client(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, key=client)
        intake.move_to_client(ctx.db, actor=ctx.actor, case=case, client=target)
        console.print(f"{case.reference} is now on {escape(target.name)}.")
