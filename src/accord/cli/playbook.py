"""`accord playbook ...`: export, validate, diff, show and install the written plan (P2)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from accord.cli.context import console, unit_of_work
from accord.errors import Invalid
from accord.playbook import export, loader
from accord.playbook import service as playbooks
from accord.playbook.compare import diff_playbooks

app = typer.Typer(help="The playbook: the written plan every case follows (P2).", no_args_is_help=True)


@app.command("export")
def export_(
    fmt: str = typer.Option("md", "--format", help="md, html or pdf."),
    out: Path = typer.Option(None, "--out", help="Write to this file (required for pdf; default stdout)."),
    file: Path = typer.Option(None, "--file", help="Export this playbook file instead of the active one."),
) -> None:
    """Render the playbook as a document the whole team can read."""
    if fmt not in export.FORMATS:
        raise Invalid(f"Unknown format '{fmt}'. Choose one of: {', '.join(export.FORMATS)}.")
    if file is not None:
        playbook = loader.load_file(file)
    else:
        with unit_of_work() as ctx:
            playbook = playbooks.active_playbook(ctx.db, workspace_id=ctx.workspace.id)
    if fmt == "pdf":
        if out is None:
            raise Invalid("PDF export needs --out FILE.")
        export.to_pdf(playbook, out)
        console.print(f"Wrote {escape(str(out))}")
        return
    text = export.render(playbook, fmt)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"Wrote {escape(str(out))}")


@app.command("validate")
def validate(file: Path = typer.Argument(..., help="The playbook YAML file.")) -> None:
    """Check a playbook file; problems are listed with their line and field."""
    playbook = loader.load_file(file)
    console.print(
        f"{escape(str(file))} is valid: version {escape(playbook.version)}, "
        f"{len(playbook.steps)} steps, {sum(len(s) for s in playbook.solutions.values())} solutions."
    )


@app.command("diff")
def diff(
    a: Path = typer.Argument(..., help="The old playbook file."),
    b: Path = typer.Argument(..., help="The new playbook file."),
) -> None:
    """What changed between two playbook files."""
    lines = diff_playbooks(loader.load_file(a), loader.load_file(b))
    if not lines:
        console.print("No differences.")
    for line in lines:
        console.print(escape(line))


@app.command("show")
def show() -> None:
    """The active playbook's version and steps."""
    with unit_of_work() as ctx:
        playbook = playbooks.active_playbook(ctx.db, workspace_id=ctx.workspace.id)
    console.print(f"[bold]{escape(playbook.name)}[/bold], version {escape(playbook.version)}")
    table = Table("Step", "Phase", "Applies", "Title")
    for step in playbook.steps:
        table.add_row(step.id, step.phase, escape(export.when_applies(step)), escape(step.title))
    console.print(table)


@app.command("install")
def install(
    file: Path = typer.Argument(..., help="A full playbook, or one with `extends: default`."),
) -> None:
    """Make this file the workspace's playbook (owners only); new cases use it."""
    try:
        source = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid(f"Cannot read {file}: {exc}.") from exc
    with unit_of_work() as ctx:
        row = playbooks.install_playbook(
            ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, source=source
        )
        version = row.version
    console.print(f"Playbook version {escape(version)} is now active for this workspace.")
