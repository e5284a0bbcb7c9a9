"""The lifecycle table: every allowed move works, every other move is refused (rule 4)."""

from __future__ import annotations

import pytest

from accord.cases.transitions import STATUSES, TRANSITIONS, allowed_next, check_transition
from accord.errors import Conflict

ALLOWED = [(a, b) for a in STATUSES for b in TRANSITIONS[a]]
REFUSED = [(a, b) for a in STATUSES for b in STATUSES if b not in TRANSITIONS[a]]


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_allowed_move_passes(current: str, target: str) -> None:
    check_transition(current, target)


@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_refused_move_names_the_allowed_states(current: str, target: str) -> None:
    with pytest.raises(Conflict) as info:
        check_transition(current, target)
    for allowed in allowed_next(current):
        assert allowed in info.value.message


def test_unknown_status_is_refused_with_the_known_list() -> None:
    with pytest.raises(Conflict, match="Known statuses"):
        check_transition("new", "done")


def test_only_client_confirmation_path_reaches_resolved() -> None:
    """P23: resolved is reachable only from awaiting_confirmation."""
    assert [s for s in STATUSES if "resolved" in TRANSITIONS[s]] == ["awaiting_confirmation"]


def test_every_status_can_be_left_or_is_final_closed() -> None:
    assert all(TRANSITIONS[s] for s in STATUSES)
