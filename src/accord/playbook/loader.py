"""Read playbook YAML into a validated Playbook; errors name the line and the field (P2)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from accord.errors import Invalid
from accord.playbook.definition import Playbook

DEFAULT_PATH = Path(__file__).with_name("default.yaml")
MAX_SOURCE_CHARS = 500_000
_MERGED_BY_ID = ("steps",)


def _node_at(node: yaml.Node | None, loc: tuple[Any, ...]) -> yaml.Node | None:
    """Follow a pydantic error location through the YAML node tree as far as it goes."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if str(k.value) == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        else:
            child = None
        if child is None:
            return node
        node = child
    return node


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if not str(p).startswith(("function-", "constrained-"))]
    text = ""
    for part in parts:
        text += f"[{part}]" if part.isdigit() else (f".{part}" if text else part)
    return text or "(top level)"


def _describe(exc: ValidationError, root: yaml.Node | None, source_name: str) -> list[str]:
    lines = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        node = _node_at(root, loc)
        line = node.start_mark.line + 1 if node is not None else 1
        message = str(err["msg"]).removeprefix("Value error, ")
        lines.append(f"{source_name}, line {line}, field {_field(loc)}: {message}")
    return lines


def _parse_yaml(source: str, source_name: str) -> tuple[Any, yaml.Node | None]:
    if len(source) > MAX_SOURCE_CHARS:
        raise Invalid(f"{source_name} is larger than {MAX_SOURCE_CHARS} characters.")
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise Invalid(f"{source_name}{where}: not valid YAML ({problem}).", code="bad_playbook") from exc
    if not isinstance(data, dict):
        raise Invalid(f"{source_name}, line 1: a playbook is a mapping of fields.", code="bad_playbook")
    return data, root


def merge(base: dict[str, Any], extension: dict[str, Any]) -> dict[str, Any]:
    """Lay an extension over a base: steps replace by id or append, solutions merge by category."""
    merged = dict(base)
    for key, value in extension.items():
        if key == "extends":
            continue
        if key in _MERGED_BY_ID and isinstance(value, list):
            by_id = {s.get("id"): s for s in merged.get(key, []) if isinstance(s, dict)}
            order = list(by_id)
            for item in value:
                item_id = item.get("id") if isinstance(item, dict) else None
                if item_id not in by_id:
                    order.append(item_id)
                by_id[item_id] = item
            merged[key] = [by_id[i] for i in order]
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def parse_playbook(source: str, *, source_name: str = "playbook") -> Playbook:
    """Validate YAML text; `extends: default` lays it over the default playbook."""
    data, root = _parse_yaml(source, source_name)
    if data.get("extends") not in (None, "default"):
        raise Invalid(f"{source_name}: 'extends' may only be 'default'.", code="bad_playbook")
    if data.get("extends") == "default":
        data = merge(_default_data(), data)
    try:
        return Playbook.model_validate(data)
    except ValidationError as exc:
        problems = _describe(exc, root, source_name)
        raise Invalid(
            "The playbook is not valid:\n- " + "\n- ".join(problems),
            code="bad_playbook",
            detail={"problems": problems},
        ) from exc


def load_file(path: Path) -> Playbook:
    """Read and validate a playbook file."""
    try:
        source = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid(f"Cannot read playbook {path}: {exc}.") from exc
    return parse_playbook(source, source_name=str(path))


@lru_cache(maxsize=1)
def _default_data() -> dict[str, Any]:
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@lru_cache(maxsize=1)
def default_playbook() -> Playbook:
    """The playbook Accord ships with (parsed once)."""
    return load_file(DEFAULT_PATH)


@lru_cache(maxsize=32)
def cached_parse(source: str) -> Playbook:
    """Parse a stored workspace playbook once per distinct text."""
    return parse_playbook(source, source_name="workspace playbook")


@lru_cache(maxsize=8)
def cached_file(path: str, mtime: float) -> Playbook:
    """ACCORD_PLAYBOOK_PATH, parsed again only when the file changes."""
    return load_file(Path(path))
