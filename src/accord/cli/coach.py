"""`accord coach ...`: check a reply, draft one for a case, send one through the coach (P13-P22)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from accord.cases import service as cases
from accord.cli.context import console, print_json, unit_of_work
from accord.coach import service as coach
from accord.coach.service import ReplyCheck
from accord.errors import Invalid

app = typer.Typer(help="The reply coach: plain, honest, complete replies.", no_args_is_help=True)

MAX_INPUT_BYTES = 1_000_000
MAX_DATA_BYTES = 100_000_000


def _read(source: str) -> str:
    """The reply text from a file, or stdin for '-'."""
    if source == "-":
        return sys.stdin.read(MAX_INPUT_BYTES)
    path = Path(source)
    if not path.is_file():
        raise Invalid(f"No such file: {source}")
    return path.read_bytes()[:MAX_INPUT_BYTES].decode("utf-8", errors="replace")


def _render(check: ReplyCheck) -> None:
    table = Table("severity", "rule", "text", "message", "suggestion")
    for f in check.findings:
        table.add_row(f.severity, f.rule, escape(f.text), escape(f.message), escape(f.suggestion))
    if check.findings:
        console.print(table)
    console.print(f"Score: [bold]{check.score}[/bold]/100")


@app.command("check")
def check(
    source: str = typer.Argument(..., help="File with the reply, or '-' for stdin."),
    as_json: bool = typer.Option(False, "--json", help="Print {findings, score} as JSON."),
    case_ref: str = typer.Option(None, "--case", help="Check against this case's facts, e.g. ACC-1001."),
) -> None:
    """Check a reply for double-talk, blame, hedging, missing steps and more."""
    text = _read(source)
    if case_ref:
        with unit_of_work() as ctx:
            case = cases.get_case(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, reference=case_ref)
            result = coach.check_case_reply(ctx.db, case=case, text=text)
    else:
        result = coach.check_text(text)
    if as_json:
        print_json(result.as_dict())
    else:
        _render(result)


def _render_eval(report: dict[str, Any]) -> None:
    table = Table("family", "support", "recall", "precision", "clean false alarms")
    for family, row in report["families"].items():
        cells = [row[k] for k in ("support", "recall", "precision", "clean_false_alarm_rate")]
        table.add_row(family, *("-" if v is None else str(v) for v in cells))
    console.print(table)
    console.print(
        f"{report['rows']} rows, {report['clean_rows']} clean; "
        f"clean replies with any warning: {report['clean_any_false_alarm_rate']}"
    )


@app.command("eval")
def evaluate(
    data: str = typer.Option(..., "--data", help='JSON lines of {"text", "expect": [...], "context"?}.'),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Measure the coach on labelled replies: per-family recall, precision and clean false alarms."""
    path = Path(data)
    if not path.is_file():
        raise Invalid(f"No such file: {data}")
    if path.stat().st_size > MAX_DATA_BYTES:
        raise Invalid(f"{data} is over {MAX_DATA_BYTES // 1_000_000} MB.")
    # JSON lines end at "\n" only: a U+2028 or a form feed inside a text is part of the text
    lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    report = coach.evaluate_replies(lines)
    if as_json:
        print_json(report)
    else:
        _render_eval(report)


@app.command("draft")
def draft(
    reference: str = typer.Argument(..., help="The case, e.g. ACC-1001."),
    purpose: str = typer.Option(
        "acknowledge",
        "--purpose",
        help="acknowledge, update, solution, mistake, firm, confirm_request or follow_up.",
    ),
) -> None:
    """Print a draft reply for the case that passes the coach."""
    with unit_of_work() as ctx:
        case = cases.get_case(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, reference=reference)
        text = coach.draft_reply(ctx.db, case=case, purpose=purpose)
    typer.echo(text)


@app.command("send")
def send(
    reference: str = typer.Argument(..., help="The case, e.g. ACC-1001."),
    source: str = typer.Argument(..., help="File with the reply, or '-' for stdin."),
    override: str = typer.Option(None, "--override", help="Send despite blocking findings, for this reason."),
) -> None:
    """Record a reply as sent; blocking findings need --override, which goes on the timeline."""
    text = _read(source)
    with unit_of_work() as ctx:
        case = cases.get_case(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, reference=reference)
        message = coach.send_reply(ctx.db, actor=ctx.actor, case=case, body=text, override_reason=override)
        console.print(f"Reply {message.id} recorded on {escape(case.reference)}.")
