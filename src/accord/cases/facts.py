"""The facts of a case a person sets or corrects: severity, category, fault, approach, legal review, both
sides' views, the impact assessment and the remedy asked for. Each change appends one timeline event.

Why a module of its own: these verbs share one shape (check, set, record) and one entry point for the
surfaces, `update_facts`, while `service.py` keeps the lifecycle (open, move, assign, resolve).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from accord.cases import steps
from accord.cases.models import APPROACHES, DEFAULT_CATEGORIES, FAULTS, LEGAL_REVIEW_STATES, Case
from accord.cases.schemas import FactsIn
from accord.cases.timeline import record_event
from accord.errors import Invalid
from accord.playbook.service import active_playbook
from accord.text import clean_text
from accord.users.access import ActorLike, require_write

LONG_TEXT = 20_000


def valid_choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    """`value` if it is one of `allowed`, else an error that lists the choices."""
    if value not in allowed:
        raise Invalid(f"Unknown {what} '{value}'. Choose one of: {', '.join(allowed)}.")
    return value


def valid_severity(value: int) -> int:
    """A severity level 1-4 (P4), else a clear error."""
    if not isinstance(value, int) or not 1 <= value <= 4:
        raise Invalid(f"Severity must be 1, 2, 3 or 4, not {value!r}.")
    return value


def _set_field(
    db: Session,
    *,
    actor: ActorLike | None,
    case: Case,
    field: str,
    value: Any,
    kind: str,
    extra: dict[str, Any] | None = None,
) -> Case:
    require_write(actor)
    previous = getattr(case, field)
    if previous == value and not extra:
        raise Invalid(f"{field.replace('_', ' ').capitalize()} is already {value}.")
    setattr(case, field, value)
    record_event(db, case=case, kind=kind, actor=actor, data={"from": previous, "to": value, **(extra or {})})
    if field in ("severity", "fault", "kind", "legal_review"):
        steps.instantiate_steps(db, actor=actor, case=case)  # P2: new steps may now apply
    return case


def set_severity(
    db: Session, *, actor: ActorLike | None, case: Case, severity: int, reason: str = ""
) -> Case:
    """Change severity 1-4 (P4); a person overriding triage leaves a reason."""
    reason = clean_text(reason, field="Reason", max_chars=2000)
    return _set_field(
        db,
        actor=actor,
        case=case,
        field="severity",
        value=valid_severity(severity),
        kind="severity_changed",
        extra={"reason": reason} if reason else None,
    )


def set_category(
    db: Session,
    *,
    actor: ActorLike | None,
    case: Case,
    category: str,
    categories: tuple[str, ...] = DEFAULT_CATEGORIES,
) -> Case:
    """Change the category (one of the playbook's)."""
    category = valid_choice(category, categories, "category")
    return _set_field(db, actor=actor, case=case, field="category", value=category, kind="category_changed")


def set_fault(db: Session, *, actor: ActorLike | None, case: Case, fault: str) -> Case:
    """Record whose fault it is; it decides the apology rule (P14, P16)."""
    fault = valid_choice(fault, FAULTS, "fault")
    return _set_field(db, actor=actor, case=case, field="fault", value=fault, kind="fault_changed")


def set_approach(db: Session, *, actor: ActorLike | None, case: Case, approach: str, reason: str) -> Case:
    """Record the resolution approach with its reason (P18)."""
    reason = clean_text(reason, field="Reason for the approach", max_chars=2000, required=True)
    case.approach_reason = reason
    return _set_field(
        db,
        actor=actor,
        case=case,
        field="approach",
        value=valid_choice(approach, APPROACHES, "approach"),
        kind="approach_changed",
        extra={"reason": reason},
    )


def set_legal_review(db: Session, *, actor: ActorLike | None, case: Case, state: str) -> Case:
    """Track the legal check for serious matters (P11)."""
    state = valid_choice(state, LEGAL_REVIEW_STATES, "legal review state")
    kind = "legal_review_changed"
    return _set_field(db, actor=actor, case=case, field="legal_review", value=state, kind=kind)


def record_views(
    db: Session,
    *,
    actor: ActorLike | None,
    case: Case,
    client_view: str | None = None,
    our_view: str | None = None,
) -> Case:
    """Keep the client's view and ours apart, so nobody argues from one side only (P8)."""
    require_write(actor)
    changed: dict[str, str] = {}
    if client_view is not None:
        case.client_view = clean_text(client_view, field="Client's view", max_chars=LONG_TEXT)
        changed["client_view"] = case.client_view
    if our_view is not None:
        case.our_view = clean_text(our_view, field="Our view", max_chars=LONG_TEXT)
        changed["our_view"] = case.our_view
    if not changed:
        raise Invalid("Give the client's view, our view, or both.")
    record_event(db, case=case, kind="views_recorded", actor=actor, data=changed)
    return case


def record_assessment(db: Session, *, actor: ActorLike | None, case: Case, impact_assessment: str) -> Case:
    """P4: for big issues, possible outcomes and consequences are written before acting."""
    require_write(actor)
    case.impact_assessment = clean_text(
        impact_assessment, field="Impact assessment", max_chars=LONG_TEXT, required=True
    )
    record_event(
        db,
        case=case,
        kind="assessment_recorded",
        actor=actor,
        data={"impact_assessment": case.impact_assessment},
    )
    return case


def set_requested_remedy(db: Session, *, actor: ActorLike | None, case: Case, remedy: str) -> Case:
    """What the client asks for, in their words."""
    require_write(actor)
    case.requested_remedy = clean_text(remedy, field="Requested remedy", max_chars=LONG_TEXT)
    record_event(db, case=case, kind="remedy_recorded", actor=actor, data={"remedy": case.requested_remedy})
    return case


def update_facts(db: Session, *, actor: ActorLike | None, case: Case, change: FactsIn) -> list[str]:
    """Apply what a person set on the case's facts form; returns the names of the facts that changed.

    Why one verb: the case page, the API and the CLI send several facts at once, and only those that
    differ from the case are recorded (one event each), so the timeline says exactly what a person
    changed. Moving the severity away from what triage proposed needs a reason (P4: whoever picks the
    case up next sees why the desk disagreed). Everything is checked before anything is written.
    """
    require_write(actor)
    plan = _severity_and_category(db, case, change) + _choices(db, case, change) + _texts(db, case, change)
    if not plan:
        raise Invalid("Nothing changed: every fact given is already on the case.")
    for _, apply in plan:
        apply(actor=actor)
    return [name for name, _ in plan]


Plan = list[tuple[str, Callable[..., object]]]  # (fact, setter waiting for the actor), checked already


def _severity_and_category(db: Session, case: Case, change: FactsIn) -> Plan:
    """Severity with the reason for overriding triage (P4), and a category of the playbook's (P2)."""
    plan: Plan = []
    if change.severity is not None and valid_severity(change.severity) != case.severity:
        reason = clean_text(change.severity_reason, field="Reason", max_chars=2000)
        if not reason:
            raise Invalid(f"Say why the severity changes from {case.severity} to {change.severity}.")
        override = partial(set_severity, db, case=case, severity=change.severity, reason=reason)
        plan.append(("severity", override))
    if change.category is not None and change.category != case.category:
        categories = playbook_categories(db, case)
        valid_choice(change.category, categories, "category")
        recategorise = partial(set_category, db, case=case, category=change.category, categories=categories)
        plan.append(("category", recategorise))
    return plan


def _choices(db: Session, case: Case, change: FactsIn) -> Plan:
    """Fault (P14, P16), legal review (P11) and the approach with its reason (P18)."""
    plan: Plan = []
    if change.fault is not None and valid_choice(change.fault, FAULTS, "fault") != case.fault:
        plan.append(("fault", partial(set_fault, db, case=case, fault=change.fault)))
    state = change.legal_review
    if state is not None and state != case.legal_review:
        valid_choice(state, LEGAL_REVIEW_STATES, "legal review state")
        plan.append(("legal_review", partial(set_legal_review, db, case=case, state=state)))
    approach, reason = change.approach, change.approach_reason.strip()
    if approach is not None and (approach != case.approach or reason != case.approach_reason):
        valid_choice(approach, APPROACHES, "approach")
        clean_text(reason, field="Reason for the approach", max_chars=2000, required=True)
        plan.append(("approach", partial(set_approach, db, case=case, approach=approach, reason=reason)))
    return plan


def _texts(db: Session, case: Case, change: FactsIn) -> Plan:
    """Both sides' views (P8), the impact assessment (P4) and the remedy the client asks for."""
    plan: Plan = []
    client_view = _changed(change.client_view, case.client_view)
    our_view = _changed(change.our_view, case.our_view)
    if client_view is not None or our_view is not None:
        views = partial(record_views, db, case=case, client_view=client_view, our_view=our_view)
        plan.append(("views", views))
    assessment = _changed(change.impact_assessment, case.impact_assessment)
    if assessment is not None:
        clean_text(assessment, field="Impact assessment", max_chars=LONG_TEXT, required=True)  # check first
        assess = partial(record_assessment, db, case=case, impact_assessment=assessment)
        plan.append(("impact_assessment", assess))
    remedy = _changed(change.requested_remedy, case.requested_remedy)
    if remedy is not None:
        plan.append(("requested_remedy", partial(set_requested_remedy, db, case=case, remedy=remedy)))
    return plan


def _changed(given: str | None, current: str | None) -> str | None:
    """The given text when it differs from the current one (surrounding spaces aside), else None."""
    if given is None or given.strip() == (current or "").strip():
        return None
    return given


def playbook_categories(db: Session, case: Case) -> tuple[str, ...]:
    """The categories of the workspace's playbook (P2), so a custom playbook's categories are accepted."""
    return tuple(active_playbook(db, workspace_id=case.workspace_id).categories) or DEFAULT_CATEGORIES
