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

Second output, `train_texts.jsonl` (README "Training rows", also git-ignored): TRAINING rows for the
heads, never any of the eval ids above. Same eligibility but up to TRAIN_MAX_WORDS words, ranked by a
new salt (TRAIN_SALT); TRAIN_HALF rows matching THREAT_WORDS, then TRAIN_HALF of the rest. Building
it does not change `texts.jsonl` (same bytes, same sha256).
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
# Training rows (README "Training rows"): disjoint from the eval rows above, own salt, longer texts allowed.
TRAIN_SALT = "accord-issue18-real-train-v1:"
TRAIN_HALF = 200
TRAIN_MAX_WORDS = 400
TRAIN_OUT = Path(__file__).with_name("train_texts.jsonl")


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


def eligible(rows: list[dict[str, str]], max_words: int = MAX_WORDS) -> list[dict[str, str]]:
    out = []
    for row in rows:
        text = (row.get(TEXT_COLUMN) or "").strip()
        n = len(text.split())
        if MIN_WORDS <= n <= max_words and english(text):
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


def train_rank(row: dict[str, str], pool: str = "") -> str:
    return hashlib.sha256((TRAIN_SALT + pool + row["id"]).encode()).hexdigest()


def select_train(rows: list[dict[str, str]], eval_ids: set[str]) -> list[dict[str, str]]:
    """Training rows: never an eval id; TRAIN_HALF matching THREAT_WORDS, TRAIN_HALF of the rest, new salt.

    Why a new salt and an explicit exclusion: the eval set must stay untouched by training (issue 18),
    and a fresh hash order keeps this choice independent of how the eval rows were drawn.
    """
    pool = [r for r in rows if r["id"] not in eval_ids]
    ordered = sorted(pool, key=train_rank)
    matched = [r for r in ordered if THREAT_WORDS.search(r["text"])][:TRAIN_HALF]
    taken = {r["id"] for r in matched}
    rest = sorted((r for r in pool if r["id"] not in taken), key=lambda r: train_rank(r, "random:"))
    rest = rest[:TRAIN_HALF]
    for r in matched:
        r["pool"] = "threat_words"
    for r in rest:
        r["pool"] = "random"
    return sorted(matched + rest, key=train_rank)


def labelled_eval_ids() -> set[str]:
    """Ids in `labels.jsonl`: excluded from training too, in case the eval selection is ever changed."""
    path = Path(__file__).with_name("labels.jsonl")
    if not path.exists():
        return set()
    return {json.loads(line)["id"] for line in path.read_text().splitlines() if line.strip()}


def write(rows: list[dict[str, str]], out: Path) -> str:
    """Write jsonl atomically; return the sha256 of the bytes written."""
    body = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows).encode()
    tmp = out.with_suffix(".tmp")
    tmp.write_bytes(body)
    tmp.replace(out)
    return hashlib.sha256(body).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mirror-root", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--train-out", type=Path, default=TRAIN_OUT)
    a = ap.parse_args()
    data = read_source(a.mirror_root).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    chosen = select(eligible(rows))
    digest = write(chosen, a.out)
    hits = sum(bool(THREAT_WORDS.search(r["text"])) for r in chosen)
    print(f"{len(chosen)} rows from {len(rows)} ({hits} match THREAT_WORDS) -> {a.out}")
    print(f"sha256 {digest}")
    eval_ids = {r["id"] for r in chosen} | labelled_eval_ids()
    train = select_train(eligible(rows, TRAIN_MAX_WORDS), eval_ids)
    assert not eval_ids & {r["id"] for r in train}
    digest = write(train, a.train_out)
    hits = sum(bool(THREAT_WORDS.search(r["text"])) for r in train)
    print(f"train: {len(train)} rows, none of the {len(eval_ids)} eval ids ({hits} match THREAT_WORDS)")
    print(f"  -> {a.train_out}")
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
