"""Composer drafts: every purpose on every demo case passes the coach; concern extraction (P13, P14, P16)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from accord import demo, setup
from accord.cases.models import Case
from accord.coach import CaseContext, check_reply
from accord.coach import service as coach
from accord.coach.composer import compose_reply, extract_concern
from accord.coach.templates import PURPOSES
from accord.db import session_scope
from accord.errors import Invalid


def test_every_purpose_on_every_demo_case_drafts_with_no_warnings(data_dir: Path) -> None:
    problems = []
    with session_scope() as db:
        setup.init_workspace(db)
        demo.load_demo(db)
        demo_cases = list(db.scalars(select(Case)))
        for case in demo_cases:
            ctx = coach.case_context(db, case=case)
            for purpose in PURPOSES:
                draft = coach.draft_reply(db, case=case, purpose=purpose)
                bad = [
                    f.rule
                    for f in check_reply(draft, case_context=ctx, whole_reply=True)
                    if f.severity != "info"
                ]
                if bad or not draft:
                    problems.append((case.reference, purpose, bad))
    assert len(demo_cases) >= 10
    assert problems == []


@pytest.mark.parametrize("legal", ["not_needed", "in_progress"])
@pytest.mark.parametrize("fault", ["unknown", "ours", "client", "shared", "none"])
def test_drafts_adapt_the_apology_to_fault_and_legal_state(fault: str, legal: str) -> None:
    ctx = CaseContext(
        fault=fault, legal_review=legal, client_message="The booking page has been broken since Monday.",
        concern="The booking page has been broken since Monday", client_name="Oakridge Veterinary",
    )  # fmt: skip
    for purpose in PURPOSES:
        draft = compose_reply(ctx, purpose)
        assert [f.rule for f in check_reply(draft, case_context=ctx) if f.severity != "info"] == [], purpose


def test_mistake_draft_owns_it_when_ours_but_admits_nothing_during_legal_review() -> None:
    ours = compose_reply(CaseContext(fault="ours"), "mistake")
    careful = compose_reply(CaseContext(fault="ours", legal_review="in_progress"), "mistake")
    assert "we got this wrong" in ours
    assert "we got this wrong" not in careful and "sorry for the disruption" in careful


def test_playbook_template_is_used_when_it_passes() -> None:
    template = (
        "Dear {client_name}, you told us about {concern} and I know how frustrating it is. "
        "I will call you by {next_update}.\n\n{our_name}"
    )
    draft = compose_reply(
        CaseContext(client_name="Bluebird Dental"), "acknowledge", templates={"acknowledge": template}
    )
    assert draft.startswith("Dear Bluebird Dental, you told us")


def test_playbook_template_that_fails_the_coach_falls_back_to_accords_own() -> None:
    template = "Hi {client_name}, we will try to look at {concern} at some point."
    draft = compose_reply(
        CaseContext(client_name="Bluebird Dental"), "update", templates={"update": template}
    )
    assert "try to" not in draft and draft.startswith("Hi Bluebird Dental")


def test_unknown_purpose_is_refused_with_the_list() -> None:
    with pytest.raises(Invalid, match="acknowledge"):
        compose_reply(CaseContext(), "grovel")


def test_concern_is_the_first_sentence_that_states_the_problem() -> None:
    message = (
        'Hi team, hope you are well. Our card was charged twice for the "October" retainer. '
        "Please refund it this week."
    )
    assert extract_concern(message) == "Our card was charged twice for the October retainer"


def test_long_concern_is_trimmed() -> None:
    message = "The nightly export has not run " + "and the files are missing again " * 6
    assert extract_concern(message).endswith("...")
    assert len(extract_concern(message).split()) <= 19
