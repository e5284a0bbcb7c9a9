"""Select customers' complaint reviews (the coach corpus' contexts) for the threat heads (issue 18).

Why: the CFPB narratives of `data/triage/real/` are one register only (US consumer finance, written to a
regulator). The coach corpus (`data/coach/texts/*.jsonl`) holds real business replies, and each row's
`context` is the CUSTOMER's complaint review the reply answers: 1-3 star hotel reviews, 1-2 star app
reviews of many kinds of business, Trustpilot reviews, support e-mails. Churn, public-reputation and legal
threats appear there in the customers' own words, in many registers and lengths.

The texts are third-party and git-ignored (both in `data/coach/texts/` and here); the outputs keep the coach
row id, so they rebuild from the coach corpus' pinned commits (`data/coach/rebuild.py`), then:

    python3 data/triage/reviews/select_reviews.py

Selection (fixed before any text was read, README "Selection"): a row is eligible when the coach labeller
kept it (its id is in the first COACH_ROWS rows of `data/coach/labels.jsonl`; the `XX` rows, read and
excluded there as not a complaint or not English, are not), its context is English by a crude test
(`english`) and 8..400 words long; identical contexts (whitespace and case folded) keep their first row in
file order. Two disjoint files:

- EVAL (`eval_texts.jsonl`, 150 rows): rows ranked by sha256(EVAL_SALT + id); the first 90 matching
  THREAT_WORDS, then 60 of the remaining eligible rows ranked by sha256(EVAL_SALT + "random:" + id),
  matching or not. Evaluation only: never train, tune, threshold or choose on it.
- TRAIN (`train_texts.jsonl`, 300 rows): every eval id removed first, then the same with TRAIN_SALT,
  200 matching + 100 of the rest.

In every pool no source (file) takes more than CAP_SHARE of the pool's rows (the fintech file alone holds
about half the contexts; uncapped it would be most of each file): a row whose source is full is skipped
and the next in hash order taken. Prints counts and the sha256 of each file written. Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

# The CFPB rebuild's atomic JSONL writer (standard library only), shared rather than copied.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "real"))
from rebuild import write

HERE = Path(__file__).resolve().parent
COACH = HERE.parents[1] / "coach"
EVAL_SALT = "accord-issue18-reviews-eval-v1:"
TRAIN_SALT = "accord-issue18-reviews-train-v1:"
EVAL_SIZES = (90, 60)  # (threat_words, random)
TRAIN_SIZES = (200, 100)
CAP_SHARE = 0.30  # of each pool, per source file
MIN_WORDS, MAX_WORDS = 8, 400
# Broad threat vocabulary and its look-alikes, fixed before reading: the CFPB pattern of
# data/triage/real/rebuild.py extended with app, hotel and Indian-fintech words.
THREAT_WORDS = re.compile(
    r"\b(lawyers?|attorneys?|advocates?|counsel|sue|sued|suing|lawsuits?|legal\w*|court|small claims"
    r"|class action|consumer (?:court|forum|protection|affairs)|ombudsman|rbi|sebi|npci|cfpb|bbb"
    r"|better business bureau|ftc|regulators?|police|fir|cyber ?crime|complaints?|chargebacks?|disputes?"
    r"|refunds?|compensat\w*"
    r"|(?:close|closed|closing|delete|deleted|deleting) (?:my|the|this|our|all) (?:accounts?|apps?)"
    r"|uninstall\w*|unsubscrib\w*|cancel\w*|switch\w*|another (?:app|bank|hotel|company|service)"
    r"|other (?:apps?|banks?|hotels?|companies|services)|competitors?|alternatives?"
    r"|never (?:again|use|using|stay|staying|book|booking|order|ordering|come|coming|return|returning)"
    r"|won'?t (?:be back|return|use|stay|order|book)|take my business|lost a customer"
    r"|reviews?|ratings?|stars?|tripadvisor|trustpilot|google|yelp|play ?store|app ?store|social media"
    r"|facebook|twitter|instagram|reddit|youtube|tiktok|linkedin|news|media|press|everyone|everybody"
    r"|friends?|family|warn\w*)\b",
    re.IGNORECASE,
)
COMMON = {
    "the", "and", "to", "i", "my", "a", "of", "was", "is", "that", "it", "in", "this", "not", "for", "you",
    "me", "on", "with", "have", "but", "be", "are", "no", "very", "we", "they", "app", "after", "all",
}  # fmt: skip
EVAL_OUT, TRAIN_OUT = HERE / "eval_texts.jsonl", HERE / "train_texts.jsonl"


# The coach corpus had this many labelled rows when the selection was fixed; `labels.jsonl` only grows by
# appending, so reading its first COACH_ROWS rows keeps the selection byte-identical as the corpus grows.
COACH_ROWS = 6059


def kept_ids(coach: Path) -> set[str]:
    """Ids the coach labeller kept (the first COACH_ROWS rows of `labels.jsonl`; its `XX` rows are absent)."""
    lines = [
        line for line in (coach / "labels.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    return {json.loads(line)["id"] for line in lines[:COACH_ROWS]}


def english(text: str) -> bool:
    """Mostly ASCII letters and at least two common English words: enough to drop Hinglish and others."""
    letters = [c for c in text if c.isalpha()]
    ascii_share = sum(c.isascii() for c in letters) / max(len(letters), 1)
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
    return ascii_share > 0.97 and len(words & COMMON) >= 2


def eligible(coach: Path) -> list[dict[str, object]]:
    """Eligible rows of every source file, in file order, first of identical contexts kept."""
    keep, seen, out = kept_ids(coach), set(), []
    for path in sorted((coach / "texts").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            if not line.strip():
                continue
            row = json.loads(line)
            text = " ".join(str(row.get("context") or "").split())
            key = text.lower()
            if row["id"] not in keep or key in seen or not MIN_WORDS <= len(text.split()) <= MAX_WORDS:
                continue
            if not english(text):
                continue
            seen.add(key)
            out.append(
                {
                    "id": row["id"],
                    "source": path.stem,
                    "business": row.get("business", ""),
                    "rating": row.get("rating"),
                    "text": text,
                }
            )
    return out


def rank(salt: str, row: dict[str, object], pool: str = "") -> str:
    return hashlib.sha256((salt + pool + str(row["id"])).encode()).hexdigest()


def take(rows: list[dict[str, object]], n: int) -> list[dict[str, object]]:
    """The first n rows in the given order, no source over CAP_SHARE of n (the rest skipped)."""
    cap, used, out = math.ceil(CAP_SHARE * n), Counter[str](), []
    for row in rows:
        if len(out) == n:
            break
        if used[str(row["source"])] < cap:
            used[str(row["source"])] += 1
            out.append(row)
    assert len(out) == n, f"only {len(out)} of {n} rows under the cap"
    return out


def select(rows: list[dict[str, object]], salt: str, sizes: tuple[int, int]) -> list[dict[str, object]]:
    """sizes[0] rows matching THREAT_WORDS, then sizes[1] of the rest by a second hash; capped per source."""
    ordered = sorted(rows, key=lambda r: rank(salt, r))
    matched = take([r for r in ordered if THREAT_WORDS.search(str(r["text"]))], sizes[0])
    taken = {r["id"] for r in matched}
    rest = sorted((r for r in rows if r["id"] not in taken), key=lambda r: rank(salt, r, "random:"))
    randoms = take(rest, sizes[1])
    out = [{**r, "pool": "threat_words"} for r in matched] + [{**r, "pool": "random"} for r in randoms]
    return sorted(out, key=lambda r: rank(salt, r))


def summary(name: str, rows: list[dict[str, object]], out: Path, digest: str) -> None:
    hits = sum(bool(THREAT_WORDS.search(str(r["text"]))) for r in rows)
    pools = Counter(str(r["pool"]) for r in rows)
    sources = Counter(str(r["source"]) for r in rows)
    print(f"{name}: {len(rows)} rows ({dict(pools)}; {hits} match THREAT_WORDS) -> {out}")
    print("  sources: " + ", ".join(f"{s} {n}" for s, n in sources.most_common()))
    print(f"  sha256 {digest}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--coach", type=Path, default=COACH)
    a = ap.parse_args()
    rows = eligible(a.coach)
    hits = sum(bool(THREAT_WORDS.search(str(r["text"]))) for r in rows)
    print(f"eligible: {len(rows)} contexts ({hits} match THREAT_WORDS)")
    chosen = select(rows, EVAL_SALT, EVAL_SIZES)
    summary("eval", chosen, EVAL_OUT, write(chosen, EVAL_OUT))
    eval_ids = {r["id"] for r in chosen}
    train = select([r for r in rows if r["id"] not in eval_ids], TRAIN_SALT, TRAIN_SIZES)
    assert not eval_ids & {r["id"] for r in train}
    summary("train", train, TRAIN_OUT, write(train, TRAIN_OUT))


if __name__ == "__main__":
    main()
