"""A case's playbook steps: which apply, their runs (done, skipped, reopened) and the gates (P2, P9, P13).

Why in cases: the steps are part of a case's life (opening a case adds them, a move checks them); the
playbook domain below only says what the plan is.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from accord.cases import repository
from accord.cases.models import Case, CaseEvent, StepRun
from accord.cases.timeline import record_event
from accord.clock import now
from accord.errors import Conflict, NotFound
from accord.playbook.definition import Playbook, Step
from accord.playbook.service import active_playbook
from accord.text import clean_text
from accord.users.access import APPROVER_ROLES, ActorLike, require_role, require_write

NOTES_CHARS = 10_000


def situations_of(case: Case) -> set[str]:
    """P14, P15: the paths a case follows: who raised it, and whether we made the mistake."""
    found = {case.kind}
    if case.fault in ("ours", "shared"):
        found.add("we_made_mistake")
    return found


def legal_triggered(playbook: Playbook, case: Case) -> bool:
    """P11: severity at the legal threshold, or someone already asked for a legal review."""
    return case.severity >= playbook.legal_review.min_severity or case.legal_review != "not_needed"


def applicable_steps(playbook: Playbook, case: Case) -> list[Step]:
    """The playbook's steps that apply to this case's situation and severity."""
    situations = situations_of(case)
    legal = legal_triggered(playbook, case)
    return [
        s
        for s in playbook.steps
        if situations & set(s.situations)
        and case.severity >= s.min_severity
        and (legal or not s.only_if_legal_review)
    ]


def instantiate_steps(db: Session, *, actor: ActorLike | None, case: Case) -> list[StepRun]:
    """Add the steps that now apply; open ones that no longer apply go, finished ones always stay.

    Called by the case verbs that open a case or change severity, fault or legal review. Any change
    is one `steps_instantiated` timeline event listing the steps added and removed (P2: the audit
    trail shows which plan the case follows).
    """
    playbook = active_playbook(db, workspace_id=case.workspace_id)
    wanted = applicable_steps(playbook, case)
    wanted_ids = {s.id for s in wanted}
    existing = {r.step_id: r for r in repository.step_runs_of(db, case.id)}
    removed = [r.step_id for r in existing.values() if r.state == "open" and r.step_id not in wanted_ids]
    for step_id in removed:
        db.delete(existing[step_id])
    position = {s.id: i for i, s in enumerate(playbook.steps)}
    added = [
        StepRun(
            case_id=case.id,
            step_id=s.id,
            title=s.title,
            phase=s.phase,
            position=position[s.id],
            required_before=s.required_before,
            playbook_version=playbook.version,
            created_at=now(),
        )
        for s in wanted
        if s.id not in existing
    ]
    db.add_all(added)
    case.playbook_version = playbook.version
    db.flush()
    if added or removed:
        data = {"steps": [r.step_id for r in added], "removed": removed, "playbook_version": playbook.version}
        record_event(db, case=case, kind="steps_instantiated", actor=actor, data=data)
    return added


def list_steps(db: Session, *, actor: ActorLike | None, case: Case) -> list[StepRun]:
    """The case's steps in playbook order."""
    return repository.step_runs_of(db, case.id)


def _run(db: Session, case: Case, step_id: str) -> StepRun:
    run = repository.step_run(db, case.id, str(step_id).strip())
    if run is None:
        known = ", ".join(r.step_id for r in repository.step_runs_of(db, case.id)) or "none"
        raise NotFound(f"{case.reference} has no step '{step_id}'. Its steps: {known}.")
    return run


def complete_step(
    db: Session, *, actor: ActorLike | None, case: Case, step_id: str, notes: str = ""
) -> StepRun:
    """Mark a step done with what was found or said (a timeline event)."""
    require_write(actor)
    run = _run(db, case, step_id)
    if run.state == "done":
        raise Conflict(f"Step '{run.step_id}' is already done; reopen it first to change it.")
    run.state, run.skip_reason, run.done_by_event_id = "done", "", None
    run.notes = clean_text(notes, field="Notes", max_chars=NOTES_CHARS)
    run.done_by_id, run.done_at = (None if actor is None else actor.id), now()
    record_event(
        db, case=case, kind="step_completed", actor=actor, data={"step": run.step_id, "notes": run.notes}
    )
    return run


def save_step_notes(db: Session, *, actor: ActorLike | None, case: Case, step_id: str, notes: str) -> StepRun:
    """Keep notes on an open step without finishing it: saved as you go during a call (P13).

    Each change is a `step_notes_saved` timeline event; saving the same text again records nothing.
    """
    require_write(actor)
    run = _run(db, case, step_id)
    if run.state != "open":
        raise Conflict(f"Step '{run.step_id}' is already {run.state}; reopen it first to change its notes.")
    cleaned = clean_text(notes, field="Notes", max_chars=NOTES_CHARS)
    if cleaned == run.notes:
        return run
    run.notes = cleaned
    record_event(
        db, case=case, kind="step_notes_saved", actor=actor, data={"step": run.step_id, "notes": run.notes}
    )
    return run


def skip_step(db: Session, *, actor: ActorLike | None, case: Case, step_id: str, reason: str) -> StepRun:
    """Skip a step with a reason; a required one only an owner or lead may skip."""
    require_write(actor)
    run = _run(db, case, step_id)
    if run.state != "open":
        raise Conflict(f"Step '{run.step_id}' is already {run.state}; reopen it first.")
    if run.required_before:
        require_role(actor, APPROVER_ROLES, f"skip the required step '{run.step_id}'")
    run.skip_reason = clean_text(reason, field="Reason for skipping", max_chars=2000, required=True)
    run.state, run.done_by_id, run.done_at = "skipped", (None if actor is None else actor.id), now()
    record_event(
        db, case=case, kind="step_skipped", actor=actor, data={"step": run.step_id, "reason": run.skip_reason}
    )
    return run


def reopen_step(
    db: Session, *, actor: ActorLike | None, case: Case, step_id: str, reason: str = ""
) -> StepRun:
    """Open a finished step again (new facts came in)."""
    require_write(actor)
    run = _run(db, case, step_id)
    if run.state == "open":
        raise Conflict(f"Step '{run.step_id}' is already open.")
    previous = run.state
    run.state, run.done_by_id, run.done_at, run.done_by_event_id = "open", None, None, None
    reason = clean_text(reason, field="Reason", max_chars=2000)
    record_event(
        db,
        case=case,
        kind="step_reopened",
        actor=actor,
        data={"step": run.step_id, "was": previous, "reason": reason},
    )
    return run


def step_for_event(kind: str, data: dict[str, object]) -> str | None:
    """The playbook step an event finishes by itself, if any (issue 20: steps follow what happened).

    A reply a person sent to the client is the acknowledgement (P6: "Acknowledge quickly"); the case
    resolved through the client's recorded confirmation is "Get the client's confirmation" (P23).
    Automatic mail (the confirmation link, the follow-up) acknowledges nothing.
    """
    if kind == "message_sent" and not data.get("automatic"):
        return "acknowledge_quickly"
    if kind == "status_changed" and data.get("to") == "resolved":
        return "client_confirms"
    return None


def record_and_follow(
    db: Session, *, actor: ActorLike | None, case: Case, kind: str, data: dict[str, object]
) -> CaseEvent:
    """Record an event and tick the open step it finishes, linking the step to the event.

    Called by the verbs that record such events (sending a reply, resolving a case) instead of a plain
    `record_event`. The tick is recorded first, as its own `step_completed` event, so the causing event
    stays the newest on the timeline; a step already done or skipped, or one this case's playbook
    lacks, is left alone.
    """
    step_id = step_for_event(kind, data)
    run = repository.step_run(db, case.id, step_id) if step_id else None
    if run is None or run.state != "open":
        return record_event(db, case=case, kind=kind, actor=actor, data=data)
    run.state, run.skip_reason = "done", ""
    run.done_by_id, run.done_at = (None if actor is None else actor.id), now()
    tick = {"step": run.step_id, "notes": run.notes, "automatic": True, "because": kind}
    record_event(db, case=case, kind="step_completed", actor=actor, data=tick)
    event = record_event(db, case=case, kind=kind, actor=actor, data=data)
    run.done_by_event_id = event.id
    db.flush()
    return event


def open_required_steps(db: Session, *, case: Case, target_status: str) -> list[StepRun]:
    """Steps that must be finished before the case may move to `target_status`."""
    return [
        r
        for r in repository.step_runs_of(db, case.id)
        if r.required_before == target_status and r.state == "open"
    ]


def check_gates(db: Session, *, case: Case, target_status: str) -> None:
    """Refuse a move while required steps are open, naming them (P9, P11)."""
    blocking = open_required_steps(db, case=case, target_status=target_status)
    if blocking:
        names = "; ".join(f"{r.step_id} ({r.title})" for r in blocking)
        message = (
            f"{case.reference} cannot move to {target_status} yet. Finish or skip these steps first: {names}."
        )
        raise Conflict(
            message,
            code="steps_open",
            detail={
                "message": message,
                "to": target_status,
                "open_steps": [r.step_id for r in blocking],
                "open_step_titles": [r.title for r in blocking],
            },
        )


@dataclass(frozen=True)
class GuideStep:
    """A case's step with the playbook's guidance and prompts, for call mode and the web."""

    step_id: str
    title: str
    phase: str
    state: str
    required_before: str | None
    guidance: str
    prompts: list[str]
    notes: str
    skip_reason: str
    done_by_event_id: int | None = None


def guide_steps(db: Session, *, actor: ActorLike | None, case: Case) -> list[GuideStep]:
    """The case's steps in order, each with what to do and what to ask (P13)."""
    playbook = active_playbook(db, workspace_id=case.workspace_id)
    out = []
    for run in repository.step_runs_of(db, case.id):
        step = playbook.step(run.step_id)
        out.append(
            GuideStep(
                step_id=run.step_id,
                title=run.title,
                phase=run.phase,
                state=run.state,
                required_before=run.required_before,
                guidance=step.guidance if step else "",
                prompts=list(step.prompts) if step else [],
                notes=run.notes,
                skip_reason=run.skip_reason,
                done_by_event_id=run.done_by_event_id,
            )
        )
    return out
