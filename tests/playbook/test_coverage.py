"""Every process rule P1-P24 is visible in the default playbook or in the code (the process's promise)."""

from __future__ import annotations

import re
from pathlib import Path

from accord.playbook.loader import DEFAULT_PATH, default_playbook

SRC = Path(__file__).resolve().parents[2] / "src" / "accord"


def _cited(text: str) -> set[str]:
    return {f"P{n}" for n in re.findall(r"\bP(\d{1,2})\b", text) if 1 <= int(n) <= 24}


def test_every_rule_is_referenced_by_the_playbook_or_the_code() -> None:
    cited = _cited(DEFAULT_PATH.read_text(encoding="utf-8"))
    for path in SRC.rglob("*.py"):
        cited |= _cited(path.read_text(encoding="utf-8"))
    missing = sorted({f"P{n}" for n in range(1, 25)} - cited, key=lambda p: int(p[1:]))
    assert missing == []


def test_resolution_and_follow_through_rules_are_playbook_steps() -> None:
    """P19-P24 must be steps a case actually walks, not only comments."""
    assert {f"P{n}" for n in range(19, 25)} <= default_playbook().rule_ids()


def test_every_category_with_common_complaints_has_a_pre_approved_solution() -> None:
    """P19: ready-made, limited remedies, short and long term."""
    playbook = default_playbook()
    assert {"billing", "delay", "quality", "outage"} <= set(playbook.solutions)
    terms = {s.term for group in playbook.solutions.values() for s in group}
    assert terms == {"short", "long"}
