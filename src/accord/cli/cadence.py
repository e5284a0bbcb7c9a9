"""`accord sla status`, `accord reminders list`, `accord case confirm` (P6, P22, P23)."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from accord.cadence import confirmation as confirmations
from accord.cadence import service as cadence
from accord.cases import service as cases
from accord.cli.context import console, print_json, unit_of_work

sla_app = typer.Typer(help="Service levels: what is due when.", no_args_is_help=True)
reminders_app = typer.Typer(help="Reminders and escalations sent by the sweep.", no_args_is_help=True)


def _when(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else "-"


@sla_app.command("status")
def sla_status(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Every open case with its acknowledge, update and resolve deadlines."""
    with unit_of_work() as ctx:
        rows = cadence.sla_status(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id)
    if as_json:
        print_json(rows)
        return
    table = Table("Case", "Status", "Sev", "Acknowledge by", "Update by", "Resolve by", "State")
    for row in rows:
        state = "OVERDUE" if row["overdue"] else ("paused" if row["paused"] else "on time")
        table.add_row(
            row["reference"],
            row["status"],
            str(row["severity"]),
            _when(row["acknowledge_due_at"]),
            _when(row["update_due_at"]),
            _when(row["resolve_due_at"]),
            state,
        )
    console.print(table)


@reminders_app.command("list")
def reminders_list(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Reminders to spokespersons and escalations to owners, newest first."""
    with unit_of_work() as ctx:
        rows = cadence.list_reminders(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id)
    if as_json:
        print_json(rows)
        return
    table = Table("Case", "What", "Level", "Due", "To", "Sent")
    for row in rows:
        table.add_row(
            row["reference"],
            row["kind"],
            row["level"],
            _when(row["due_at"]),
            escape(", ".join(row["to"])),
            _when(row["created_at"]),
        )
    console.print(table)


def confirm(
    reference: str = typer.Argument(..., help="Case reference, e.g. ACC-1042."),
    note: str = typer.Option(..., "--note", help="What the client said on the call."),
) -> None:
    """Record that the client confirmed the resolution on a call (P23)."""
    with unit_of_work() as ctx:
        case = cases.get_case(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, reference=reference)
        confirmations.record_call_confirmation(ctx.db, actor=ctx.actor, case=case, note=note)
        reference, status = case.reference, case.status
    console.print(f"{reference} is {status}; a follow-up is scheduled.")


def ask_confirmation(reference: str = typer.Argument(..., help="Case reference, e.g. ACC-1042.")) -> None:
    """Email the client a single-use link to confirm the resolution (P23)."""
    with unit_of_work() as ctx:
        case = cases.get_case(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, reference=reference)
        _confirmation, url = confirmations.request_confirmation(ctx.db, actor=ctx.actor, case=case)
        reference = case.reference
    console.print(f"{reference} is awaiting the client's confirmation. Their link: {url}")
