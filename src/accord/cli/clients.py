"""`accord client ...`: clients and what was agreed at onboarding (P1)."""

from __future__ import annotations

from decimal import Decimal

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from accord.cli.context import console, print_json, unit_of_work
from accord.clients import service as clients
from accord.clients.schemas import ClientOut

app = typer.Typer(help="Clients, contracts and expectations.", no_args_is_help=True)


@app.command("add")
def add(
    name: str = typer.Argument(..., help="Client name."),
    domain: list[str] = typer.Option([], "--domain", help="Email domain (repeatable)."),
    monthly_value: Decimal = typer.Option(Decimal("0"), "--monthly-value", help="Monthly revenue."),
    hourly_rate: Decimal = typer.Option(Decimal("0"), "--hourly-rate", help="Rate for free work (P24)."),
    tier: str = typer.Option("standard", "--tier", help="standard, key or strategic."),
    expectations: str = typer.Option("", "--expectations", help="Agreed at onboarding (P1)."),
    contract: str = typer.Option("", "--contract", help="Contract summary."),
    termination: str = typer.Option("", "--termination", help="How either side may end it."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Add a client with its onboarding expectations and contract terms."""
    with unit_of_work() as ctx:
        client = clients.add_client(
            ctx.db,
            actor=ctx.actor,
            workspace_id=ctx.workspace.id,
            name=name,
            email_domains=domain,
            monthly_value=monthly_value,
            hourly_rate=hourly_rate,
            tier=tier,
            expectations=expectations,
            contract_summary=contract,
            termination_terms=termination,
        )
        out = ClientOut.model_validate(client)
    if as_json:
        print_json(out)
    else:
        console.print(f"Added client {escape(out.name)} (id {out.id}).")


@app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List clients."""
    with unit_of_work() as ctx:
        rows = [
            ClientOut.model_validate(c)
            for c in clients.list_clients(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id)
        ]
    if as_json:
        print_json(rows)
        return
    table = Table("Id", "Name", "Tier", "Monthly value", "Status")
    for c in rows:
        table.add_row(str(c.id), escape(c.name), c.tier, f"{c.monthly_value:,.2f}", c.status)
    console.print(table)


@app.command("show")
def show(
    key: str = typer.Argument(..., help="Client name or id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show a client with expectations, contract and termination terms (P1)."""
    with unit_of_work() as ctx:
        out = ClientOut.model_validate(
            clients.get_client(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, key=key)
        )
    if as_json:
        print_json(out)
        return
    console.print(
        Panel.fit(
            f"Tier: {out.tier}   Monthly value: {out.monthly_value:,.2f}   Status: {out.status}\n"
            f"Domains: {', '.join(out.email_domains) or '-'}\n\n"
            f"[bold]Expectations[/bold]\n{escape(out.expectations or '-')}\n\n"
            f"[bold]Contract[/bold]\n{escape(out.contract_summary or '-')}\n\n"
            f"[bold]Termination terms[/bold]\n{escape(out.termination_terms or '-')}",
            title=escape(out.name),
        ),
        markup=True,
    )
