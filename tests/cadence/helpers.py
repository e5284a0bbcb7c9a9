"""Plain helpers for cadence tests: walk a case along its lifecycle the way a team would."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases.models import Case
from accord.users.models import User
from tests.playbook.helpers import complete_required_steps

PATH = ("acknowledged", "preparing", "in_conversation", "resolution_proposed", "awaiting_confirmation")


def walk_to(db: Session, case: Case, status: str, actor: User | None = None) -> Case:
    """Move `case` along the usual path until it reaches `status`, finishing gating steps on the way."""
    start = PATH.index(case.status) + 1 if case.status in PATH else 0
    for step in PATH[start:]:
        if case.status == status:
            break
        complete_required_steps(db, case, actor)
        cases.move_case(db, actor=actor, case=case, status=step)
    complete_required_steps(db, case, actor)
    return case
