"""A realistic demo workspace: an agency's clients, team and conflicts in every state."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.cadence import confirmation
from accord.cadence import service as cadence
from accord.cases import facts
from accord.cases import service as cases
from accord.cases import steps as case_steps
from accord.cases.models import Case
from accord.clients import service as clients
from accord.clients.models import Client
from accord.clock import now
from accord.config import get_settings
from accord.demo.cases import DEMO_CASES, DemoCase
from accord.demo.offers import add_demo_offers
from accord.intake import service as intake
from accord.users import service as users
from accord.users.models import User

DEMO_OWNER = "owner@northwind.example"

TEAM = [
    ("Maya Okafor", DEMO_OWNER, "owner"),
    ("Tom Lindqvist", "tom@northwind.example", "lead"),
    ("Priya Raman", "priya@northwind.example", "agent"),
    ("Sam Becker", "sam@northwind.example", "viewer"),
]

CLIENTS: list[dict[str, Any]] = [
    dict(
        name="Bluebird Dental",
        email_domains=["bluebirddental.example"],
        monthly_value=4200,
        tier="key",
        expectations="Site changes go live within 5 working days; a monthly report "
        "on the first Monday; one named account lead.",
        contract_summary="12-month website and SEO retainer, renewed March.",
        termination_terms="Either side may end with 60 days' written notice.",
    ),
    dict(
        name="Harbor & Finch Legal",
        email_domains=["harborfinch.example"],
        monthly_value=9800,
        tier="strategic",
        expectations="Replies within one business day; no changes to live pages without sign-off.",
        contract_summary="Managed hosting, security updates and content support.",
        termination_terms="90 days' notice; fees for the notice period are due.",
    ),
    dict(
        name="Greenleaf Landscaping",
        email_domains=["greenleaf.example"],
        monthly_value=850,
        tier="standard",
        expectations="Two social posts a week, approved by Friday.",
        contract_summary="Social media package, month to month.",
        termination_terms="Month to month; 30 days' notice.",
    ),
    dict(
        name="Oakridge Veterinary",
        email_domains=["oakridgevet.example"],
        monthly_value=2300,
        tier="standard",
        expectations="Booking system available 99.5% of the month; incidents reported within the hour.",
        contract_summary="Booking platform licence and support.",
        termination_terms="Annual term; may end early for repeated SLA breaches.",
    ),
    dict(
        name="Copperline Coffee",
        email_domains=["copperline.example"],
        monthly_value=1600,
        tier="standard",
        expectations="Online shop updates within 3 working days; invoices monthly.",
        contract_summary="E-commerce maintenance retainer.",
        termination_terms="30 days' notice by either side.",
    ),
    dict(
        name="Summit Physio",
        email_domains=["summitphysio.example"],
        monthly_value=3100,
        tier="key",
        expectations="Campaign reports every two weeks; ad spend never above the agreed monthly cap.",
        contract_summary="Paid ads management, 6-month term.",
        termination_terms="60 days' notice after the first 6 months.",
    ),
]


# Paths through the lifecycle to reach each status honestly, event by event.
PATHS: dict[str, list[str]] = {
    "new": [],
    "acknowledged": ["acknowledged"],
    "preparing": ["acknowledged", "preparing"],
    "in_conversation": ["acknowledged", "preparing", "in_conversation"],
    "resolution_proposed": ["acknowledged", "preparing", "in_conversation", "resolution_proposed"],
    "awaiting_confirmation": [
        "acknowledged",
        "preparing",
        "in_conversation",
        "resolution_proposed",
        "awaiting_confirmation",
    ],
    "resolved": [
        "acknowledged",
        "preparing",
        "in_conversation",
        "resolution_proposed",
        "awaiting_confirmation",
        "resolved",
    ],
    "closed": [
        "acknowledged",
        "preparing",
        "in_conversation",
        "resolution_proposed",
        "awaiting_confirmation",
        "resolved",
        "closed",
    ],
    "escalated": ["escalated"],
    "on_hold": ["acknowledged", "on_hold"],
    "reopened": [
        "acknowledged",
        "preparing",
        "in_conversation",
        "resolution_proposed",
        "awaiting_confirmation",
        "resolved",
        "reopened",
    ],
}


def _team(db: Session, workspace_id: int) -> dict[str, User]:
    workspace = users.find_workspace(db, slug=get_settings().workspace)
    assert workspace is not None
    team: dict[str, User] = {}
    for name, email, role in TEAM:
        existing = users.find_user_by_email(db, email=email)
        team[email] = (
            existing
            or users.add_user(
                db,
                actor=None,
                workspace=workspace,
                name=name,
                email=email,
                role=role,
                password=secrets.token_urlsafe(16),
            )[0]
        )
    return team


# What a careful spokesperson wrote when finishing each preparation step (P4, P8-P11, P15).
PREPARATION_NOTES: dict[str, str] = {
    "assess_impact": "Worst case they leave at renewal and post a review; a quick fair fix keeps them.",
    "record_both_views": "Their view and ours written up separately; we agree on the dates, not the cause.",
    "review_timeline": "Read the thread and earlier tickets; the first report was on the date they say.",
    "review_contract": "Checked the retainer and the expectations on the client record; this is covered.",
    "decide_objective": "Fix it properly and keep the account; a small goodwill gesture if needed.",
    "legal_check": "Spoke to our lawyer: no admission of liability in writing; insurer details on file.",
    "weigh_raising": "Worth raising: it costs us real money each month and will only grow.",
}


CONFIRMED_ON_CALL = "Said on the phone that it is sorted and they are happy with how we handled it."


def _prepare(db: Session, *, actor: User, case: Case) -> None:
    for run in case_steps.open_required_steps(db, case=case, target_status="resolution_proposed"):
        note = PREPARATION_NOTES.get(run.step_id, "Done and noted on the case.")
        case_steps.complete_step(db, actor=actor, case=case, step_id=run.step_id, notes=note)


def _walk(db: Session, *, actor: User, case: Case, status: str) -> None:
    for step in PATHS[status]:
        if step == "resolution_proposed":
            _prepare(db, actor=actor, case=case)
        if step == "resolved":  # P23: only the client's yes resolves; here given on a call
            confirmation.record_call_confirmation(db, actor=actor, case=case, note=CONFIRMED_ON_CALL)
            continue
        cases.move_case(db, actor=actor, case=case, status=step)


def load_demo(db: Session) -> bool:
    """Load the demo once; returns False when the workspace already has cases."""
    workspace = users.find_workspace(db, slug=get_settings().workspace)
    assert workspace is not None
    if db.scalar(select(func.count(Case.id)).where(Case.workspace_id == workspace.id)):
        return False
    team = _team(db, workspace.id)
    owner = team[DEMO_OWNER]
    by_name: dict[str, Client] = {}
    for spec in CLIENTS:
        by_name[str(spec["name"])] = clients.add_client(
            db,
            actor=owner,
            workspace_id=workspace.id,
            default_spokesperson_id=None,
            **spec,  # type: ignore[arg-type]
        )
    leads = [team["tom@northwind.example"], team["priya@northwind.example"]]
    for i, demo_case in enumerate(DEMO_CASES):
        _load_case(db, demo_case, client=by_name[demo_case.client], owner=owner, lead=leads[i % 2])
    add_demo_offers(  # P19, P20: offers and one haggling reply
        db, actor=owner, workspace_id=workspace.id
    )
    _start_clocks(db, actor=owner, workspace_id=workspace.id)
    return True


def _start_clocks(db: Session, *, actor: User, workspace_id: int) -> None:
    """Store every demo case's deadlines now: the queue is in due order before any sweep (P6, P22)."""
    for case in cases.list_cases(db, actor=actor, workspace_id=workspace_id, limit=500):
        cadence.refresh_clock(db, case=case)


def _load_case(db: Session, spec: DemoCase, *, client: Client, owner: User, lead: User) -> None:
    spokesperson = owner if spec.severity >= 3 else lead
    case, _ = intake.open_case_from_message(
        db,
        actor=spokesperson,
        client=client,
        title=spec.title,
        body=spec.text,
        channel=spec.channel,
        severity=spec.severity,
        category=spec.category,
        sender=f"client@{client.email_domains[0]}",
    )
    case.created_at = now() - timedelta(days=spec.days_ago)
    if case.owner_id != spokesperson.id:
        cases.assign_case(db, actor=owner, case=case, owner=spokesperson, reason="Demo set-up")
    if spec.fault != "unknown":
        facts.set_fault(db, actor=spokesperson, case=case, fault=spec.fault)
    _walk(db, actor=spokesperson, case=case, status=spec.status)


def reset_demo_login(db: Session) -> tuple[str, str]:
    """Give the demo owner a fresh random password and return the login (no default credentials)."""
    user = users.find_user_by_email(db, email=DEMO_OWNER)
    assert user is not None, "load the demo first"
    password = secrets.token_urlsafe(12)
    users.set_password(db, user=user, password=password)
    return DEMO_OWNER, password
