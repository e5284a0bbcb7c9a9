"""Append the hand-written batches in this folder to ../threats.jsonl (standard library only).

Each batch line is `flags|kind|register|business|text`: flags are the legal, churn and review digits
(e.g. 011), kind P (positive), H (hard negative) or N (plain). A literal `\\n` in the text is a line break
(multi-paragraph emails fit on one batch line). Rows whose text is already in the file
(case and spacing ignored) are skipped, so running it twice changes nothing. Exit 1 on a malformed line
or a kind that contradicts the flags.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE.parent / "threats.jsonl"
KINDS = {"P": "positive", "H": "hard_negative", "N": "plain"}
REGISTERS = {"email", "chat", "call_note", "review", "sms", "form"}


def key(text: str) -> str:
    return " ".join(text.lower().split())


def parse(line: str, where: str) -> dict[str, object]:
    flags, kind, register, business, text = line.split("|", 4)
    if len(flags) != 3 or set(flags) - {"0", "1"} or kind not in KINDS or register not in REGISTERS:
        raise ValueError(f"{where}: malformed line")
    if (kind == "P") != ("1" in flags):
        raise ValueError(f"{where}: kind {kind} contradicts flags {flags}")
    legal, churn, review = (int(c) for c in flags)
    row = {"text": text.strip().replace("\\n", "\n"), "legal": legal, "churn": churn, "review": review}
    return {**row, "register": register, "business": business, "kind": KINDS[kind]}


def main() -> int:
    lines = TARGET.read_text(encoding="utf-8").splitlines()
    seen = {key(json.loads(x)["text"]) for x in lines if x.strip()}
    added = []
    for batch in sorted(HERE.glob("threats_*.txt")):
        for n, line in enumerate(batch.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            try:
                row = parse(line, f"{batch.name}:{n}")
            except ValueError as exc:
                print(exc, file=sys.stderr)
                return 1
            if key(str(row["text"])) not in seen:
                seen.add(key(str(row["text"])))
                added.append(json.dumps(row, ensure_ascii=False))
    if added:
        TARGET.write_text("\n".join(lines + added) + "\n", encoding="utf-8")
    print(f"appended {len(added)} rows; {len(lines) + len(added)} in {TARGET.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
