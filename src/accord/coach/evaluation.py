"""How well the coach agrees with a careful editor on a labelled file (issue 19; P13, P14, P16, P17).

Rows are JSON lines `{"text": ..., "expect": [family, ...], "context": ...}`; `context` is optional: the
client's message the reply answers (a string), or an object with `client_message`, `fault` and
`legal_review`. A family counts as found when the coach gives it at `warn` or `block`: what a user is
asked to act on. Clean rows (empty `expect`) measure false alarms.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from accord.coach.composer import extract_concern
from accord.coach.findings import FAULTS, CaseContext, Finding
from accord.coach.judge import COMPLETENESS, LANGUAGE
from accord.coach.rules import check_reply
from accord.errors import Invalid

FAMILIES = LANGUAGE + COMPLETENESS
ACTED_ON = ("warn", "block")
MAX_ROWS = 100_000


@dataclass(frozen=True)
class Row:
    """One labelled reply."""

    text: str
    expect: frozenset[str]
    context: CaseContext | None


def _context(raw: Any, line: int) -> CaseContext | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        return CaseContext(client_message=raw, concern=extract_concern(raw))
    if isinstance(raw, dict):
        message = str(raw.get("client_message") or "")
        fault = str(raw.get("fault") or "unknown")
        if fault not in FAULTS:
            raise Invalid(f"Line {line}: fault must be one of {', '.join(FAULTS)}.")
        legal = str(raw.get("legal_review") or "not_needed")
        return CaseContext(
            fault=fault, legal_review=legal, client_message=message, concern=extract_concern(message)
        )
    raise Invalid(f"Line {line}: 'context' must be the client's message or an object.")


def parse_row(raw_line: str, line: int) -> Row:
    """One JSON line as a Row; a clear error naming the line when it is not one."""
    try:
        data = json.loads(raw_line)
    except json.JSONDecodeError as exc:
        raise Invalid(f"Line {line}: not JSON ({exc.msg}).") from exc
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise Invalid(f"Line {line}: each row needs a 'text' string.")
    expect = data.get("expect", [])
    if not isinstance(expect, list) or not all(isinstance(x, str) for x in expect):
        raise Invalid(f"Line {line}: 'expect' must be a list of family names.")
    return Row(data["text"], frozenset(expect), _context(data.get("context"), line))


def parse_rows(lines: Iterable[str]) -> list[Row]:
    """Rows of a JSON-lines file, blank lines skipped."""
    rows = [parse_row(text, i) for i, text in enumerate(lines, start=1) if text.strip()]
    if not rows:
        raise Invalid("The file has no rows.")
    if len(rows) > MAX_ROWS:
        raise Invalid(f"The file has {len(rows)} rows; at most {MAX_ROWS} are evaluated at once.")
    return rows


@dataclass
class Tally:
    """Counts for one family."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    clean_alarms: int = 0

    def report(self, clean: int) -> dict[str, Any]:
        found = self.tp + self.fp
        return {
            "support": self.tp + self.fn,
            "recall": round(self.tp / (self.tp + self.fn), 3) if self.tp + self.fn else None,
            "precision": round(self.tp / found, 3) if found else None,
            "clean_false_alarm_rate": round(self.clean_alarms / clean, 3) if clean else None,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


Checker = Callable[[Row], list[Finding]]


def default_checker(row: Row) -> list[Finding]:
    """The shipped coach on a row, as a whole reply."""
    return check_reply(row.text, case_context=row.context, whole_reply=True)


def evaluate(rows: list[Row], *, checker: Checker = default_checker) -> dict[str, Any]:
    """Per-family recall, precision and false alarms on clean rows, plus any-family false alarms."""
    families = list(FAMILIES) + sorted({f for r in rows for f in r.expect} - set(FAMILIES))
    tallies = {f: Tally() for f in families}
    clean = sum(1 for r in rows if not r.expect)
    clean_any = 0
    for row in rows:
        fired = {f.rule for f in checker(row) if f.severity in ACTED_ON} & set(families)
        for family in families:
            _count(tallies[family], family in fired, family in row.expect, not row.expect)
        clean_any += int(not row.expect and bool(fired))
    return {
        "rows": len(rows),
        "clean_rows": clean,
        "clean_any_false_alarm_rate": round(clean_any / clean, 3) if clean else None,
        "families": {f: tallies[f].report(clean) for f in families},
    }


def _count(tally: Tally, fired: bool, expected: bool, clean: bool) -> None:
    tally.tp += int(fired and expected)
    tally.fp += int(fired and not expected)
    tally.fn += int(expected and not fired)
    tally.clean_alarms += int(fired and clean)
