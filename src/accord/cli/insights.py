"""`accord report`: what the business should learn from its conflicts (P24)."""

from __future__ import annotations

from dataclasses import asdict

import typer
from rich.markup import escape
from rich.table import Table

from accord.cli.context import console, print_json, unit_of_work
from accord.insights import service as insights


def report(
    days: int = typer.Option(90, "--days", help="Look back this many days."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Causes, fault, time to resolve, reopenings, clients lost, and lessons (P24)."""
    with unit_of_work() as ctx:
        result = insights.conflict_report(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, days=days)
    if as_json:
        print_json(asdict(result))
        return
    console.print(f"[bold]{result.total}[/bold] conflicts in the last {days} days, {result.open} open.")
    console.print(
        f"Median time to resolve: {result.median_hours_to_resolve or '-'} h   "
        f"Reopen rate: {result.reopen_rate:.0%}   Mean hand-offs: {result.mean_handoffs}"
    )
    table = Table("Category", "Cases")
    for category, count in result.by_category.items():
        table.add_row(category, str(count))
    console.print(table)
    console.print(f"Concessions accepted (P24): {result.concession_cost:,.2f}")
    for client, cost in result.cost_by_client.items():
        console.print(f"  {escape(client)}: {cost:,.2f}")
    console.print("[bold]Lessons[/bold]")
    for lesson in result.lessons:
        console.print(f"- {escape(lesson)}")
