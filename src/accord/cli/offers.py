"""`accord offer ...`: pre-approved solutions, offers, approvals, answers, haggling (P19-P21)."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from accord.cases import service as cases
from accord.cli.context import console, print_json, unit_of_work
from accord.clients import service as clients
from accord.offers import service as offers
from accord.offers.schemas import CaseOffersOut, OfferOut

app = typer.Typer(
    help="Offers: pre-approved solutions within limits; hold the line (P19-P21).", no_args_is_help=True
)


def _show(out: CaseOffersOut) -> None:
    table = Table("solution", "kind", "limit", "term", "beyond the limit")
    for s in out.solutions:
        table.add_row(s.id, s.kind, f"{s.limit:g}", s.term, " or ".join(s.approver_roles))
    console.print(table)
    for o in out.offers:
        wait = " [yellow](awaiting approval)[/yellow]" if not o.approved else ""
        console.print(f"#{o.id} {escape(o.title)} {o.amount:g} (limit {o.limit:g}) {o.status}{wait}")
    for w in out.haggling:
        phrases = ", ".join(f'"{escape(s.phrase)}"' for s in w.signals)
        console.print(f"[red]Haggling[/red] in message {w.message_id}: {phrases}")
        for line in w.advice:
            console.print(f"  - {escape(line)}")


@app.command("list")
def list_(reference: str, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Solutions with limits, offers made, and haggling warnings on a case."""
    with unit_of_work() as ctx:
        case = cases.get_case(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, reference=reference)
        out = CaseOffersOut.model_validate(
            offers.case_offers(ctx.db, actor=ctx.actor, case=case), from_attributes=True
        )
    print_json(out) if as_json else _show(out)


@app.command("propose")
def propose(
    reference: str,
    solution_id: str,
    amount: float = typer.Option(None, "--amount", help="Default: the solution's limit."),
    note: str = typer.Option("", "--note"),
) -> None:
    """Offer a pre-approved solution; beyond its limit an approver must sign it off."""
    with unit_of_work() as ctx:
        case = cases.get_case(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, reference=reference)
        offer = OfferOut.model_validate(
            offers.propose_offer(
                ctx.db, actor=ctx.actor, case=case, solution_id=solution_id, amount=amount, note=note
            )
        )
    wait = " It needs approval before the client may answer." if not offer.approved else ""
    console.print(f"Offer #{offer.id} on {reference}: {escape(offer.title)} {offer.amount:g}.{wait}")


@app.command("approve")
def approve(reference: str, offer_id: int) -> None:
    """Approve an offer beyond its limit (the playbook names who may)."""
    with unit_of_work() as ctx:
        case = cases.get_case(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, reference=reference)
        offers.approve_offer(ctx.db, actor=ctx.actor, case=case, offer_id=offer_id)
    console.print(f"Offer #{offer_id} approved.")


@app.command("respond")
def respond(
    reference: str, offer_id: int, accepted: bool = typer.Option(..., "--accepted/--declined")
) -> None:
    """Record the client's answer to an offer."""
    with unit_of_work() as ctx:
        case = cases.get_case(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, reference=reference)
        offer = offers.record_offer_response(
            ctx.db, actor=ctx.actor, case=case, offer_id=offer_id, accepted=accepted
        )
        status = offer.status
    console.print(f"Offer #{offer_id} {status}.")


@app.command("end-relationship")
def end_relationship(client: str, reason: str = typer.Option(..., "--reason")) -> None:
    """P21: end a toxic relationship (owner only); open cases record why."""
    with unit_of_work() as ctx:
        found = clients.get_client(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, key=client)
        offers.end_relationship(ctx.db, actor=ctx.actor, client=found, reason=reason)
        name = found.name
    console.print(f"The relationship with {escape(name)} has ended.")
