"""The house is one-way (DESIGN.md, issue 15): layers in order, no loops, no hidden imports.

Read from the source with `ast`, so a broken rule fails here with the file and line that break it:
- every module belongs to one unit (base, a domain, a wiring module, a surface) and imports only units
  ranked below its own (a domain never imports one above it, api and web never import each other);
- no import loop between any two modules;
- imports of `accord` sit at the top of the file; inside a function only in ALLOWED_LAZY, each a heavy
  optional dependency or a module with import-time side effects, with the reason written there too;
- no lookups of accord modules by name (`importlib.import_module`, `__import__`, `sys.modules`) and
  no `try: import` of an accord module;
- the run time (the web app, the CLI, triage of a message) never imports torch or scikit-learn.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import accord

SRC = Path(accord.__file__).resolve().parent.parent
PACKAGES = ("accord", "accord_training")

# Ranks, from the bottom up. Units of equal rank may not import each other.
BASE = {
    "accord": 0,  # the package itself: its version
    "accord.errors": 0,
    "accord.clock": 0,
    "accord.config": 0,
    "accord.text": 1,  # clean_text raises errors.Invalid
    "accord.db": 1,  # aware timestamps from clock, the URL from config
    "accord.migrate": 1,
    "accord.scratch": 0,  # throwaway PostgreSQL databases for tests and benchmarks; imports no accord
}
DOMAINS = (
    "users",
    "clients",
    "notify",
    "playbook",
    "cases",
    "intake",
    "search",  # full-text search over case titles (cases) and message text (intake)
    "triage",
    "offers",
    "cadence",
    "coach",
    "insights",
)
RANKS: dict[str, int] = dict(BASE)
RANKS.update({f"accord.{name}": 2 + i for i, name in enumerate(DOMAINS)})
TOP = len(DOMAINS) + 2
RANKS.update(
    {
        "accord.tables": TOP,  # every domain's models, for Alembic and backup
        "accord.setup": TOP + 1,  # wiring: use the domains' services, called by the surfaces
        "accord.demo": TOP + 1,
        "accord.backup": TOP + 1,
        "accord.jobs": TOP + 1,
        "accord.http": TOP + 2,  # request code the web pages and the API share
        "accord.ops": TOP + 2,  # health, readiness, metrics, doctor: read the domains' tables and the queue
        "accord.api": TOP + 3,
        "accord.web": TOP + 3,
        "accord.cli": TOP + 3,
        "accord.app": TOP + 4,
        "accord.__main__": TOP + 5,
        "accord_training": TOP + 6,  # rebuilds triage's artifacts; never imported at run time
    }
)

# (module, imported module) -> why it may load lazily, inside a function.
ALLOWED_LAZY = {
    ("accord.cli.triage", "accord_training.training"): "heavy optional dependency: torch, scikit-learn",
    ("accord.cli.triage", "accord.triage.engine"): "heavy: numpy, scipy, VADER; other commands start fast",
    ("accord.cli.ops", "accord.jobs.worker"): "import-time side effect: the queue opens its storage",
}


@dataclass(frozen=True)
class Edge:
    """One import of an accord module, where it sits and whether it is inside a function."""

    source: str
    target: str
    line: int
    lazy: bool
    in_try: bool


def module_name(path: Path) -> str:
    """accord/cases/service.py -> accord.cases.service; accord/demo/__init__.py -> accord.demo."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> dict[str, Path]:
    """Every module of the runtime and training packages, by dotted name."""
    return {module_name(p): p for package in PACKAGES for p in sorted((SRC / package).rglob("*.py"))}


def unit_of(module: str) -> str:
    """The longest ranked prefix: accord.cases.steps -> accord.cases; accord.db -> accord.db."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        if end == 1 and parts[0] == "accord" and len(parts) > 1:
            break  # `accord` alone is the package only: accord.new_module needs a place of its own
        prefix = ".".join(parts[:end])
        if prefix in RANKS:
            return prefix
    raise AssertionError(f"{module} belongs to no unit: add it to RANKS in {__file__}")


def _targets(node: ast.Import | ast.ImportFrom, known: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        raise AssertionError(f"relative import at line {node.lineno}: write `from accord...`")
    # `from accord.cases import steps` imports the module accord.cases.steps when there is one
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]


def _walk(node: ast.AST, lazy: bool, in_try: bool) -> Iterator[tuple[ast.AST, bool, bool]]:
    for child in ast.iter_child_nodes(node):
        yield child, lazy, in_try
        child_lazy = lazy or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        yield from _walk(child, child_lazy, in_try or isinstance(child, ast.Try))


def edges_of(module: str, path: Path, known: dict[str, Path]) -> list[Edge]:
    """The imports of accord modules in one file."""
    out = []
    for node, lazy, in_try in _walk(ast.parse(path.read_text(encoding="utf-8")), False, False):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for target in _targets(node, known):
                if target.split(".")[0] in PACKAGES:
                    out.append(Edge(module, target, node.lineno, lazy, in_try))
    return out


def all_edges() -> list[Edge]:
    """Every accord import in the source tree."""
    known = source_files()
    return [edge for module, path in known.items() for edge in edges_of(module, path, known)]


def test_every_module_has_a_place_in_the_order() -> None:
    assert [m for m in source_files() if m.split(".")[0] == "accord" and not _ranked(m)] == []


def _ranked(module: str) -> bool:
    try:
        unit_of(module)
    except AssertionError:
        return False
    return True


def test_no_upward_or_sideways_import() -> None:
    """A unit imports only units ranked below it (DESIGN.md's domain order; surfaces on top)."""
    bad = []
    for e in all_edges():
        src, dst = unit_of(e.source), unit_of(e.target)
        if src != dst and RANKS[dst] >= RANKS[src] and (e.source, e.target) not in ALLOWED_LAZY:
            bad.append(f"{e.source}:{e.line} imports {e.target} ({src} may not use {dst})")
    assert bad == []


def test_no_import_loops() -> None:
    """No two modules import each other, directly or round a longer loop (lazy imports count too)."""
    graph: dict[str, set[str]] = {}
    for e in all_edges():
        if e.source != e.target:
            graph.setdefault(e.source, set()).add(e.target)
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise AssertionError(f"import loop: {' -> '.join(exc.args[1])}") from None


def test_accord_imports_sit_at_the_top_of_the_file() -> None:
    """Inside a function only what ALLOWED_LAZY names, and the line says why."""
    known = source_files()
    bad = []
    for e in all_edges():
        if not e.lazy:
            continue
        if (e.source, e.target) not in ALLOWED_LAZY:
            bad.append(f"{e.source}:{e.line} imports {e.target} inside a function")
        elif "#" not in known[e.source].read_text(encoding="utf-8").splitlines()[e.line - 1]:
            bad.append(f"{e.source}:{e.line}: a lazy import needs a comment saying why")
    assert bad == []


def test_no_try_import_of_accord_modules() -> None:
    """A domain is there or the install is broken: no `try: import accord...` / `except ImportError`."""
    bad = [f"{e.source}:{e.line} imports {e.target} inside try" for e in all_edges() if e.in_try]
    assert bad == []


def _lookups(tree: ast.AST) -> Iterator[int]:
    """Lines that fetch a module by name, unless the name is a fixed string outside accord."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _callee(node.func) in ("import_module", "__import__"):
            first = node.args[0] if node.args else None
            fixed = isinstance(first, ast.Constant) and isinstance(first.value, str)
            if not fixed or str(first.value).split(".")[0] in PACKAGES:  # type: ignore[union-attr]
                yield node.lineno
        elif isinstance(node, ast.Attribute) and node.attr == "modules" and _named(node.value, "sys"):
            yield node.lineno


def _callee(func: ast.AST) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _named(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def test_no_module_lookups_by_name() -> None:
    """No `importlib.import_module`, `__import__` or `sys.modules`: every dependency is a visible import."""
    bad = [
        f"{module}:{line}"
        for module, path in source_files().items()
        for line in _lookups(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert bad == []


RUNTIME_PROBE = """
import json, sys
from accord.app import create_app
from accord.cli.main import app as cli
from accord.triage.engine import triage
create_app()
result = triage("You charged us twice and nobody answers. Refund it this week or we go to our lawyer.")
assert result.severity >= 1, result
heavy = ("torch", "sklearn", "accord_training")
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in heavy)))
"""


def test_the_run_time_never_imports_torch_or_scikit_learn(tmp_path: Path) -> None:
    """The web app, the CLI and triaging a message load neither, nor the training package."""
    env = {**os.environ, "ACCORD_DATA_DIR": str(tmp_path), "ACCORD_ENV": "test"}
    env.pop("ACCORD_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", RUNTIME_PROBE], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
