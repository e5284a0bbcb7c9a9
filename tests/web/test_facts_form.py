"""The case page's facts form (P4, P8, P14): a person overrides triage's severity with a reason, records
both sides' views, and sees each change on the timeline; client text stays escaped."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.conftest import HOSTILE, form_token


def _severity(html: str) -> int:
    found = re.search(r'class="sev sev(\d)">Severity', html)
    assert found is not None
    return int(found.group(1))


def test_the_facts_form_overrides_severity_with_a_reason_and_records_both_views(web: TestClient) -> None:
    page = web.get("/cases/ACC-1010").text
    assert '<details id="facts"' in page
    level = 4 if _severity(page) != 4 else 1
    form = {
        "csrftoken": form_token(page, "/cases/ACC-1010/facts"),
        "severity": str(level),
        "severity_reason": "They copied their lawyer in",
        "fault": "shared",
        "approach": "",
        "approach_reason": "",
        "client_view": HOSTILE,
        "our_view": "The brief changed twice after sign-off",
    }
    answer = web.post("/cases/ACC-1010/facts", data=form, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/cases/ACC-1010#facts"
    after = web.get("/cases/ACC-1010").text
    assert _severity(after) == level
    assert "fault: shared" in after
    assert "The brief changed twice after sign-off" in after
    assert "<script>alert" not in after and "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;" in after
    timeline = after.split('id="timeline"')[1]
    assert "severity changed" in timeline and "fault changed" in timeline and "views recorded" in timeline


def test_a_severity_change_without_a_reason_is_refused_readably_and_changes_nothing(web: TestClient) -> None:
    page = web.get("/cases/ACC-1019").text
    level, fault = _severity(page), "client" if "fault: client" not in page else "shared"
    form = {
        "csrftoken": form_token(page, "/cases/ACC-1019/facts"),
        "severity": str(level % 4 + 1),
        "fault": fault,
    }
    answer = web.post("/cases/ACC-1019/facts", data=form, follow_redirects=False)
    assert answer.status_code == 422
    assert f"Say why the severity changes from {level} to {level % 4 + 1}" in answer.text
    after = web.get("/cases/ACC-1019").text
    assert _severity(after) == level and f"fault: {fault}" not in after
