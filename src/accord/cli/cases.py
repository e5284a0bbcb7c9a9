"""`accord case ...`: open, list, show, move and assign cases, and set their facts."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from accord.cases import facts
from accord.cases import service as cases
from accord.cases.schemas import CaseFilter, EventOut, FactsIn
from accord.cases.transitions import movable_next
from accord.cli.context import console, print_json, unit_of_work
from accord.clients import service as clients
from accord.intake import service as intake
from accord.intake.schemas import MessageOut
from accord.offers import firmness
from accord.offers.schemas import FirmnessOut
from accord.users import service as users

app = typer.Typer(help="Cases: one conflict with one client.", no_args_is_help=True)


@app.command("new")
def new(
    client: str = typer.Option(..., "--client", help="Client name or id."),
    title: str = typer.Option(..., "--title", help="Short title."),
    text: str = typer.Option("", "--text", help="The client's message, if any."),
    channel: str = typer.Option("manual", "--channel", help="email, review, chat, call, form, manual."),
    kind: str = typer.Option("client_raised", "--kind", help="client_raised or business_raised."),
    severity: int | None = typer.Option(
        None, "--severity", help="1 (low) to 4 (critical); default: triage proposes."
    ),
    category: str | None = typer.Option(None, "--category", help="Category; default: triage proposes."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Open a case for a client, optionally with the client's message (P3)."""
    with unit_of_work() as ctx:
        found = clients.get_client(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, key=client)
        case, _ = intake.open_case_from_message(
            ctx.db,
            actor=ctx.actor,
            client=found,
            title=title,
            body=text,
            channel=channel,
            kind=kind,
            severity=severity,
            category=category,
        )
        out = cases.describe_case(ctx.db, case)
    if as_json:
        print_json(out)
    else:
        console.print(f"Opened {out.reference} for {escape(out.client)}: {escape(out.title)}")


@app.command("list")
def list_(
    status: str = typer.Option(None, "--status", help="Only this status."),
    severity: int = typer.Option(None, "--severity", help="Only this severity."),
    category: str = typer.Option(None, "--category", help="Only this category."),
    search: str = typer.Option(None, "--search", help="Text in the title or client name."),
    limit: int = typer.Option(100, "--limit", help="At most this many."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List cases, newest first."""
    flt = CaseFilter(status=status, severity=severity, category=category, search=search)
    with unit_of_work() as ctx:
        rows = [
            cases.describe_case(ctx.db, c)
            for c in cases.list_cases(
                ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, flt=flt, limit=limit
            )
        ]
    if as_json:
        print_json(rows)
        return
    table = Table("Ref", "Status", "Sev", "Category", "Client", "Owner", "Title")
    for c in rows:
        table.add_row(
            c.reference,
            c.status,
            str(c.severity),
            c.category,
            escape(c.client),
            escape(c.owner or "-"),
            escape(c.title),
        )
    console.print(table)


@app.command("show")
def show(
    reference: str = typer.Argument(..., help="Case reference, e.g. ACC-1042."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show a case with its messages and timeline."""
    with unit_of_work() as ctx:
        case = cases.get_case(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, reference=reference)
        out = cases.describe_case(ctx.db, case)
        events = [EventOut.model_validate(e) for e in cases.list_events(ctx.db, actor=ctx.actor, case=case)]
        messages = [
            MessageOut.model_validate(m) for m in intake.view_messages(ctx.db, actor=ctx.actor, case=case)
        ]
        found = FirmnessOut.model_validate(firmness.case_firmness(ctx.db, case=case))
    if as_json:
        print_json(
            {
                **out.model_dump(mode="json"),
                "events": events,
                "messages": messages,
                "allowed_next": list(movable_next(out.status)),
                "firmness": found,  # P20: haggling with evidence, repeated, terms, guidance
            }
        )
        return
    console.print(f"[bold]{out.reference}[/bold] {escape(out.title)}")
    console.print(
        f"Client: {escape(out.client)}   Status: {out.status}   Severity: {out.severity}"
        f"   Category: {out.category}   Owner: {escape(out.owner or '-')}"
        f"   Hand-offs: {out.handoff_count}"
    )
    console.print(f"Next: {', '.join(movable_next(out.status)) or '-'}")
    if found.haggling:
        again = " (repeated)" if found.repeated else ""
        console.print(f"[red]Haggling{again}[/red] (P20): " + "; ".join(escape(g) for g in found.guidance))
    for m in messages:
        state = (
            f" ({m.state}{': ' + m.state_reason if m.state_reason else ''})"
            if m.direction == "outbound"
            else ""
        )
        who = f"{m.direction} {m.channel} {m.sender or 'us'}{' to ' + m.to if m.to else ''}{state}"
        console.print(f"\n[dim]{m.created_at:%Y-%m-%d %H:%M} {escape(who)}[/dim]")
        console.print(escape(m.body))
    table = Table("When", "Who", "What", "Details")
    for e in events:
        table.add_row(f"{e.at:%Y-%m-%d %H:%M}", escape(e.actor_label), e.kind, escape(str(e.data))[:80])
    console.print(table)


@app.command("move")
def move(
    reference: str = typer.Argument(..., help="Case reference."),
    status: str = typer.Argument(..., help="Target status."),
    note: str = typer.Option("", "--note", help="Why."),
    root_cause: str = typer.Option("", "--root-cause", help="On closing: why it happened (P24)."),
    change: str = typer.Option("", "--change", help="On closing: what we change so it does not recur (P24)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Move a case to another status (only along the lifecycle)."""
    with unit_of_work() as ctx:
        case = cases.get_case(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, reference=reference)
        cases.move_case(
            ctx.db,
            actor=ctx.actor,
            case=case,
            status=status,
            note=note,
            root_cause=root_cause,
            what_we_change=change,
        )
        out = cases.describe_case(ctx.db, case)
    if as_json:
        print_json(out)
    else:
        console.print(f"{out.reference} is now {out.status}.")


@app.command("assign")
def assign(
    reference: str = typer.Argument(..., help="Case reference."),
    email: str = typer.Argument(..., help="Email of the new spokesperson."),
    reason: str = typer.Option("", "--reason", help="Why the hand-off."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Name the one spokesperson for a case (P7); changes count as hand-offs."""
    with unit_of_work() as ctx:
        case = cases.get_case(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, reference=reference)
        owner = users.get_user_by_email(ctx.db, workspace_id=ctx.workspace.id, email=email)
        cases.assign_case(ctx.db, actor=ctx.actor, case=case, owner=owner, reason=reason)
        out = cases.describe_case(ctx.db, case)
    if as_json:
        print_json(out)
    else:
        console.print(
            f"{out.reference}: spokesperson is now {escape(out.owner or '-')} "
            f"(hand-offs: {out.handoff_count})."
        )


@app.command("set")
def set_facts(
    reference: str = typer.Argument(..., help="Case reference."),
    severity: int = typer.Option(None, "--severity", help="1 (low) to 4 (critical); needs --reason."),
    reason: str = typer.Option("", "--reason", help="Why the severity changes (kept in the timeline)."),
    category: str = typer.Option(None, "--category", help="One of the playbook's categories."),
    fault: str = typer.Option(None, "--fault", help="unknown, ours, client, shared or none."),
    legal_review: str = typer.Option(None, "--legal-review", help="not_needed, required, in_progress, done."),
    approach: str = typer.Option(None, "--approach", help="How to resolve it (P18), e.g. collaborate."),
    approach_reason: str = typer.Option("", "--approach-reason", help="Why this approach (needed with it)."),
    client_view: str = typer.Option(None, "--client-view", help="The client's side, in their terms."),
    our_view: str = typer.Option(None, "--our-view", help="Our side, with the facts."),
    assessment: str = typer.Option(None, "--assessment", help="Possible outcomes and consequences."),
    remedy: str = typer.Option(None, "--remedy", help="What the client asks for."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Set or correct a case's facts (P4, P8, P11, P14, P18); each change is a timeline event."""
    change = FactsIn(
        severity=severity,
        severity_reason=reason,
        category=category,
        fault=fault,
        legal_review=legal_review,
        approach=approach,
        approach_reason=approach_reason,
        client_view=client_view,
        our_view=our_view,
        impact_assessment=assessment,
        requested_remedy=remedy,
    )
    with unit_of_work() as ctx:
        case = cases.get_case(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, reference=reference)
        changed = facts.update_facts(ctx.db, actor=ctx.actor, case=case, change=change)
        out = cases.describe_case(ctx.db, case)
    if as_json:
        print_json(out)
    else:
        console.print(f"{out.reference}: changed {', '.join(c.replace('_', ' ') for c in changed)}.")
