"""What changed between two playbook versions, in lines a team lead can read (P2)."""

from __future__ import annotations

from typing import Any

from accord.playbook.definition import Playbook
from accord.playbook.export import human_duration


def _by_id(items: list[Any]) -> dict[str, Any]:
    return {item.id: item for item in items}


def _keyed_changes(what: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    lines = [f"+ {what} {key}" for key in new if key not in old]
    lines += [f"- {what} {key}" for key in old if key not in new]
    lines += [
        f"~ {what} {key}: {', '.join(_changed_fields(old[key], new[key]))}"
        for key in old
        if key in new and old[key] != new[key]
    ]
    return lines


def _changed_fields(old: Any, new: Any) -> list[str]:
    if hasattr(old, "model_dump"):
        a, b = old.model_dump(), new.model_dump()
        return [name for name in a if a[name] != b.get(name)]
    return ["changed"]


def _sla_changes(a: Playbook, b: Playbook) -> list[str]:
    lines = []
    for sev in sorted(a.sla):
        old, new = a.sla[sev], b.sla.get(sev)
        if new is None or old == new:
            continue
        for name in ("acknowledge_within", "update_every", "resolve_within"):
            before, after = getattr(old, name), getattr(new, name)
            if before != after:
                lines.append(f"~ severity {sev} {name}: {human_duration(before)} -> {human_duration(after)}")
    return lines


def diff_playbooks(a: Playbook, b: Playbook) -> list[str]:
    """'+' added, '-' removed, '~' changed: versions, categories, SLAs, steps, solutions, templates."""
    lines = []
    if a.version != b.version:
        lines.append(f"~ version: {a.version} -> {b.version}")
    lines += [f"+ category {c}" for c in b.categories if c not in a.categories]
    lines += [f"- category {c}" for c in a.categories if c not in b.categories]
    lines += _sla_changes(a, b)
    if a.follow_up_delay != b.follow_up_delay:
        lines.append(
            f"~ follow-up delay: {human_duration(a.follow_up_delay)} -> {human_duration(b.follow_up_delay)}"
        )
    lines += _keyed_changes("step", _by_id(a.steps), _by_id(b.steps))
    sols_a = _by_id([s for group in a.solutions.values() for s in group])
    sols_b = _by_id([s for group in b.solutions.values() for s in group])
    lines += _keyed_changes("solution", sols_a, sols_b)
    lines += _keyed_changes("template", dict(a.templates), dict(b.templates))
    return lines
