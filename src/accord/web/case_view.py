"""Everything the case page shows, gathered from the domains' read services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from sqlalchemy.orm import Session

from accord.cases import facts
from accord.cases import service as cases
from accord.cases import steps as case_steps
from accord.cases.models import APPROACHES, FAULTS, LEGAL_REVIEW_STATES, Case
from accord.cases.next_action import blocking_gate, next_action
from accord.cases.transitions import movable_next
from accord.clients import service as clients
from accord.coach import advice as case_advice
from accord.intake import service as intake
from accord.intake.models import Message
from accord.offers import firmness
from accord.triage import service as triage
from accord.users import service as users
from accord.web import panels
from accord.web.render import highlight


@dataclass
class MessageView:
    """A message with its text safely highlighted where triage found evidence (P5)."""

    message: Message
    subject: Markup
    html: Markup
    triage: panels.MessageTriage | None
    mail: intake.MessageView | None = None


def message_views(db: Session, *, actor: Any, case: Case) -> list[MessageView]:
    """The case's messages, client text escaped, evidence marked."""
    out = []
    views = {v.id: v for v in intake.view_messages(db, actor=actor, case=case)}
    for m in intake.list_messages(db, actor=actor, case=case):
        found = panels.triage_of(db, m) if m.direction == "inbound" else None
        subject = highlight(m.subject, found.subject_spans if found else [])
        html = highlight(m.body, found.body_spans if found else [])
        out.append(MessageView(m, subject, html, found, views.get(m.id)))
    return out


def conversation_steps(db: Session, *, actor: Any, case: Case) -> list[case_steps.GuideStep]:
    """The six conversation steps of P13, in order, as the case's playbook has them."""
    return [s for s in case_steps.guide_steps(db, actor=actor, case=case) if s.phase == "conversation"]


READ_ONLY = ("resolved", "closed")  # settled cases: reopen and notes only (issue 20)


@dataclass
class StepGroup:
    """The playbook's steps of one stage, folded on the page unless one of them is next."""

    phase: str
    steps: list[case_steps.GuideStep]

    @property
    def open_count(self) -> int:
        """How many steps of the stage are still to do."""
        return sum(1 for s in self.steps if s.state == "open")


def step_groups(steps: list[case_steps.GuideStep]) -> list[StepGroup]:
    """The non-conversation steps by stage, in the playbook's order (P2)."""
    groups: dict[str, StepGroup] = {}
    for s in steps:
        if s.phase != "conversation":
            groups.setdefault(s.phase, StepGroup(s.phase, [])).steps.append(s)
    return list(groups.values())


def steps_context(db: Session, *, actor: Any, case: Case) -> dict[str, Any]:
    """The steps, the conversation, the stages and the next action they lead to (P9, P13)."""
    steps = case_steps.guide_steps(db, actor=actor, case=case)
    first_open = next((s.step_id for s in steps if s.state == "open"), None)
    return {
        "case": case,
        "steps": steps,
        "conversation": [s for s in steps if s.phase == "conversation"],
        "groups": step_groups(steps),
        "first_open": first_open,
        "read_only": case.status in READ_ONLY,
        "action": next_action(
            status=case.status, severity=case.severity, legal_review=case.legal_review, steps=steps
        ),
        "gate": blocking_gate(status=case.status, legal_review=case.legal_review, steps=steps),
    }


def case_context(db: Session, *, actor: Any, workspace_id: int, case: Case) -> dict[str, Any]:
    """The whole case page: client card (P1), messages (P5), timeline (P9), steps, advice, clocks."""
    client = clients.get_client(db, actor=actor, workspace_id=workspace_id, key=case.client_id)
    team = {u.id: u for u in users.list_users(db, actor=actor, workspace_id=workspace_id)}
    return {
        **steps_context(db, actor=actor, case=case),
        "client": client,
        "owner": team.get(case.owner_id) if case.owner_id else None,
        "team": team,
        "messages": message_views(db, actor=actor, case=case),
        "events": list(reversed(cases.list_events(db, actor=actor, case=case))),
        "notes": cases.list_notes(db, actor=actor, case=case),
        "earlier": cases.client_history(db, client_id=client.id, exclude_id=case.id, limit=6),
        "advice": case_advice.advise_case(db, case=case).advice,
        "next_statuses": movable_next(case.status),  # P23: resolved needs the client's yes
        "clocks": panels.clocks_of(db, actor=actor, case=case),
        "proposal": triage.latest_proposal(db, case=case),
        "o": (o := firmness.case_offers(db, actor=actor, case=case)),
        "x": o["exit"],
        "has_closure": True,
        "choices": fact_choices(db, case),
        "unmatched": (unmatched := client.name == intake.UNMATCHED_CLIENT),
        # only the Unmatched case's move box lists clients; other pages never load them all (issue 23)
        "clients": clients.list_clients(db, actor=actor, workspace_id=workspace_id) if unmatched else [],
    }


def call_context(db: Session, *, actor: Any, workspace_id: int, case: Case) -> dict[str, Any]:
    """What a live call needs beside the step: the client's latest words with the evidence, the client
    card, what they ask for, the pre-approved remedies with their limits, the clocks (P1, P5, P12, P19)."""
    client = clients.get_client(db, actor=actor, workspace_id=workspace_id, key=case.client_id)
    inbound = [v for v in message_views(db, actor=actor, case=case) if v.message.direction == "inbound"]
    return {
        "client": client,
        "latest": list(reversed(inbound[-2:])),
        "clocks": panels.clocks_of(db, actor=actor, case=case),
        "o": firmness.case_offers(db, actor=actor, case=case),
    }


def fact_choices(db: Session, case: Case) -> dict[str, tuple[str, ...]]:
    """What the facts form offers: the playbook's categories (P2) and the fixed lists of the cases domain."""
    categories = facts.playbook_categories(db, case)
    if case.category not in categories:  # a category an earlier playbook had stays selectable
        categories += (case.category,)
    return {
        "categories": categories,
        "faults": FAULTS,
        "approaches": APPROACHES,
        "legal_review": LEGAL_REVIEW_STATES,
    }
