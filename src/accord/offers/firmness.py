"""Reading offers for the surfaces and the coach: haggling, drift, the way out, costs (P19-P21, P24).

Nothing here writes; `service` is the only writer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from accord.cases.models import Case
from accord.clients.models import Client
from accord.clock import ensure_aware
from accord.errors import Invalid
from accord.intake import service as intake
from accord.offers import ending, judgement, limits, repository, rules
from accord.offers.drafts import client_figures, solutions_for, step_of
from accord.offers.service import list_offers
from accord.users.access import ActorLike, require_same_workspace

REMAIN_FIRM = (
    "Remain firm (P13 step 6, P20): the offer is the compromise, not an opening bid. "
    "Restate it once, kindly and plainly, and do not raise it to end the bargaining."
)


@dataclass
class HagglingWarning:
    """One client message that bargains over a firm offer, the evidence, and what to do (P20)."""

    message_id: int
    received_at: Any
    signals: list[rules.HagglingSignal]
    advice: list[str] = field(default_factory=list)
    repeated: bool = False
    probability: float | None = None  # set when the learnt judgement, not a phrase rule, found it
    model: str = ""


def _signals(body: str) -> tuple[list[rules.HagglingSignal], float | None, str]:
    """Phrase rules first; when they find nothing, the learnt judgement with its evidence words (P20)."""
    found = rules.find_haggling(body)
    if found:
        return found, None, ""
    verdict = judgement.judge(body)
    if not verdict.haggling:
        return [], None, ""
    spans = [rules.HagglingSignal("learnt_judgement", body[a:b], a, b) for a, b, _ in verdict.evidence]
    return spans, verdict.probability, verdict.version


def _terms(db: Session, case: Case) -> tuple[Client | None, str]:
    client = db.get(Client, case.client_id)
    return client, client.termination_terms if client is not None else ""


def detect_haggling(db: Session, *, case: Case) -> list[HagglingWarning]:
    """P20: inbound messages after our first offer that treat it as an opening bid, with evidence spans."""
    offers = [
        o for o in list_offers(db, actor=None, case=case) if o.origin == "us" and o.status != "withdrawn"
    ]
    if not offers:
        return []
    since = ensure_aware(offers[0].created_at)
    _, terms = _terms(db, case)
    warnings: list[HagglingWarning] = []
    for message in intake.list_messages(db, actor=None, case=case):
        if message.direction != "inbound" or ensure_aware(message.created_at) <= since:
            continue
        signals, probability, model = _signals(message.body)
        if signals:
            repeated = bool(warnings)
            advice = rules.haggling_advice(termination_terms=terms, repeated=repeated)
            warnings.append(
                HagglingWarning(message.id, message.created_at, signals, advice, repeated, probability, model)
            )
    return warnings


@dataclass(frozen=True)
class Firmness:
    """Everything P20 asks the person to see on a case: haggling, its evidence, drift, terms, guidance."""

    haggling: bool
    repeated: bool
    count: int
    messages: list[HagglingWarning]
    history: list[rules.HistorySignal]
    offers_so_far: list[str]
    termination_terms: str
    guidance: list[str]


def case_firmness(db: Session, *, case: Case) -> Firmness:
    """P20: haggling from messages and from the offer history; repeated when it happens twice or more."""
    figures = client_figures(db, case=case)
    offers = [o for o in list_offers(db, actor=None, case=case) if o.status != "withdrawn"]
    history = rules.history_haggling([step_of(o, figures) for o in offers])
    messages = detect_haggling(db, case=case)
    count = len(messages) + len(history)
    _, terms = _terms(db, case)
    repeated = count >= 2
    guidance = (
        [REMAIN_FIRM, *rules.haggling_advice(termination_terms=terms, repeated=repeated)] if count else []
    )
    trail = [f"{o.origin}: {limits.fmt(o.amount, o.unit)} ({o.status})" for o in offers]
    return Firmness(count > 0, repeated, count, messages, history, trail, terms.strip(), guidance)


def case_exit(db: Session, *, case: Case) -> ending.ExitPlan:
    """P20, P21: the way out for the client, shown when the approach is compete or the client toxic."""
    client, terms = _terms(db, case)
    return ending.exit_plan(
        approach=case.approach,
        toxic=bool(client and client.toxic),
        client_status=client.status if client else "active",
        termination_terms=terms,
        ended_reason=client.ended_reason if client else "",
    )


def case_offers(db: Session, *, actor: ActorLike | None, case: Case) -> dict[str, Any]:
    """Solutions with limits in units, offers, haggling and the way out, for one case (every surface)."""
    figures = client_figures(db, case=case)
    firmness = case_firmness(db, case=case)
    return {
        "solutions": [
            {**s.model_dump(), "unit": s.unit, "limit_for_client": limits.effective_limit(s, figures)}
            for s in solutions_for(db, case=case)
        ],
        "offers": list_offers(db, actor=actor, case=case),
        "haggling": firmness.messages,
        "firmness": firmness,
        "exit": case_exit(db, case=case),
    }


@dataclass(frozen=True)
class CostRow:
    """What accepted concessions cost for one case, client, category or month (P24)."""

    key: str
    offers: int
    total: float
    currency: str


def _key(by: str, case: Case, client: Client, at: datetime | None) -> str:
    if by == "case":
        return case.reference
    if by == "client":
        return client.name
    if by == "category":
        return case.category
    return ensure_aware(at).strftime("%Y-%m") if at else "unknown"


COST_GROUPS = ("case", "client", "category", "month")


def offer_costs(
    db: Session, *, actor: ActorLike | None, workspace_id: int, by: str, since: datetime | None = None
) -> list[CostRow]:
    """P24: the money accepted offers cost, grouped by case, client, category or month (for insights)."""
    require_same_workspace(actor, workspace_id, "Workspace")
    if by not in COST_GROUPS:
        raise Invalid(f"Group costs by one of {', '.join(COST_GROUPS)}")
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0.0])
    for offer, case, client in repository.accepted_costs(db, workspace_id=workspace_id, since=since):
        row = sums[(_key(by, case, client, offer.responded_at), offer.currency or "EUR")]
        row[0] += 1
        row[1] += float(offer.cost or 0)
    return [CostRow(k, int(v[0]), round(v[1], 2), cur) for (k, cur), v in sorted(sums.items())]
