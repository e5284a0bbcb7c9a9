"""Refusals in the user's words (issue 20 item 7): gate ids such as resolution_proposed or legal_check
never reach a person; `plain_error` is the one place that says them as sentences (P9, P11, P23)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases import steps
from accord.cases.wording import plain_error, status_action, status_words
from accord.errors import Conflict
from tests.helpers import create_case, create_client, create_workspace


def test_an_open_gate_names_the_steps_by_their_titles(db: Session) -> None:
    case = create_case(db, create_client(db, create_workspace(db)))
    with pytest.raises(Conflict) as refused:
        steps.check_gates(db, case=case, target_status="resolution_proposed")
    said = plain_error(refused.value.code, refused.value.detail, refused.value.message)
    assert said.startswith("Before you can propose a solution, finish or skip these steps: ")
    assert "Record the client's view and ours; Review the timeline and earlier conversations" in said
    assert "_" not in said  # no ids: resolution_proposed, legal_check, review_timeline ...


def test_a_pending_legal_review_is_said_plainly(db: Session) -> None:
    case = create_case(db, create_client(db, create_workspace(db)))
    case.legal_review = "in_progress"
    with pytest.raises(Conflict) as refused:
        cases.check_legal_gate(case, "in_conversation")
    said = plain_error(refused.value.code, refused.value.detail, refused.value.message)
    assert said.startswith("You cannot start the conversation while the legal review is still in progress.")


def test_an_illegal_move_lists_what_can_come_next() -> None:
    detail = {"from": "closed", "to": "preparing", "allowed": ["reopened"]}
    said = plain_error("illegal_transition", detail, "A case that is closed cannot move to preparing.")
    assert said == "A case that is closed cannot start preparing. From here you can reopen it."


def test_other_errors_keep_their_own_message() -> None:
    assert plain_error("not_found", "No case ACC-9.", "No case ACC-9.") == "No case ACC-9."
    assert plain_error("steps_open", "not a dict", "As written.") == "As written."


def test_every_status_has_words_and_an_action() -> None:
    assert status_words("awaiting_confirmation") == "waiting for the client's confirmation"
    assert status_action("on_hold") == "put it on hold"
    assert status_action("brand_new") == "move it to brand new"
