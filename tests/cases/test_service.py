"""Case verbs on SQLite and PostgreSQL: one event per verb, hand-offs, access and bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.cadence import confirmation as confirm
from accord.cases import facts
from accord.cases import service as cases
from accord.cases.models import Case, CaseEvent
from accord.cases.transitions import TRANSITIONS
from accord.errors import Conflict, Forbidden, Invalid, NotFound
from tests.helpers import (
    create_agent,
    create_case,
    create_client,
    create_owner,
    create_viewer,
    create_workspace,
    event_kinds,
)
from tests.playbook.helpers import complete_required_steps


def _count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_open_case_gets_a_reference_and_its_steps_on_the_timeline(db: Session) -> None:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    case = create_case(db, create_client(db, ws), agent)
    assert case.reference.startswith("ACC-")
    assert case.status == "new"
    assert case.owner_id == agent.id
    assert event_kinds(db, case) == ["case_opened", "steps_instantiated"]  # P2: which plan it follows


def test_references_increase_per_workspace(db: Session) -> None:
    ws = create_workspace(db)
    client = create_client(db, ws)
    first, second = create_case(db, client), create_case(db, client)
    assert second.number == first.number + 1


@pytest.mark.parametrize(
    ("verb", "kwargs", "kind"),
    [
        (facts.set_severity, {"severity": 4, "reason": "Legal threat"}, "severity_changed"),
        (facts.set_category, {"category": "outage"}, "category_changed"),
        (facts.set_fault, {"fault": "ours"}, "fault_changed"),
        (facts.set_approach, {"approach": "collaborate", "reason": "Key client"}, "approach_changed"),
        (facts.set_legal_review, {"state": "required"}, "legal_review_changed"),
        (facts.record_views, {"client_view": "Charged twice", "our_view": "Gateway retry"}, "views_recorded"),
        (facts.record_assessment, {"impact_assessment": "May churn; 3k/month"}, "assessment_recorded"),
        (facts.set_requested_remedy, {"remedy": "Refund the duplicate"}, "remedy_recorded"),
        (cases.acknowledge_case, {}, "status_changed"),
        (cases.escalate_case, {}, "status_changed"),
    ],
)
def test_every_verb_leaves_exactly_one_event(db: Session, verb, kwargs, kind) -> None:  # type: ignore[no-untyped-def]
    """One event per verb; a change that adds or drops playbook steps also records which (P2)."""
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    case = create_case(db, create_client(db, ws), owner)
    before = len(event_kinds(db, case))
    verb(db, actor=owner, case=case, **kwargs)
    added = event_kinds(db, case)[before:]
    assert added[0] == kind
    assert added[1:] in ([], ["steps_instantiated"])


def test_add_note_leaves_one_event(db: Session) -> None:
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws))
    cases.add_note(db, actor=None, case=case, body="Called them, left a voicemail")
    assert event_kinds(db, case) == ["case_opened", "steps_instantiated", "note_added"]


def test_whole_happy_path_follows_the_table(db: Session) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    case = create_case(db, create_client(db, ws), owner)
    complete_required_steps(db, case, owner)
    path = [
        "acknowledged",
        "preparing",
        "in_conversation",
        "resolution_proposed",
        "awaiting_confirmation",
        "resolved",
        "closed",
    ]
    for status in path:
        if status == "resolved":  # P23: the client's yes, recorded, is what resolves it
            confirm.record_call_confirmation(db, actor=owner, case=case, note="Happy with the fix")
        else:
            cases.move_case(db, actor=owner, case=case, status=status)
    assert case.status == "closed"
    assert case.acknowledged_at and case.resolved_at and case.closed_at
    moves = [e.data["to"] for e in cases.list_events(db, actor=None, case=case) if e.kind == "status_changed"]
    assert moves == path


def test_illegal_move_is_refused_and_writes_nothing(db: Session) -> None:
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws))
    before = _count(db, CaseEvent)
    with pytest.raises(Conflict) as info:
        cases.move_case(db, actor=None, case=case, status="closed")
    assert "acknowledged" in info.value.message
    assert case.status == "new"
    assert _count(db, CaseEvent) == before


def test_a_plain_move_to_resolved_is_refused_without_the_clients_confirmation(db: Session) -> None:
    """P23: the problem is not solved until the client says so."""
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    case = create_case(db, create_client(db, ws), owner)
    complete_required_steps(db, case, owner)
    for status in [
        "acknowledged",
        "preparing",
        "in_conversation",
        "resolution_proposed",
        "awaiting_confirmation",
    ]:
        cases.move_case(db, actor=owner, case=case, status=status)
    before = _count(db, CaseEvent)
    with pytest.raises(Conflict) as info:
        cases.move_case(db, actor=owner, case=case, status="resolved")
    assert info.value.code == "needs_client_confirmation"
    assert "client's confirmation" in info.value.message
    assert case.status == "awaiting_confirmation" and case.resolved_at is None
    assert _count(db, CaseEvent) == before
    confirm.record_call_confirmation(db, actor=owner, case=case, note="They said it is fixed")
    resolved = cases.list_events(db, actor=None, case=case)[-1].data
    assert resolved["to"] == "resolved" and resolved["confirmed_via"] == "call"


def test_reopen_clears_resolution_times(db: Session) -> None:
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws))
    complete_required_steps(db, case)
    for status in [
        "acknowledged",
        "preparing",
        "in_conversation",
        "resolution_proposed",
        "awaiting_confirmation",
    ]:
        cases.move_case(db, actor=None, case=case, status=status)
    confirm.record_call_confirmation(db, actor=None, case=case, note="Said it works now")
    assert case.resolved_at is not None
    cases.reopen_case(db, actor=None, case=case, note="Client says it broke again")
    assert case.status == "reopened"
    assert case.resolved_at is None
    assert set(TRANSITIONS["reopened"]) >= {"preparing", "in_conversation"}


def test_handoffs_are_counted_after_the_first_owner(db: Session) -> None:
    """P7: the first spokesperson is not a hand-off; each later change is."""
    ws = create_workspace(db)
    olivia, adam = create_owner(db, ws), create_agent(db, ws)
    case = create_case(db, create_client(db, ws), None)
    assert case.owner_id is None
    cases.assign_case(db, actor=olivia, case=case, owner=adam)
    assert case.handoff_count == 0
    cases.assign_case(db, actor=olivia, case=case, owner=olivia, reason="Severity rose to 4")
    cases.assign_case(db, actor=olivia, case=case, owner=adam)
    assert case.handoff_count == 2
    assert event_kinds(db, case).count("owner_changed") == 3


def test_assigning_the_same_owner_is_refused(db: Session) -> None:
    ws = create_workspace(db)
    adam = create_agent(db, ws)
    case = create_case(db, create_client(db, ws), adam)
    with pytest.raises(Invalid, match="already the spokesperson"):
        cases.assign_case(db, actor=adam, case=case, owner=adam)


def test_viewer_cannot_change_a_case(db: Session) -> None:
    ws = create_workspace(db)
    vera = create_viewer(db, ws)
    case = create_case(db, create_client(db, ws))
    with pytest.raises(Forbidden):
        cases.move_case(db, actor=vera, case=case, status="acknowledged")
    assert case.status == "new"


def test_case_of_another_workspace_is_not_found(db: Session) -> None:
    ours, theirs = create_workspace(db, "ours"), create_workspace(db, "theirs")
    outsider = create_owner(db, theirs)
    case = create_case(db, create_client(db, ours))
    with pytest.raises(NotFound):
        cases.get_case(db, actor=outsider, workspace_id=theirs.id, reference=case.reference)


@pytest.mark.parametrize("reference", ["ACC-999999", "nonsense", "", "ACC-"])
def test_unknown_or_malformed_reference_is_a_clear_error(db: Session, reference: str) -> None:
    ws = create_workspace(db)
    with pytest.raises((NotFound, Invalid)):
        cases.get_case(db, actor=None, workspace_id=ws.id, reference=reference)


@pytest.mark.parametrize("title", ["", "   ", "x" * 201])
def test_bad_titles_are_refused_and_nothing_is_written(db: Session, title: str) -> None:
    ws = create_workspace(db)
    client = create_client(db, ws)
    before = _count(db, Case)
    with pytest.raises(Invalid):
        create_case(db, client, title=title)
    assert _count(db, Case) == before


@pytest.mark.parametrize(
    ("field", "value"), [("severity", 5), ("severity", 0), ("category", "weather"), ("channel", "fax")]
)
def test_bad_case_fields_are_refused(db: Session, field: str, value: object) -> None:
    ws = create_workspace(db)
    with pytest.raises(Invalid):
        create_case(db, create_client(db, ws), **{field: value})


def test_approach_needs_a_reason(db: Session) -> None:
    """P18: the chosen approach is recorded with its reason."""
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws))
    with pytest.raises(Invalid, match="Reason"):
        facts.set_approach(db, actor=None, case=case, approach="avoid", reason=" ")


def test_views_are_kept_apart(db: Session) -> None:
    """P8: the client's view and ours are separate fields."""
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws))
    facts.record_views(db, actor=None, case=case, client_view="You broke the site")
    facts.record_views(db, actor=None, case=case, our_view="Their plugin update broke it")
    assert case.client_view == "You broke the site"
    assert case.our_view == "Their plugin update broke it"
