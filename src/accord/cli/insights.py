"""`accord report`: what the business learns from its conflicts, over any period or monthly (P24)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from accord.cli.context import console, print_json, unit_of_work
from accord.clock import now
from accord.insights import export, monthly, pdf
from accord.insights import figures_service as insights
from accord.insights.figures import DIMENSIONS, FigureRow

app = typer.Typer(help="What the business learns from its conflicts (P24).", invoke_without_command=True)


@app.callback(invoke_without_command=True)
def report(
    ctx: typer.Context,
    days: int = typer.Option(90, "--days", help="Look back this many days (when --from is not given)."),
    start: str = typer.Option(None, "--from", help="First day, YYYY-MM-DD."),
    end: str = typer.Option(None, "--to", help="Last day, YYYY-MM-DD (included)."),
    by: list[str] = typer.Option([], "--by", help=f"Also per one of: {', '.join(DIMENSIONS)} (repeatable)."),
    client: str = typer.Option(None, "--client", help="Only this client (name or id)."),
    category: str = typer.Option(None, "--category", help="Only this category."),
    severity: int = typer.Option(None, "--severity", help="Only this severity (1-4)."),
    spokesperson: str = typer.Option(None, "--spokesperson", help="Only this spokesperson (email or id)."),
    fault: str = typer.Option(None, "--fault", help="Only this fault (ours, client, shared, none, unknown)."),
    as_json: bool = typer.Option(False, "--json", help="Print every figure as JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print the figure rows as CSV."),
) -> None:
    """Opened and closed, time to acknowledge and resolve, SLA breaches, reopenings, costs, ratings,
    repeat, retained and at-risk clients, root causes and lessons."""
    if ctx.invoked_subcommand:
        return
    with unit_of_work() as ctx_:
        db, actor, ws = ctx_.db, ctx_.actor, ctx_.workspace.id
        wanted = {"client": client, "category": category, "spokesperson": spokesperson, "fault": fault}
        filters = insights.read_filters(
            db, actor=actor, workspace_id=ws, start=start, end=end, days=days, severity=severity, **wanted
        )
        view = insights.overview(db, actor=actor, workspace_id=ws, filters=filters)
        groups = insights.breakdowns(db, actor=actor, workspace_id=ws, filters=filters, dimensions=list(by))
    if as_csv:
        typer.echo(export.rows_csv(groups), nl=False)
    elif as_json:
        print_json(export.overview_json(view, groups))
    else:
        _print(view, groups)


def _print(view: insights.Overview, groups: dict[str, list[FigureRow]]) -> None:
    row = view.overall
    console.print(
        f"[bold]{view.filters.start} to {view.filters.end}[/bold]: {row.opened} opened, {row.closed} closed."
    )
    console.print(
        f"Acknowledge median/p90: {row.ack_median_h or '-'} / {row.ack_p90_h or '-'} h   "
        f"Resolve median/p90: {row.resolve_median_h or '-'} / {row.resolve_p90_h or '-'} h"
    )
    breaches = ", ".join(f"{k} {v}" for k, v in row.breaches.items())
    console.print(f"SLA breaches: {breaches}   Reopen rate: {_pct(row.reopen_rate)}")
    console.print(
        f"Confirmed by client: {_pct(row.confirmed_share)}   Hand-offs/case: {row.handoffs_per_case or 0}"
    )
    console.print(
        f"Concessions: {row.concession_cost:,.2f} ({row.concessions})   Rating: {row.rating_mean or '-'}"
    )
    console.print(f"Revenue at risk: {view.revenue_at_risk:,.2f} a month")
    console.print(f"Retained 90 days: {_pct(view.retention_rate)} of {view.retention_eligible}")
    for group, rows in groups.items():
        if group == "overall":
            continue
        table = Table(group.capitalize(), "Opened", "Closed", "Resolve med h", "Cost", "Rating")
        for r in rows:
            table.add_row(escape(r.label), str(r.opened), str(r.closed), str(r.resolve_median_h or "-"),
                          f"{r.concession_cost:,.2f}", str(r.rating_mean or "-"))  # fmt: skip
        console.print(table)
    console.print("[bold]Lessons[/bold]")
    for lesson in view.lessons:
        console.print(f"- ({lesson.area}) {escape(lesson.text)}")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


@app.command("monthly")
def monthly_report(
    month: str = typer.Option(None, "--month", help="YYYY-MM; default: last month."),
    pdf_file: Path = typer.Option(None, "--pdf", help="Write the report as PDF to this file."),
    html_file: Path = typer.Option(None, "--html", help="Write the report as HTML to this file."),
) -> None:
    """The two-minute monthly review: what went wrong, what it cost, who is at risk, what to change."""
    with unit_of_work() as ctx:
        chosen = month or monthly.default_month(now().date())
        result = monthly.monthly_report(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, month=chosen)
    if pdf_file:
        console.print(f"PDF written to {escape(str(pdf.render_pdf(result, pdf_file)))}")
    if html_file:
        html_file.parent.mkdir(parents=True, exist_ok=True)
        html_file.write_text(monthly.render_html(result), encoding="utf-8")
        console.print(f"HTML written to {escape(str(html_file))}")
    if not pdf_file and not html_file:
        console.print(f"[bold]Conflict review: {result.title}[/bold]")
        for line in result.went_wrong + result.cost_lines:
            console.print(f"- {escape(line)}")
        for lesson in result.view.lessons:
            console.print(f"- ({lesson.area}) {escape(lesson.text)}")
