"""`accord case guide ACC-xxxx`: call mode, walking the spokesperson through the playbook's steps (P13)."""

from __future__ import annotations

from dataclasses import asdict

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.prompt import Prompt
from rich.table import Table

from accord.cases import service as cases
from accord.cases import steps as case_steps
from accord.cases.steps import GuideStep
from accord.cli.context import console, print_json, unit_of_work
from accord.coach import advice as case_advice

STATE_MARKS = {"open": "[ ]", "done": "[x]", "skipped": "[-]"}


def _steps(reference: str) -> list[GuideStep]:
    with unit_of_work() as ctx:
        case = cases.get_case(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, reference=reference)
        return case_steps.guide_steps(ctx.db, actor=ctx.actor, case=case)


def _complete(reference: str, step_id: str, notes: str) -> None:
    with unit_of_work() as ctx:
        case = cases.get_case(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, reference=reference)
        case_steps.complete_step(ctx.db, actor=ctx.actor, case=case, step_id=step_id, notes=notes)


def _skip(reference: str, step_id: str, reason: str) -> None:
    with unit_of_work() as ctx:
        case = cases.get_case(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, reference=reference)
        case_steps.skip_step(ctx.db, actor=ctx.actor, case=case, step_id=step_id, reason=reason)


def _advice(reference: str) -> case_advice.CaseAdvice:
    with unit_of_work() as ctx:
        case = cases.get_case(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, reference=reference)
        return case_advice.advise_case(ctx.db, case=case)


def _print_advice(advice: case_advice.CaseAdvice) -> None:
    colours = {"ok": "green", "info": "cyan", "warning": "yellow"}
    for item in advice.advice:
        reasons = "\n".join(f"  - {escape(r)}" for r in item.reasons)
        colour = colours.get(item.level, "white")
        console.print(f"[bold {colour}]{item.topic}[/]: {escape(item.recommendation)}\n{reasons}")


def _print_list(reference: str, steps: list[GuideStep]) -> None:
    table = Table("", "Step", "Phase", "Title", title=f"{reference}: playbook steps")
    for s in steps:
        gate = " (required)" if s.required_before else ""
        table.add_row(escape(STATE_MARKS.get(s.state, s.state)), s.step_id, s.phase, escape(s.title) + gate)
    console.print(table)


def _show(step: GuideStep, index: int, total: int) -> None:
    prompts = "\n".join(f"  - {escape(p)}" for p in step.prompts)
    body = f"{escape(step.guidance)}\n\n[bold]Ask yourself / the client:[/bold]\n{prompts}" if prompts else ""
    title = f"Step {index}/{total}: {escape(step.title)} [dim]({step.step_id})[/dim]"
    console.print(Panel(body or escape(step.guidance), title=title, expand=False))


def _walk(reference: str) -> None:
    _print_advice(_advice(reference))
    steps = [s for s in _steps(reference) if s.state == "open"]
    if not steps:
        console.print("Every step of this case is done or skipped.")
        return
    for index, step in enumerate(steps, start=1):
        _show(step, index, len(steps))
        choice = Prompt.ask("[d]one, [s]kip, [n]ext, [q]uit", choices=["d", "s", "n", "q"], default="d")
        if choice == "q":
            break
        if choice == "d":
            _complete(reference, step.step_id, Prompt.ask("Notes (what was said or found)", default=""))
            console.print(f"Recorded {step.step_id}.")
        elif choice == "s":
            _skip(reference, step.step_id, Prompt.ask("Why skip it"))
            console.print(f"Skipped {step.step_id}.")
    _print_list(reference, _steps(reference))


def guide(
    reference: str = typer.Argument(..., help="The case, e.g. ACC-1042."),
    step: str = typer.Option(None, "--step", help="Complete this step without prompting."),
    notes: str = typer.Option("", "--notes", help="Notes for --step."),
    skip: str = typer.Option(None, "--skip", help="Skip this step without prompting."),
    reason: str = typer.Option("", "--reason", help="Reason for --skip."),
    list_only: bool = typer.Option(False, "--list", help="Only list the steps and their state."),
    advice: bool = typer.Option(False, "--advice", help="Only show the advisors' view of the case."),
    as_json: bool = typer.Option(False, "--json", help="With --list or --advice, print JSON."),
) -> None:
    """Walk the playbook's conversation steps for a case, recording notes (call mode)."""
    if step:
        _complete(reference, step, notes)
        console.print(f"Recorded {escape(step)} on {escape(reference)}.")
    elif skip:
        _skip(reference, skip, reason)
        console.print(f"Skipped {escape(skip)} on {escape(reference)}.")
    elif advice:
        found = _advice(reference)
        print_json(asdict(found)) if as_json else _print_advice(found)
    elif list_only:
        steps = _steps(reference)
        print_json([s.__dict__ for s in steps]) if as_json else _print_list(reference, steps)
    else:
        _walk(reference)
