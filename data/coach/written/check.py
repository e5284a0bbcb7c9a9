"""Check the hand-written coach replies (data/coach/written/*.jsonl) and print their counts.

Usage: python3 data/coach/written/check.py [file ...]  (default: every replies_*.jsonl here)
"""

import collections
import json
import re
import sys
from pathlib import Path

FAMILIES = [
    "non_apology",
    "double_talk",
    "evasive_passive",
    "blame_or_excuse",
    "condescension",
    "hedging",
    "missing_next_step",
]
REGISTERS = ["social", "app_store", "hotel", "email", "chat", "trades"]


def check(path: Path) -> None:
    ids: set[str] = set()
    texts: set[str] = set()
    table: collections.Counter[tuple[str, str]] = collections.Counter()
    registers: collections.Counter[str] = collections.Counter()
    n_labels: collections.Counter[int] = collections.Counter()
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        row = json.loads(line)
        where = f"{path.name}:{line_no}"
        assert set(row) == {"id", "text", "context", "labels", "register"}, where
        assert re.fullmatch(r"w\d+-\d{3}", row["id"]), where
        assert row["id"] not in ids, f"{where}: duplicate id {row['id']}"
        assert row["text"].strip() and row["context"].strip(), f"{where}: empty text/context"
        assert row["text"] not in texts, f"{where}: duplicate text"
        assert row["register"] in REGISTERS, f"{where}: register {row['register']}"
        labels = row["labels"]
        assert isinstance(labels, list) and len(set(labels)) == len(labels), where
        assert set(labels) <= set(FAMILIES), f"{where}: unknown family {labels}"
        ids.add(row["id"])
        texts.add(row["text"])
        registers[row["register"]] += 1
        n_labels[len(labels)] += 1
        for family in labels or ["(clean)"]:
            table[(family, row["register"])] += 1
    print(f"{path.name}: {len(ids)} rows, ids unique, families known, text/context non-empty")
    print("| family | " + " | ".join(REGISTERS) + " | total |")
    for family in [*FAMILIES, "(clean)"]:
        cells = [table[(family, r)] for r in REGISTERS]
        print(f"| {family} | " + " | ".join(map(str, cells)) + f" | {sum(cells)} |")
    print("| rows | " + " | ".join(str(registers[r]) for r in REGISTERS) + f" | {len(ids)} |")
    print("labels per row:", dict(sorted(n_labels.items())))


def main() -> None:
    here = Path(__file__).resolve().parent
    paths = [Path(p) for p in sys.argv[1:]] or sorted(here.glob("replies_*.jsonl"))
    for path in paths:
        check(path)


if __name__ == "__main__":
    main()
