"""Per-case step runs: instantiated per situation and severity, completed, skipped, reopened, gated."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from accord.cases import facts, steps
from accord.cases import service as cases
from accord.cases.models import Case
from accord.errors import Conflict, Forbidden, NotFound
from accord.playbook import service as playbook
from tests.helpers import create_agent, create_case, create_client, create_owner, create_workspace
from tests.playbook.helpers import complete_required_steps

PREP = ["record_both_views", "review_timeline", "review_contract", "decide_objective"]


def _ids(db: Session, case: Case) -> list[str]:
    return [r.step_id for r in steps.list_steps(db, actor=None, case=case)]


def _events(db: Session, case: Case) -> list[str]:
    return [e.kind for e in cases.list_events(db, actor=None, case=case)]


def _to_conversation(db: Session, case: Case) -> None:
    for status in ("acknowledged", "preparing", "in_conversation"):
        cases.move_case(db, actor=None, case=case, status=status)


def test_minor_client_case_gets_preparation_and_six_steps_only(db: Session) -> None:
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws), severity=1)
    ids = _ids(db, case)
    assert ids[:2] == ["acknowledge_quickly", "fix_small_now"]
    assert {
        "listen",
        "acknowledge_concerns",
        "show_empathy",
        "state_facts",
        "explain_solution",
        "remain_firm",
    } <= set(ids)
    assert not {"assess_impact", "legal_check", "propose_call", "own_mistake", "weigh_raising"} & set(ids)
    assert case.playbook_version == "2026.1"
    assert _events(db, case) == ["case_opened", "steps_instantiated"]
    listed = cases.list_events(db, actor=None, case=case)[-1].data
    assert listed["steps"] == ids and listed["removed"] == []  # P2: the steps the case follows, on record


def test_raising_severity_records_the_steps_it_adds(db: Session) -> None:
    """P2, P4: a change of plan is on the timeline, naming the steps added."""
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    case = create_case(db, create_client(db, ws), owner, severity=1)
    facts.set_severity(db, actor=owner, case=case, severity=4, reason="Threatens to sue")
    events = cases.list_events(db, actor=None, case=case)
    assert [e.kind for e in events[-2:]] == ["severity_changed", "steps_instantiated"]
    assert {"assess_impact", "legal_check", "propose_call"} <= set(events[-1].data["steps"])


def test_business_raised_case_starts_by_weighing_whether_to_raise_it(db: Session) -> None:
    """P15: our problem with the client: is it worth raising, then explain plainly."""
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws), kind="business_raised")
    assert {"weigh_raising", "explain_plainly", "listen"} <= set(_ids(db, case))


def test_critical_case_needs_impact_legal_and_a_call(db: Session) -> None:
    """P4, P11, P12: severity 4 adds the assessment, the legal check and the move to a call."""
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws), severity=4)
    assert {"assess_impact", "legal_check", "propose_call", "outside_help", "consider_ending"} <= set(
        _ids(db, case)
    )


def test_raising_severity_and_owning_the_fault_add_steps_and_keep_finished_ones(db: Session) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    case = create_case(db, create_client(db, ws), owner)
    steps.complete_step(db, actor=owner, case=case, step_id="listen", notes="They were charged twice.")
    facts.set_severity(db, actor=owner, case=case, severity=3, reason="Threat to leave")
    facts.set_fault(db, actor=owner, case=case, fault="ours")
    ids = _ids(db, case)
    assert {"assess_impact", "own_mistake", "communicate_fix", "explain_plan"} <= set(ids)
    assert steps.list_steps(db, actor=None, case=case)[ids.index("listen")].state == "done"
    facts.set_severity(db, actor=owner, case=case, severity=1, reason="Misread at first")
    assert "assess_impact" not in _ids(db, case)  # open and no longer applicable: gone
    assert "listen" in _ids(db, case)


def test_complete_skip_reopen_each_leave_one_event(db: Session) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    case = create_case(db, create_client(db, ws), owner)
    run = steps.complete_step(db, actor=owner, case=case, step_id="listen", notes="Heard the <whole> story")
    assert (run.state, run.notes, run.done_by_id) == ("done", "Heard the <whole> story", owner.id)
    steps.reopen_step(db, actor=owner, case=case, step_id="listen", reason="They called again")
    steps.skip_step(db, actor=owner, case=case, step_id="fix_small_now", reason="Not a quick fix")
    assert _events(db, case)[-3:] == ["step_completed", "step_reopened", "step_skipped"]
    assert cases.list_events(db, actor=None, case=case)[-1].data == {
        "step": "fix_small_now",
        "reason": "Not a quick fix",
    }


def test_notes_are_saved_as_you_go_and_the_step_stays_open(db: Session) -> None:
    """P13 call mode: notes kept on the case mid-call; each change is one timeline event."""
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    case = create_case(db, create_client(db, ws), owner)
    run = steps.save_step_notes(db, actor=owner, case=case, step_id="listen", notes="Charged twice in")
    run = steps.save_step_notes(db, actor=owner, case=case, step_id="listen", notes="Charged twice in Oct")
    steps.save_step_notes(db, actor=owner, case=case, step_id="listen", notes="Charged twice in Oct")
    assert (run.state, run.notes, run.done_at) == ("open", "Charged twice in Oct", None)
    assert _events(db, case)[-2:] == ["step_notes_saved", "step_notes_saved"]  # the same text: no event
    assert cases.list_events(db, actor=None, case=case)[-1].data == {
        "step": "listen",
        "notes": "Charged twice in Oct",
    }
    done = steps.complete_step(db, actor=owner, case=case, step_id="listen", notes=run.notes + ".")
    assert done.state == "done"
    with pytest.raises(Conflict, match="reopen it first"):
        steps.save_step_notes(db, actor=owner, case=case, step_id="listen", notes="Changed afterwards")


def test_unknown_step_names_the_case_steps(db: Session) -> None:
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws))
    with pytest.raises(NotFound) as info:
        steps.complete_step(db, actor=None, case=case, step_id="dance", notes="")
    assert "has no step 'dance'" in info.value.message and "listen" in info.value.message


def test_completing_twice_is_a_conflict(db: Session) -> None:
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws))
    steps.complete_step(db, actor=None, case=case, step_id="listen", notes="")
    with pytest.raises(Conflict, match="already done"):
        steps.complete_step(db, actor=None, case=case, step_id="listen", notes="")


def test_agent_may_not_skip_a_required_step(db: Session) -> None:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    case = create_case(db, create_client(db, ws), agent)
    with pytest.raises(Forbidden, match="skip the required step 'review_contract'"):
        steps.skip_step(db, actor=agent, case=case, step_id="review_contract", reason="No time")
    steps.skip_step(db, actor=agent, case=case, step_id="fix_small_now", reason="Not small")


def test_gate_names_the_open_preparation_steps(db: Session) -> None:
    """P9: no resolution proposal before the preparation is done; the error says what is missing."""
    ws = create_workspace(db)
    case = create_case(db, create_client(db, ws))
    _to_conversation(db, case)
    with pytest.raises(Conflict) as info:
        cases.move_case(db, actor=None, case=case, status="resolution_proposed")
    assert info.value.code == "steps_open"
    assert info.value.detail["open_steps"] == PREP
    assert "review_contract (Check the contract and agreed expectations)" in info.value.message
    assert case.status == "in_conversation"


def test_gate_opens_once_steps_are_done_or_skipped(db: Session) -> None:
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    case = create_case(db, create_client(db, ws), owner)
    _to_conversation(db, case)
    for step_id in PREP[:-1]:
        steps.complete_step(db, actor=owner, case=case, step_id=step_id, notes="Done")
    steps.skip_step(db, actor=owner, case=case, step_id="decide_objective", reason="Agreed on the phone")
    cases.move_case(db, actor=owner, case=case, status="resolution_proposed")
    assert case.status == "resolution_proposed"


def test_legal_review_request_adds_a_gating_legal_check(db: Session) -> None:
    """P11: once someone asks for a legal review, the case cannot propose a resolution without it."""
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    case = create_case(db, create_client(db, ws), owner, severity=3)
    complete_required_steps(db, case, owner)
    _to_conversation(db, case)  # issue 18: with legal review required, the case would not get this far
    facts.set_legal_review(db, actor=owner, case=case, state="required")
    with pytest.raises(Conflict) as info:
        cases.move_case(db, actor=owner, case=case, status="resolution_proposed")
    assert info.value.detail["open_steps"] == ["legal_check"]


def test_workspace_playbook_drives_new_cases_and_its_version_is_stored(
    db: Session, default_yaml: str
) -> None:
    """P2: a workspace may replace the default; cases remember which version they follow."""
    ws = create_workspace(db)
    owner = create_owner(db, ws)
    playbook.install_playbook(
        db,
        actor=owner,
        workspace_id=ws.id,
        source="extends: default\nversion: acme-2\nsteps:\n"
        "  - id: tell_director\n    title: Tell the director\n"
        "    phase: intake\n    guidance: Email the director.\n    required_before: resolution_proposed\n",
    )
    case = create_case(db, create_client(db, ws), owner)
    assert case.playbook_version == "acme-2"
    assert "tell_director" in _ids(db, case)
    assert playbook.active_playbook(db, workspace_id=ws.id + 999).version == "2026.1"


def test_only_an_owner_installs_a_playbook(db: Session, default_yaml: str) -> None:
    ws = create_workspace(db)
    with pytest.raises(Forbidden):
        playbook.install_playbook(db, actor=create_agent(db, ws), workspace_id=ws.id, source=default_yaml)
