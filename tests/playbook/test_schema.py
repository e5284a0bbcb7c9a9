"""Playbook validation (P2): broken playbooks are refused with the line and the field named."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from accord.errors import Invalid
from accord.playbook.loader import default_playbook, load_file, parse_playbook


def _line_of(text: str, needle: str) -> int:
    return text.splitlines().index(needle) + 1


def _problems(source: str) -> str:
    with pytest.raises(Invalid) as info:
        parse_playbook(source, source_name="team.yaml")
    return info.value.message


def test_default_playbook_is_valid_and_has_the_promised_targets() -> None:
    playbook = default_playbook()
    assert playbook.categories[:3] == ["billing", "delay", "quality"]
    assert playbook.sla_for(4).acknowledge_within == timedelta(hours=1)
    assert playbook.sla_for(9) == playbook.sla_for(4)  # clamped
    assert playbook.follow_up_delay == timedelta(days=14)
    assert playbook.ownership.roles_for(3) == ["owner"]
    assert set(playbook.templates) == {
        "acknowledge",
        "update",
        "solution",
        "mistake",
        "firm",
        "confirm_request",
        "follow_up",
    }


def test_missing_step_id_names_the_line_and_field(default_yaml: str) -> None:
    broken = default_yaml.replace("  - id: listen\n", "  - ident: listen\n")
    message = _problems(broken)
    line = _line_of(broken, "  - ident: listen")
    assert f"team.yaml, line {line}, field steps[" in message
    assert ".id: Field required" in message


def test_duplicate_step_ids_are_refused(default_yaml: str) -> None:
    broken = default_yaml.replace("  - id: show_empathy\n", "  - id: listen\n")
    assert "step ids must be unique; repeated: listen" in _problems(broken)


def test_solutions_for_unknown_categories_are_refused(default_yaml: str) -> None:
    broken = default_yaml.replace(
        "\n  conduct:\n    - id: conduct_new_contact", "\n  rudeness:\n    - id: conduct_new_contact"
    )
    assert "solutions name unknown categories: rudeness" in _problems(broken)


def test_negative_limit_names_its_line(default_yaml: str) -> None:
    broken = default_yaml.replace("      limit: 15\n", "      limit: -15\n")
    message = _problems(broken)
    assert f"line {_line_of(broken, '      limit: -15')}, field solutions.billing[0].limit" in message
    assert "greater than or equal to 0" in message


def test_bad_yaml_names_the_line() -> None:
    message = _problems("version: '1'\nsteps: [\n  - id: x\n")
    assert "team.yaml, line" in message and "not valid YAML" in message


def test_bad_duration_and_unknown_placeholder_are_explained(default_yaml: str) -> None:
    broken = default_yaml.replace("acknowledge_within: 1h", "acknowledge_within: soon").replace(
        "{concern}. I can see", "{complaint}. I can see"
    )
    message = _problems(broken)
    assert "'soon' is not a duration like 30m, 4h, 2d or 1w" in message
    assert "unknown placeholder(s) ['complaint']" in message


def test_unknown_field_is_a_typo_not_ignored(default_yaml: str) -> None:
    broken = default_yaml.replace("follow_up_delay: 14d", "follow_up_dealy: 14d")
    assert "field follow_up_dealy: Extra inputs are not permitted" in _problems(broken)


def test_extension_adds_a_step_and_overrides_targets(tmp_path: Path) -> None:
    path = tmp_path / "ours.yaml"
    path.write_text(
        "extends: default\nversion: acme-3\nfollow_up_delay: 7d\n"
        "steps:\n  - id: call_account_manager\n    title: Tell the account manager\n"
        "    phase: intake\n    guidance: Ring them within the hour.\n"
        "  - id: listen\n    title: Listen first\n    phase: conversation\n    guidance: Say nothing yet.\n",
        encoding="utf-8",
    )
    playbook = load_file(path)
    assert playbook.version == "acme-3"
    assert playbook.follow_up_delay == timedelta(days=7)
    assert playbook.steps[-1].id == "call_account_manager"
    assert playbook.step("listen") is not None and playbook.step("listen").title == "Listen first"  # type: ignore[union-attr]
    assert len(playbook.steps) == len(default_playbook().steps) + 1


def test_reply_templates_are_plain_and_apologise_only_for_our_mistakes() -> None:
    """P16, P17, P22: a next step with a time in every template; 'sorry' only in the mistake one."""
    templates = default_playbook().templates
    for purpose, text in templates.items():
        assert "{client_name}" in text and "{next_update}" in text, purpose
        assert ("sorry" in text.lower()) is (purpose == "mistake"), purpose
        for hedge in ("apparently", "going forward", "leverage", "per our policy", "unfortunately"):
            assert hedge not in text.lower(), (purpose, hedge)


def test_settings_playbook_path_replaces_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.config import get_settings
    from accord.playbook.service import active_playbook

    path = tmp_path / "team.yaml"
    path.write_text("extends: default\nversion: team-7\n", encoding="utf-8")
    monkeypatch.setenv("ACCORD_PLAYBOOK_PATH", str(path))
    get_settings.cache_clear()
    try:
        assert active_playbook().version == "team-7"
    finally:
        monkeypatch.delenv("ACCORD_PLAYBOOK_PATH")
        get_settings.cache_clear()
