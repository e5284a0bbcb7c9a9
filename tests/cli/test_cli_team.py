"""`accord user invite|role|deactivate`: the team from the command line, through the services /team uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.config import get_settings
from accord.db import reset_engines, session_scope
from accord.users import invitations
from tests.cli.test_cli import accord, demo_dir  # noqa: F401  (fixture)


def test_an_invitation_link_is_printed_on_the_base_url_and_works(
    demo_dir: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = accord(demo_dir, "user", "invite", "quinn@northwind.example", "--role", "viewer")
    assert result.returncode == 0, result.stderr
    link = result.stdout.split()[-1]
    monkeypatch.setenv("ACCORD_DATA_DIR", str(demo_dir))
    get_settings.cache_clear()
    reset_engines()
    try:
        assert link.startswith(get_settings().base_url.rstrip("/") + "/invite/")
        with session_scope() as db:
            token = link.rsplit("/", 1)[1]
            user = invitations.accept_invitation(db, token=token, name="Quinn", password="quinn password")
            assert (user.email, user.role) == ("quinn@northwind.example", "viewer")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        reset_engines()


def test_role_and_deactivate_change_the_member(demo_dir: Path) -> None:  # noqa: F811
    assert accord(demo_dir, "user", "role", "sam@northwind.example", "agent").returncode == 0
    assert accord(demo_dir, "user", "deactivate", "sam@northwind.example").returncode == 0
    listing = accord(demo_dir, "user", "list", "--json").stdout
    assert '"email": "sam@northwind.example",\n    "role": "agent",\n    "active": false' in listing


def test_the_last_owner_cannot_be_demoted_from_the_cli(demo_dir: Path) -> None:  # noqa: F811
    result = accord(demo_dir, "user", "role", "owner@northwind.example", "viewer")
    assert result.returncode == 1 and result.stderr.startswith("Error: ") and "only owner" in result.stderr
