"""Schemathesis against /api/openapi.json: no 500s, and successful responses match the documented schema.

Error bodies use Accord's own shape (`{"error", "detail"}`), which the generated spec does not declare
for 422 yet, so only 2xx bodies are validated against the schema here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from accord import demo, setup
from accord.app import create_app
from tests.security.helpers import api_auth

_headers: dict[str, str] = {}


@pytest.fixture
def api_schema(data_dir: Path) -> Iterator[Any]:
    """The live spec of an app on a fresh demo workspace, with a write token for the calls."""
    from accord.db import session_scope

    with session_scope() as db:
        setup.init_workspace(db)
        demo.load_demo(db)
    _headers.clear()
    _headers.update(api_auth("write"))
    yield schemathesis.openapi.from_asgi("/api/openapi.json", create_app())


# Operations with a known, accepted failure (label -> why). Empty: ids are bounded to 1..2**63-1 now.
KNOWN: dict[str, str] = {}


def _check(operation: Any) -> str | None:
    @given(case=operation.as_strategy())
    @settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case: Any) -> None:
        response = case.call(headers=_headers)
        assert response.status_code < 500, (case.method, case.path, response.text[:300])
        if response.status_code < 300:
            case.validate_response(response, checks=[response_schema_conformance])

    try:
        run()
    except Exception as exc:  # collect every failing operation, not just the first
        if type(exc).__name__ == "SerializationNotPossible":  # raw message/rfc822: see test_fuzz.py
            return None
        return f"{type(exc).__name__}: {str(exc)[:300]}"
    return None


def test_api_never_fails_and_matches_its_schema(api_schema: Any) -> None:
    failures: dict[str, str] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"
        problem = _check(operation)
        if problem and label not in KNOWN:
            failures[label] = problem
    assert len(operations) > 10 and failures == {}
