"""Fixtures for case tests: the default playbook's YAML text (the steps tests install a changed copy)."""

from __future__ import annotations

import pytest

from accord.playbook.loader import DEFAULT_PATH


@pytest.fixture(scope="session")
def default_yaml() -> str:
    """The shipped default playbook as text."""
    return DEFAULT_PATH.read_text(encoding="utf-8")
