"""Advice on a case: every playbook advisor run on the facts of the case, its client, history,
messages and steps (P7, P9, P12, P16, P18).

Why in coach: gathering the facts reads cases, clients and intake's messages, all below the coach;
the advisors themselves are pure and live with the playbook.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases import steps
from accord.cases.models import Case
from accord.clients.models import Client
from accord.intake import service as intake
from accord.offers import firmness
from accord.playbook import advisors
from accord.playbook.advisors import Advice, CaseFacts
from accord.playbook.definition import Playbook
from accord.playbook.service import active_playbook
from accord.users.models import User


@dataclass(frozen=True)
class CaseAdvice:
    """Every advisor's view of one case, for the CLI, API and web."""

    reference: str
    playbook_version: str
    advice: list[Advice]

    def get(self, topic: str) -> Advice:
        """The advice on one topic (approach, apology, channel, spokesperson, preparation)."""
        return next(a for a in self.advice if a.topic == topic)


def _signals(case: Case) -> tuple[float | None, bool]:
    """The latest anger score and abuse flag any triage event recorded (P5, P21)."""
    anger, abusive = None, case.category == "conduct" and case.fault == "client"
    for event in case.events:
        value = (event.data or {}).get("anger")
        if isinstance(value, int | float):
            anger = float(value)
        abusive = abusive or bool((event.data or {}).get("abusive"))
    return anger, abusive


def case_facts(db: Session, *, case: Case, playbook: Playbook) -> CaseFacts:
    """Gather what the advisors need from the case, its client, history, messages and steps."""
    client = db.get(Client, case.client_id)
    owner = db.get(User, case.owner_id) if case.owner_id else None
    earlier, earlier_theirs = cases.client_history_counts(db, client_id=case.client_id, exclude_id=case.id)
    messages = intake.list_messages(db, actor=None, case=case)
    outbound = [m.author_id for m in messages if m.direction == "outbound"]
    anger, abusive = _signals(case)
    facts = CaseFacts(
        severity=case.severity,
        fault=case.fault,
        kind=case.kind,
        client_tier=client.tier if client else "standard",
        client_monthly_value=float(client.monthly_value or 0) if client else 0.0,
        earlier_cases=earlier,
        earlier_client_fault=earlier_theirs,
        abusive=abusive,
        anger=anger,
        chosen_approach=case.approach,
        owner_id=case.owner_id,
        owner_role=owner.role if owner else None,
        outbound_author_ids=tuple(outbound),
        handoff_count=case.handoff_count,
        has_client_view=bool(case.client_view),
        has_our_view=bool(case.our_view),
        has_impact_assessment=bool(case.impact_assessment),
        legal_triggered=steps.legal_triggered(playbook, case),
        legal_review=case.legal_review,
        done_steps=frozenset(
            r.step_id for r in steps.list_steps(db, actor=None, case=case) if r.state == "done"
        ),
    )
    return _with_firmness(db, facts, case=case, client=client)


def _with_firmness(db: Session, facts: CaseFacts, *, case: Case, client: Client | None) -> CaseFacts:
    """P20, P21: haggling with its evidence, the toxic flag and the termination terms, for the advisors."""
    found = firmness.case_firmness(db, case=case)
    evidence = [f'"{s.phrase}"' for w in found.messages for s in w.signals] + [h.text for h in found.history]
    return replace(
        facts,
        client_toxic=bool(client and client.toxic),
        client_ended=bool(client and client.status == "ended"),
        termination_terms=client.termination_terms if client else "",
        haggling=found.count,
        haggling_evidence=tuple(evidence),
    )


def advise_case(db: Session, *, case: Case) -> CaseAdvice:
    """Run every advisor on a case (P7, P9, P12, P16, P18)."""
    playbook = active_playbook(db, workspace_id=case.workspace_id)
    facts = case_facts(db, case=case, playbook=playbook)
    return CaseAdvice(
        case.reference, case.playbook_version or playbook.version, advisors.advise(facts, playbook)
    )
