"""Rebuild `texts.jsonl`: real consumer complaint narratives (CFPB) for a transfer check of the threat heads.

Why: the legal / churn / review heads learnt only our own hand-written corpus; this set measures them on
text nobody here wrote (issue 18). It is evaluation only: never train, tune or choose anything on it.
The narratives are third-party text, so `texts.jsonl` stays out of git (`.gitignore`); only `labels.jsonl`
(our labels, keyed by id) is committed. Standard library only.

The source is one file of a pinned commit in a bare git mirror (`fetch github:sha-hsg/data`):

    python3 data/triage/real/rebuild.py --mirror-root /work/.mirror

Selection (fixed before any text was read, README "Selection"): eligible rows are English narratives of
MIN_WORDS..MAX_WORDS words; every row is ranked by sha256(SALT + id); the first HALF rows that match
THREAT_WORDS are taken, then the first HALF of the remaining eligible rows, whether they match or not,
ranked by a second salt (so that half is a plain random sample of the rest, not its non-matching head).
Prints the count, how many matched, and the sha256 of the file written.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

REPO = "sha-hsg+data"
COMMIT = "13053e5537162c39d4f208345b2f2af8afd34b29"
PATH = "Consumer_Complaints.csv"
BLOB_SHA256 = "1da0fe827bc4ebe11b5bb0dbab0c18fff2948e2d8f105bf80537a109dcadf02e"
TEXT_COLUMN = "Consumer complaint narrative"
SALT = "accord-issue18-real-v1:"
HALF = 120
MIN_WORDS, MAX_WORDS = 20, 300
# Broad threat vocabulary, fixed before reading: it pulls in likely positives *and* their look-alikes.
THREAT_WORDS = re.compile(
    r"\b(lawyers?|attorneys?|counsel|sue|sued|suing|lawsuits?|legal action|court|small claims|class action"
    r"|cfpb|consumer financial protection|bbb|better business bureau|ftc|regulators?|chargebacks?"
    r"|(?:close|closed|closing) (?:my|the|our|all) accounts?|cancel\w*|switch\w*|another bank|other bank"
    r"|take my business|never do business|reviews?|social media|facebook|twitter|yelp|news|media|press)\b",
    re.IGNORECASE,
)
COMMON = {"the", "and", "to", "i", "my", "a", "of", "was", "is", "that", "it", "in"}
OUT = Path(__file__).with_name("texts.jsonl")


def read_source(mirror_root: Path) -> bytes:
    """The pinned file's bytes from the bare mirror, checked against its known sha256."""
    git_dir = mirror_root / REPO / "repo"
    data = subprocess.run(
        ["git", "-C", str(git_dir), "show", f"{COMMIT}:{PATH}"], check=True, capture_output=True
    ).stdout
    digest = hashlib.sha256(data).hexdigest()
    if digest != BLOB_SHA256:
        sys.exit(f"unexpected source sha256 {digest}")
    return data


def english(text: str) -> bool:
    """Mostly Latin letters and several common English words: enough for these narratives."""
    letters = [c for c in text if c.isalpha()]
    ascii_share = sum(c.isascii() for c in letters) / max(len(letters), 1)
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
    return ascii_share > 0.98 and len(words & COMMON) >= 4


def eligible(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    out = []
    for row in rows:
        text = (row.get(TEXT_COLUMN) or "").strip()
        n = len(text.split())
        if MIN_WORDS <= n <= MAX_WORDS and english(text):
            out.append({"id": f"cfpb-{row[''].strip()}", "product": row["Product"], "text": text})
    return out


def rank(row: dict[str, str], pool: str = "") -> str:
    return hashlib.sha256((SALT + pool + row["id"]).encode()).hexdigest()


def select(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """HALF rows matching THREAT_WORDS, then HALF more from the rest, each in its own salted-hash order."""
    ordered = sorted(rows, key=rank)
    matched = [r for r in ordered if THREAT_WORDS.search(r["text"])][:HALF]
    taken = {r["id"] for r in matched}
    rest = sorted((r for r in rows if r["id"] not in taken), key=lambda r: rank(r, "random:"))[:HALF]
    for r in matched:
        r["pool"] = "threat_words"
    for r in rest:
        r["pool"] = "random"
    return sorted(matched + rest, key=rank)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mirror-root", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args()
    data = read_source(a.mirror_root).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    chosen = select(eligible(rows))
    body = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in chosen).encode()
    tmp = a.out.with_suffix(".tmp")
    tmp.write_bytes(body)
    tmp.replace(a.out)
    hits = sum(bool(THREAT_WORDS.search(r["text"])) for r in chosen)
    print(f"{len(chosen)} rows from {len(rows)} ({hits} match THREAT_WORDS) -> {a.out}")
    print(f"sha256 {hashlib.sha256(body).hexdigest()}")


if __name__ == "__main__":
    main()
