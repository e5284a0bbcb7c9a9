#!/usr/bin/env python3
"""Compile labels.jsonl from the hand-labelling sheets in work/labels_*.txt.

Why a separate step: the sheets hold only ids and family codes (no source text), so they
can be committed; this script joins them with texts/ for source and group, assigns the
fixed split, and prints the per-family counts reported in README.md.

Sheet format: one line per reply, "<id> [CODE ...]"; no code = clean. Codes:
NA non_apology, DT double_talk, EP evasive_passive, BE blame_or_excuse,
CO condescension, HE hedging, MN missing_next_step; "XX" alone = read and excluded because
the review it answers is not a complaint (praise answered with thanks).
"""

from __future__ import annotations

import collections
import glob
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CODES = {
    "NA": "non_apology",
    "DT": "double_talk",
    "EP": "evasive_passive",
    "BE": "blame_or_excuse",
    "CO": "condescension",
    "HE": "hedging",
    "MN": "missing_next_step",
}
FAMILIES = list(CODES.values())
SPLIT_SEED = "accord-coach-corpus-v9"  # picked among v1..v20 by split sizes only


def split_of(group: str) -> str:
    """Fixed split from a seeded hash of the group (hotel, or app template family)."""
    h = int(hashlib.sha256(f"{SPLIT_SEED}:{group}".encode()).hexdigest()[:12], 16) / 16**12
    return "train" if h < 0.60 else "val" if h < 0.75 else "test"


# Row order of labels.jsonl: source by source in this order, each in its texts/ file order. The
# first ten are alphabetical (the order of the earlier sorted glob); later sources are appended, so
# adding a source never moves an earlier row. A texts/ file not listed comes last, alphabetically.
SOURCE_ORDER = [
    "googleplay_anz",
    "googleplay_fintech",
    "googleplay_fooddelivery",
    "googleplay_hiking",
    "googleplay_phonepe",
    "googleplay_uber",
    "support_skillrecordings",
    "tripadvisor_hospo_respo",
    "tripadvisor_hotels",
    "trustpilot_rentals",
    "apps_entertainment",  # session 10
    "trustpilot_bank",  # session 10
    "googleplay_busuu",  # session 11 helper
    "googleplay_oilgas",  # helper 55
    "googleplay_firefox",  # helper 56
    "googleplay_productivity",  # helper 57
    "googleplay_dating",  # helper 58
    "appstore_fooddelivery",  # helper 59
    "appstore_carsharing",  # helper 60
    "appstore_neobanks",  # helper 62
    "googleplay_marketplaces",  # helper 64
    "googleplay_headspace",  # helper 65
    "googleplay_minddoc",  # helper 65
    "googleplay_music",  # helper 67
]


def source_rank(f: Path) -> tuple[int, str]:
    return (SOURCE_ORDER.index(f.stem) if f.stem in SOURCE_ORDER else len(SOURCE_ORDER), f.stem)


def load_texts() -> dict[str, dict]:
    out: dict[str, dict] = {}
    for f in sorted((HERE / "texts").glob("*.jsonl"), key=source_rank):
        for line in f.open(encoding="utf-8"):
            r = json.loads(line)
            r["_source"] = f.stem
            out[r["id"]] = r
    return out


def load_sheets() -> dict[str, list[str]]:
    labels: dict[str, list[str]] = {}
    for f in sorted(glob.glob(str(HERE / "work" / "labels_*.txt"))):
        for n, line in enumerate(Path(f).read_text(encoding="utf-8").splitlines(), 1):
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            rid, codes = parts[0], parts[1:]
            if codes == ["XX"]:  # read, but the review it answers is not a complaint
                labels[rid] = None
                continue
            bad = [c for c in codes if c not in CODES]
            if bad:
                sys.exit(f"{f}:{n}: unknown code {bad}")
            if rid in labels:
                sys.exit(f"{f}:{n}: {rid} labelled twice")
            labels[rid] = sorted({CODES[c] for c in codes}, key=FAMILIES.index)
    return labels


def main() -> int:
    texts = load_texts()
    sheets = load_sheets()
    rows = []
    dropped = 0
    excluded = sum(1 for v in sheets.values() if v is None)
    for rid, fams in sheets.items():
        if fams is None:
            continue
        t = texts.get(rid)
        if t is None:  # labelled before a filter tightened; not in the corpus any more
            dropped += 1
            continue
        rows.append(
            {
                "id": rid,
                "source": t["_source"],
                "group": t["group"],
                "labels": fams,
                "split": split_of(t["group"]),
            }
        )
    order = {rid: i for i, rid in enumerate(texts)}
    rows.sort(key=lambda r: order[r["id"]])
    with (HERE / "labels.jsonl").open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    report(rows, dropped)
    print(f"read but excluded as not answering a complaint (XX): {excluded}")
    return 0


def report(rows: list[dict], dropped: int) -> None:
    splits = ["train", "val", "test"]
    n = collections.Counter(r["split"] for r in rows)
    print(f"rows {len(rows)} (sheet ids no longer in texts: {dropped})")
    print("by source:", dict(collections.Counter(r["source"] for r in rows)))
    print(f"{'family':20}" + "".join(f"{s:>7}" for s in splits) + f"{'total':>7}")
    for fam in [*FAMILIES, "(clean)"]:
        c = collections.Counter(
            r["split"] for r in rows if (fam in r["labels"] if fam != "(clean)" else not r["labels"])
        )
        print(f"{fam:20}" + "".join(f"{c[s]:>7}" for s in splits) + f"{sum(c.values()):>7}")
    print(f"{'rows':20}" + "".join(f"{n[s]:>7}" for s in splits) + f"{len(rows):>7}")


if __name__ == "__main__":
    sys.exit(main())
