#!/usr/bin/env python3
"""Validate probe.jsonl (hand-written held-out triage probe) and print its counts.

Usage: python3 check.py [path]   (default: probe.jsonl next to this script)
Exits non-zero if any row is malformed.
"""

import json
import os
import sys
from collections import Counter

FIELDS = ["id", "text", "legal", "churn", "review", "register", "business", "length"]
FLAGS = ["legal", "churn", "review"]
REGISTERS = {"email", "chat", "sms", "call_note", "form", "review"}
LENGTHS = {"short", "medium", "long"}
BUSINESSES = {
    "agency",
    "hosting",
    "saas",
    "trades",
    "accountant",
    "clinic",
    "cafe",
    "salon",
    "property",
    "photographer",
    "tutor",
    "it_support",
    "venue",
    "cleaner",
    "consultant",
    "law_firm",
    "gym",
    "shop",
}


def row_errors(n: int, r: dict) -> list[str]:
    """What is wrong with one parsed row (empty when it is well formed)."""
    missing = [k for k in FIELDS if k not in r]
    extra = [k for k in r if k not in FIELDS]
    out = [f"line {n}: missing fields {missing}"] if missing else []
    out += [f"line {n}: unexpected fields {extra}"] if extra else []
    if missing:
        return out
    where = f"line {n} ({r['id']})"
    out += [
        f"{where}: {k} must be 0 or 1, got {r[k]!r}"
        for k in FLAGS
        if r[k] not in (0, 1) or isinstance(r[k], bool)
    ]
    if not isinstance(r["text"], str) or not r["text"].strip():
        out.append(f"{where}: empty text")
    for field, allowed in (("register", REGISTERS), ("length", LENGTHS), ("business", BUSINESSES)):
        if r[field] not in allowed:
            out.append(f"{where}: bad {field} {r[field]!r}")
    return out


def soft_warnings(r: dict) -> list[str]:
    """Length bands that do not look like their name (not errors)."""
    w = len(str(r["text"]).split())
    out = []
    if r["length"] == "long" and not (120 <= w <= 350):
        out.append(f"{r['id']}: long but {w} words")
    if r["length"] == "long" and "\n\n" not in r["text"]:
        out.append(f"{r['id']}: long but no paragraph breaks")
    if r["length"] == "short" and w > 50:
        out.append(f"{r['id']}: short but {w} words")
    return out


def read(path: str) -> tuple[list[dict], list[str], list[str]]:
    """Rows, errors and warnings of the file."""
    errors, warnings, rows, ids = [], [], [], set()
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"line {n}: bad JSON ({e})")
                continue
            found = row_errors(n, r)
            errors += found
            if "id" in r and r["id"] in ids:
                errors.append(f"line {n}: duplicate id {r['id']}")
            ids.add(r.get("id"))
            if not found:
                warnings += soft_warnings(r)
                rows.append(r)
    return rows, errors, warnings


def report(path: str, rows: list[dict]) -> None:
    n = len(rows)
    print(f"file: {path}")
    print(f"rows: {n}")
    for k in FLAGS:
        print(f"  {k:7s} positive: {sum(r[k] for r in rows)}")
    none = sum(1 for r in rows if not any(r[k] for k in FLAGS))
    print(f"  no threat (all 0): {none}")
    print(f"  any threat: {n - none}")
    print(f"  two or more flags: {sum(1 for r in rows if sum(r[k] for k in FLAGS) >= 2)}")
    combo = Counter("+".join(k for k in FLAGS if r[k]) or "none" for r in rows)
    print("flag combinations:", dict(sorted(combo.items())))
    for field in ["length", "register", "business"]:
        c = Counter(r[field] for r in rows)
        print(
            f"per {field}:", ", ".join(f"{k} {v}" for k, v in sorted(c.items(), key=lambda x: (-x[1], x[0])))
        )
    words = [len(r["text"].split()) for r in rows if r["length"] == "long"]
    if words:
        print(f"long rows: words min {min(words)}, max {max(words)}, mean {sum(words) / len(words):.0f}")


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "probe.jsonl")
    rows, errors, warnings = read(path)
    report(path, rows)
    for w in warnings:
        print("WARNING:", w)
    for e in errors:
        print("ERROR:", e)
    if errors:
        print(f"FAILED: {len(errors)} error(s)")
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
