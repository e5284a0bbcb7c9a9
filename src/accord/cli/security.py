"""`accord backup|restore|export|import|token|audit`: data safety and access from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from accord.backup import service as backups
from accord.backup import transfer
from accord.cli.context import console, print_json, unit_of_work
from accord.db import session_scope
from accord.errors import Invalid
from accord.users import auth, tokens
from accord.users.access import require_role

token_app = typer.Typer(help="Personal API tokens (Authorization: Bearer ...).", no_args_is_help=True)
audit_app = typer.Typer(help="The workspace audit log.", no_args_is_help=True)


def backup(path: Path = typer.Argument(..., help="Where to write the backup file.")) -> None:
    """Copy the whole database to PATH (safe while Accord is running)."""
    with unit_of_work() as ctx:
        require_role(ctx.actor, ("owner",), "back up the database")
        auth.record_audit(
            ctx.db,
            workspace_id=ctx.workspace.id,
            actor=_who(ctx.actor),
            action="backup",
            detail=str(path)[:900],
        )
    written = backups.backup_database(path)
    console.print(f"Backup written to {escape(str(written))}")


def restore(
    path: Path = typer.Argument(..., help="A backup made by `accord backup`."),
    yes: bool = typer.Option(False, "--yes", help="Replace the data without asking."),
) -> None:
    """Replace ALL current data with the backup at PATH."""
    if not yes:
        if not sys.stdin.isatty():
            raise Invalid("Restoring replaces all data; run again with --yes to confirm.")
        typer.confirm(f"Replace all current data with {path}?", abort=True)
    saved = backups.restore_database(path)
    console.print(f"Restored from {escape(str(path))}; the data it replaced is kept in {escape(str(saved))}")


def export(
    as_json: bool = typer.Option(True, "--json", help="JSON (the only format)."),
    out: Path = typer.Option(None, "--out", help="Write to this file instead of stdout."),
) -> None:
    """Export the whole workspace as JSON (no passwords, no tokens)."""
    with unit_of_work() as ctx:
        require_role(ctx.actor, ("owner",), "export the workspace")
        data = transfer.export_workspace(ctx.db, ctx.workspace.id)
        auth.record_audit(ctx.db, workspace_id=ctx.workspace.id, actor=_who(ctx.actor), action="export")
    text = json.dumps(data, indent=1, default=str)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"Exported to {escape(str(out))}")


def import_(path: Path = typer.Argument(..., help="A file written by `accord export --json`.")) -> None:
    """Load an exported workspace into this (empty) database; users must then reset passwords."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise Invalid(f"Cannot read {path}: {exc}") from exc
    with session_scope() as db:
        workspace_id = transfer.import_workspace(db, data)
        auth.record_audit(db, workspace_id=workspace_id, actor="cli", action="import", detail=str(path)[:900])
    console.print(f"Imported workspace from {escape(str(path))}")


def _who(actor: object) -> str:
    return str(getattr(actor, "email", "system"))


@token_app.command("create")
def token_create(
    scope: str = typer.Option("read", "--scope", help="read or write."),
    name: str = typer.Option("", "--name", help="A label to recognise it later."),
    expires_days: int = typer.Option(None, "--expires-days", help="Days until it expires (default: never)."),
) -> None:
    """Create a token for the acting user and print it once."""
    with unit_of_work() as ctx:
        if ctx.actor is None:
            raise Invalid("No user to own the token: add one with `accord user add`.")
        token, plain = tokens.create_token(
            ctx.db, actor=ctx.actor, scope=scope, name=name, expires_in_days=expires_days
        )
        token_id, expires = token.id, token.expires_at
    typer.echo(plain)  # the secret first: nothing printed after it can lose it
    until = f"expires {expires.isoformat(timespec='minutes')}" if expires else "never expires"
    console.print(f"Token {token_id} ({scope}, {until}). Shown once above, store it now.")


@token_app.command("list")
def token_list(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The acting user's tokens (never their values)."""
    with unit_of_work() as ctx:
        rows = [
            {
                "id": t.id,
                "name": t.name,
                "prefix": t.prefix,
                "scope": t.scope,
                "created_at": t.created_at,
                "last_used_at": t.last_used_at,
                "expires_at": t.expires_at,
                "revoked_at": t.revoked_at,
            }
            for t in (tokens.list_tokens(ctx.db, actor=ctx.actor) if ctx.actor else [])
        ]
    if as_json:
        print_json(rows)
        return
    table = Table("id", "name", "prefix", "scope", "last used", "expires", "revoked")
    for r in rows:
        table.add_row(
            str(r["id"]),
            escape(str(r["name"])),
            f"{r['prefix']}...",
            str(r["scope"]),
            str(r["last_used_at"] or "never"),
            str(r["expires_at"] or "never"),
            str(r["revoked_at"] or ""),
        )
    console.print(table)


@token_app.command("revoke")
def token_revoke(token_id: int = typer.Argument(..., help="Token id from `accord token list`.")) -> None:
    """Revoke a token at once."""
    with unit_of_work() as ctx:
        if ctx.actor is None:
            raise Invalid("No user acting.")
        tokens.revoke_token(ctx.db, actor=ctx.actor, token_id=token_id)
    console.print(f"Token {token_id} revoked.")


@audit_app.command("export")
def audit_export() -> None:
    """Print the workspace audit log as JSON."""
    with unit_of_work() as ctx:
        require_role(ctx.actor, ("owner", "lead"), "read the audit log")
        rows = auth.export_audit(ctx.db, workspace_id=ctx.workspace.id)
    print_json(rows)


def register(app: typer.Typer) -> None:
    """Attach these commands to the main `accord` app."""
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.command("export")(export)
    app.command("import")(import_)
    app.add_typer(token_app, name="token")
    app.add_typer(audit_app, name="audit")
