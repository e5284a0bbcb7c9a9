"""The demo shows P19-P21: accepted offers, a haggling case with drift, an expired offer, an ended client."""

from __future__ import annotations

from pathlib import Path

from accord import demo, setup
from accord.cases import service as cases
from accord.clients import service as clients
from accord.config import get_settings
from accord.db import session_scope
from accord.offers import firmness
from accord.users import repository as user_lookup


def test_demo_has_haggling_with_drift_an_expired_offer_and_an_ended_relationship(data_dir: Path) -> None:
    with session_scope() as db:
        setup.init_workspace(db)
        demo.load_demo(db)
        workspace = user_lookup.workspace_by_slug(db, get_settings().workspace)
        assert workspace is not None
        all_cases = cases.list_cases(db, actor=None, workspace_id=workspace.id, limit=500)
        views = {c.reference: firmness.case_offers(db, actor=None, case=c) for c in all_cases}
        kinds = {c.reference: [e.kind for e in cases.list_events(db, actor=None, case=c)] for c in all_cases}
        drifted = [
            e.data["drift"]
            for c in all_cases
            for e in cases.list_events(db, actor=None, case=c)
            if e.kind == "offer_revised" and e.data.get("drift")
        ]
        ended = clients.get_client(db, actor=None, workspace_id=workspace.id, key="Redline Motors")
        held = [c for c in all_cases if c.client_id == ended.id and c.title == "Where are our files?"]
        ended_status, held_status = ended.status, [c.status for c in held]
    statuses = {o.status for v in views.values() for o in v["offers"]}
    assert {"accepted", "proposed", "expired", "counter", "superseded"} <= statuses
    haggling = [v["firmness"] for v in views.values() if v["firmness"].haggling]
    assert len(haggling) == 1 and haggling[0].repeated
    kinds_found = {s.kind for w in haggling[0].messages for s in w.signals}
    assert {"meet_halfway", "asks_for_more", "demands_free"} <= kinds_found
    assert len(drifted) == 1 and "Concession drift" in drifted[0]["message"]
    assert sum("offer_expired" in k for k in kinds.values()) == 1
    assert (ended_status, held_status) == ("ended", ["on_hold"])
