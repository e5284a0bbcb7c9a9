"""Checking an offer before it is written: the catalog, the client's figures, limits, drift (P19, P20).

Read-only: `service` writes what `draft_offer` approved of; the surfaces may call it to preview.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from accord.cases.models import Case
from accord.clients.models import Client
from accord.clock import now
from accord.errors import Invalid, NotFound
from accord.offers import limits, repository, rules
from accord.offers.models import Offer
from accord.playbook.definition import SOLUTION_KINDS, Solution, unit_of
from accord.playbook.service import active_playbook
from accord.text import clean_text
from accord.users.access import ActorLike

CUSTOM = "custom"
CUSTOM_VALID_DAYS = 14


def catalog(db: Session, workspace_id: int) -> dict[str, list[Solution]]:
    """The playbook's pre-approved solutions by category (P2, P19)."""
    return dict(active_playbook(db, workspace_id=workspace_id).solutions)


def solutions_for(db: Session, *, case: Case) -> list[Solution]:
    """The pre-approved solutions for this case's category, with their limits (P19)."""
    return list(catalog(db, case.workspace_id).get(case.category, []))


def solution_of(db: Session, case: Case, solution_id: str) -> Solution:
    by_category = catalog(db, case.workspace_id)
    ordered = by_category.get(case.category, []) + [
        s for k, v in by_category.items() if k != case.category for s in v
    ]
    for solution in ordered:
        if solution.id == solution_id:
            return solution
    known = ", ".join(s.id for s in by_category.get(case.category, [])) or "none"
    raise NotFound(
        f"No pre-approved solution '{solution_id}'. For {case.category} cases: {known} "
        "(or propose a custom remedy, which needs an owner's approval)."
    )


def client_figures(db: Session, *, case: Case, solution_id: str | None = None) -> limits.ClientFigures:
    """The client's monthly value, hourly rate and this year's use of one remedy (P19 caps)."""
    client = db.get(Client, case.client_id)
    if client is None:
        return limits.ClientFigures()
    count, total = (0, 0.0)
    if solution_id:
        since = now() - timedelta(days=365)
        count, total = repository.yearly_use(db, client_id=client.id, solution_id=solution_id, since=since)
    return limits.ClientFigures(
        float(client.monthly_value or 0), float(client.hourly_rate or 0), count, total
    )


def step_of(offer: Offer, figures: limits.ClientFigures) -> rules.Step:
    """An offer as the firmness rules compare it (P20)."""
    money = limits.money_value(offer.kind, offer.amount, figures)
    return rules.Step(offer.id, offer.origin, offer.amount, offer.unit, money)


@dataclass(frozen=True)
class Draft:
    """What an offer would be before it is written: the remedy, amount, decision and drift (P19, P20)."""

    solution_id: str
    title: str
    kind: str
    unit: str
    currency: str
    term: str
    valid_days: int
    amount: float
    decision: limits.Decision
    drift: rules.Drift | None


def custom_amount(kind: str, amount: float | None) -> float:
    value = float(amount or 0)
    if value != value or value < 0:
        raise Invalid("The amount of a custom remedy cannot be negative.")
    if unit_of(kind, "EUR") == "%" and value > 100:
        raise Invalid(f"{value:g} % is over 100 %; a percentage is at most 100.")
    return value


def draft_offer(
    db: Session,
    *,
    actor: ActorLike | None,
    case: Case,
    solution_id: str,
    amount: float | None,
    title: str = "",
    kind: str = CUSTOM,
) -> Draft:
    """Check an offer without writing it: limits in units, who must approve, and concession drift."""
    role = None if actor is None else actor.role
    if solution_id == CUSTOM:
        if kind not in SOLUTION_KINDS:
            raise Invalid(f"Unknown kind '{kind}'. Kinds: {', '.join(SOLUTION_KINDS)}.")
        name = clean_text(title, field="Title of the custom remedy", max_chars=200, required=True)
        value = custom_amount(kind, amount)
        figures = client_figures(db, case=case)
        decision = limits.decide_custom(role=role)
        head = (CUSTOM, name, kind, unit_of(kind, "EUR"), "EUR", "short", CUSTOM_VALID_DAYS)
    else:
        solution = solution_of(db, case, solution_id)
        value = limits.check_amount(solution, amount)
        figures = client_figures(db, case=case, solution_id=solution.id)
        decision = limits.decide(solution, amount=value, role=role, figures=figures)
        head = (
            solution.id,
            solution.title,
            solution.kind,
            solution.unit,
            solution.currency,
            solution.term,
            solution.valid_days,
        )
    new = rules.Step(0, "us", value, head[3], limits.money_value(head[2], value, figures))
    history = [step_of(o, figures) for o in repository.offers_of(db, case.id)]
    return Draft(*head, value, decision, rules.concession_drift(history, new))
