"""The demo shows offers: accepted ones on agreed cases and one client who haggles (P19, P20)."""

from __future__ import annotations

from pathlib import Path

from accord import demo, setup
from accord.cases import service as cases
from accord.config import get_settings
from accord.db import session_scope
from accord.offers import firmness
from accord.users import repository as user_lookup


def test_demo_has_accepted_offers_and_one_haggling_client(data_dir: Path) -> None:
    with session_scope() as db:
        setup.init_workspace(db)
        demo.load_demo(db)
        workspace = user_lookup.workspace_by_slug(db, get_settings().workspace)
        assert workspace is not None
        all_cases = cases.list_cases(db, actor=None, workspace_id=workspace.id, limit=500)
        views = [firmness.case_offers(db, actor=None, case=c) for c in all_cases]
    statuses = {o.status for v in views for o in v["offers"]}
    assert {"accepted", "proposed"} <= statuses
    haggling = [w for v in views for w in v["haggling"]]
    assert len(haggling) == 1
    assert "meet_halfway" in {s.kind for s in haggling[0].signals}
