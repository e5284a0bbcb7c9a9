"""`accord offer ...`: the catalog in units, propose|counter|revise|withdraw|accept|decline|list (P19-P21)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from accord.cases import service as cases
from accord.cli.context import console, print_json, unit_of_work
from accord.clients import service as clients
from accord.offers import firmness
from accord.offers import service as offers
from accord.offers.schemas import CaseOffersOut, CostRowOut, ExitOut, OfferOut

app = typer.Typer(
    help="Offers: pre-approved remedies within limits; hold the line (P19-P21).", no_args_is_help=True
)


def _limit(value: float | None, unit: str) -> str:
    return "-" if value is None else f"{value:g} {unit}".strip()


def _show(out: CaseOffersOut) -> None:
    table = Table("remedy", "limit here", "never over", "per year", "beyond: approves")
    for s in out.solutions:
        count = f"{s.yearly_count}x" if s.yearly_count else ""
        total = _limit(s.yearly_total, s.unit) if s.yearly_total else ""
        table.add_row(
            s.id,
            _limit(s.limit_for_client, s.unit),
            _limit(s.hard_max, s.unit),
            " ".join(x for x in (count, total) if x) or "-",
            " or ".join(s.approver_roles),
        )
    console.print(table)
    for o in out.offers:
        wait = " [yellow](awaiting approval)[/yellow]" if not o.approved and o.origin == "us" else ""
        who = "client counter" if o.origin == "client" else escape(o.title)
        limit = f" (limit {o.limit:g} {o.unit})" if o.origin == "us" and not o.custom else ""
        console.print(f"#{o.id} {who} {o.amount:g} {escape(o.unit)}{limit} {o.status}{wait}")
    f = out.firmness
    for w in f.messages:
        phrases = ", ".join(f'"{escape(s.phrase)}"' for s in w.signals)
        console.print(f"[red]Haggling[/red] in message {w.message_id}: {phrases}")
    for h in f.history:
        console.print(f"[red]Haggling[/red] in the offers: {escape(h.text)} (#{h.offer_id})")
    for line in f.guidance:
        console.print(f"  - {escape(line)}")


def _case(ctx: Any, reference: str) -> Any:
    return cases.get_case(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, reference=reference)


@app.command("list")
def list_(reference: str, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The catalog with limits in units, offers and counters, and haggling warnings on a case."""
    with unit_of_work() as ctx:
        out = CaseOffersOut.model_validate(
            firmness.case_offers(ctx.db, actor=ctx.actor, case=_case(ctx, reference))
        )
    print_json(out) if as_json else _show(out)


def _done(offer: OfferOut, reference: str) -> None:
    wait = " It needs approval before the client may answer." if not offer.approved else ""
    console.print(
        f"Offer #{offer.id} on {reference}: {escape(offer.title)} {offer.amount:g} {escape(offer.unit)}, "
        f"{offer.status}.{wait}"
    )


@app.command("propose")
def propose(
    reference: str,
    solution_id: str = typer.Argument(..., help="A remedy id from `accord offer list`, or custom."),
    amount: float = typer.Option(None, "--amount", help="Required for catalog remedies; never defaulted."),
    note: str = typer.Option("", "--note"),
    title: str = typer.Option("", "--title", help="For a custom remedy."),
    kind: str = typer.Option("custom", "--kind", help="For a custom remedy: credit_percent, free_hours, ..."),
    accept_drift: bool = typer.Option(False, "--accept-drift", help="Send it although larger than the last."),
) -> None:
    """Offer a remedy; beyond its limits (or custom) an approver must sign it off."""
    with unit_of_work() as ctx:
        offer = OfferOut.model_validate(
            offers.propose_offer(
                ctx.db,
                actor=ctx.actor,
                case=_case(ctx, reference),
                solution_id=solution_id,
                amount=amount,
                note=note,
                title=title,
                kind=kind,
                accept_drift=accept_drift,
            )
        )
    _done(offer, reference)


@app.command("revise")
def revise(
    reference: str,
    offer_id: int,
    amount: float = typer.Option(None, "--amount"),
    note: str = typer.Option("", "--note"),
    accept_drift: bool = typer.Option(False, "--accept-drift", help="Send it although larger than the last."),
) -> None:
    """Replace our live offer with a new amount; a larger one is concession drift (P20)."""
    with unit_of_work() as ctx:
        offer = OfferOut.model_validate(
            offers.revise_offer(
                ctx.db,
                actor=ctx.actor,
                case=_case(ctx, reference),
                offer_id=offer_id,
                amount=amount,
                note=note,
                accept_drift=accept_drift,
            )
        )
    _done(offer, reference)


@app.command("counter")
def counter(
    reference: str,
    offer_id: int,
    amount: float = typer.Option(None, "--amount"),
    note: str = typer.Option("", "--note"),
) -> None:
    """Record the client's counter to our offer (P20: it shows as haggling)."""
    with unit_of_work() as ctx:
        offer = OfferOut.model_validate(
            offers.counter_offer(
                ctx.db,
                actor=ctx.actor,
                case=_case(ctx, reference),
                offer_id=offer_id,
                amount=amount,
                note=note,
            )
        )
    console.print(
        f"Counter #{offer.id} recorded on offer #{offer_id}: {offer.amount:g} {escape(offer.unit)}."
    )


def _verb(reference: str, offer_id: int, verb: Callable[..., Any]) -> None:
    with unit_of_work() as ctx:
        offer = OfferOut.model_validate(
            verb(ctx.db, actor=ctx.actor, case=_case(ctx, reference), offer_id=offer_id)
        )
    console.print(
        f"Offer #{offer.id} {offer.status}."
        + (f" Cost: {offer.cost} {offer.currency}." if offer.cost else "")
    )


@app.command("accept")
def accept(reference: str, offer_id: int) -> None:
    """The client accepted: the offer stands and its cost is recorded (P24)."""
    _verb(reference, offer_id, offers.accept_offer)


@app.command("decline")
def decline(reference: str, offer_id: int) -> None:
    """The client declined the offer."""
    _verb(reference, offer_id, offers.decline_offer)


@app.command("withdraw")
def withdraw(reference: str, offer_id: int) -> None:
    """Take back an offer the client has not answered."""
    _verb(reference, offer_id, offers.withdraw_offer)


@app.command("approve")
def approve(reference: str, offer_id: int) -> None:
    """Approve an offer beyond its limits, or a custom one (the catalog names who may)."""
    _verb(reference, offer_id, offers.approve_offer)


@app.command("respond")
def respond(
    reference: str, offer_id: int, accepted: bool = typer.Option(..., "--accepted/--declined")
) -> None:
    """Record the client's answer (same as accept or decline)."""
    _verb(reference, offer_id, offers.accept_offer if accepted else offers.decline_offer)


@app.command("costs")
def costs(
    by: str = typer.Option("client", "--by", help="case, client, category or month."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """P24: what accepted concessions cost."""
    with unit_of_work() as ctx:
        rows = [
            CostRowOut.model_validate(r)
            for r in firmness.offer_costs(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, by=by)
        ]
    if as_json:
        print_json(rows)
        return
    table = Table(by, "offers", "cost")
    for r in rows:
        table.add_row(escape(r.key), str(r.offers), f"{r.total:,.2f} {r.currency}")
    console.print(table)


@app.command("exit")
def exit_plan(reference: str, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """P21: the termination terms and the checklist to end the relationship by the contract."""
    with unit_of_work() as ctx:
        out = ExitOut.model_validate(firmness.case_exit(ctx.db, case=_case(ctx, reference)))
    if as_json:
        print_json(out)
        return
    for reason in out.reasons or ["No reason to end the relationship is recorded on this case."]:
        console.print(escape(reason))
    console.print(f"[bold]Termination terms[/bold]: {escape(out.termination_terms)}")
    for item, text in out.checklist:
        console.print(f"  [ ] {item}: {escape(text)}")


@app.command("toxic")
def toxic(client: str, undo: bool = typer.Option(False, "--undo", help="Clear the flag.")) -> None:
    """P21: mark a client relationship as toxic (owner or lead): its cases show the way out."""
    with unit_of_work() as ctx:
        found = clients.get_client(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, key=client)
        clients.mark_client_toxic(ctx.db, actor=ctx.actor, client=found, toxic=not undo)
        name = found.name
    console.print(f"{escape(name)} is {'no longer ' if undo else ''}marked toxic.")


@app.command("end-relationship")
def end_relationship(
    client: str,
    reason: str = typer.Option(..., "--reason"),
    done: list[str] = typer.Option([], "--done", help="A checklist item done (repeat; see `offer exit`)."),
) -> None:
    """P21: end a relationship by the contract (owner only); open cases record why."""
    with unit_of_work() as ctx:
        found = clients.get_client(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, key=client)
        offers.end_relationship(ctx.db, actor=ctx.actor, client=found, reason=reason, done=done)
        name = found.name
    console.print(f"The relationship with {escape(name)} has ended.")
