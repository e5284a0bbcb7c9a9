"""Transfer check: the shipped threat heads on real consumer complaints (CFPB narratives) labelled by hand.

Why: the legal / churn / review heads learnt only our own hand-written corpus, so their corpus scores say
little about text nobody here wrote (issue 18). This runs the model exactly as the app does
(`engine.triage_many`: chunks, sentences, the corpus' judging and `judge.THREAT_AT`) on every row of
`data/triage/real/labels.jsonl` and prints precision / recall / F1 per threat, overall and per selection
pool (the `random` pool alone estimates the rates on unselected narratives). Evaluation only: nothing may
be trained, tuned, thresholded or chosen on this set (data/triage/real/README.md).

    python3 data/triage/real/rebuild.py --mirror-root /work/.mirror   # texts.jsonl (git-ignored)
    OPENBLAS_NUM_THREADS=1 PYTHONPATH=src nice -n 10 .venv/bin/python scripts/triage_real_eval.py [--show 8]

`--set reviews` scores the second real set instead: the 150 EVALUATION rows of customers' complaint reviews
(`data/triage/reviews/eval_labels.jsonl`, texts from `data/triage/reviews/select_reviews.py`), app-store,
hotel, Trustpilot and support-mail complaints in many registers. Why a second set: the CFPB narratives are one
register only (US consumer finance, written to a regulator). Same output, same rule: evaluation only.

`--set probe` scores our own held-out realistic client mail (`data/triage/probe/probe.jsonl`, 160 messages,
more than half of them long emails, written without reading the corpus or running the model; texts and labels
in one committed file), per length band instead of per pool. Same rule: never trained or tuned on.
`--set probe2` scores its fresh replacement (160 more such messages, twenty-first session): never used to
choose. `--set probe3` (160 more) was written as the one go / no-go check of the long-message thresholds.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from accord.triage.engine import triage_many
from accord.triage.model import get_model
from accord.triage.service import LEGAL_CONFIDENCE
from accord.triage.signals import THREAT_KINDS

TRIAGE = Path(__file__).resolve().parent.parent / "data" / "triage"
REAL = TRIAGE / "real"
PROBE = TRIAGE / "probe" / "probe.jsonl"
PROBE2 = TRIAGE / "probe2" / "probe2.jsonl"
PROBE3 = TRIAGE / "probe3" / "probe3.jsonl"
# Each evaluation set: its texts, its labels and the command that rebuilds the (git-ignored) texts.
SETS = {
    "cfpb": (REAL / "texts.jsonl", REAL / "labels.jsonl", "data/triage/real/rebuild.py"),
    "reviews": (
        TRIAGE / "reviews" / "eval_texts.jsonl",
        TRIAGE / "reviews" / "eval_labels.jsonl",
        "data/triage/reviews/select_reviews.py",
    ),
    # our own held-out realistic client mail, texts and labels in one committed file (README there)
    "probe": (PROBE, PROBE, "(committed: nothing to rebuild)"),
    # a second such set, written when the first had gated one choice (data/triage/probe2/README.md)
    "probe2": (PROBE2, PROBE2, "(committed: nothing to rebuild)"),
    # written as the one go / no-go check of the long-message thresholds (data/triage/probe3/README.md)
    "probe3": (PROBE3, PROBE3, "(committed: nothing to rebuild)"),
}
BATCH = 32


def _args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=sorted(SETS), default="cfpb", help="which labelled evaluation set")
    ap.add_argument("--texts", type=Path, default=None, help="override the set's texts file")
    ap.add_argument("--labels", type=Path, default=None, help="override the set's labels file")
    ap.add_argument("--show", type=int, default=0, help="print up to N misses and N false alarms per threat")
    a = ap.parse_args()
    texts, labels, a.rebuild = SETS[a.set]
    a.texts, a.labels = a.texts or texts, a.labels or labels
    return a


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load(texts: Path, labels: Path, rebuild: str = SETS["cfpb"][2]) -> list[dict[str, Any]]:
    """Labelled rows joined with their texts by id; every label needs its text (run `rebuild` first)."""
    if not texts.exists():
        sys.exit(f"{texts} is missing: run {rebuild} first")
    by_id = {r["id"]: r for r in _read(texts)}
    rows = []
    for lab in _read(labels):
        if lab["id"] not in by_id:
            sys.exit(f"no text for {lab['id']}: {texts.name} is not the pinned selection")
        rows.append({**by_id[lab["id"]], **{k: int(lab[k]) for k in THREAT_KINDS}})
    return rows


def judge(rows: list[dict[str, Any]]) -> None:
    """Add each threat's decision and confidence to the rows, from the app's own triage in batches."""
    for start in range(0, len(rows), BATCH):
        part = rows[start : start + BATCH]
        for row, result in zip(part, triage_many([r["text"] for r in part]), strict=True):
            for kind in THREAT_KINDS:
                found = result.threats[kind]
                row[f"{kind}_pred"] = int(bool(found["present"]))
                row[f"{kind}_conf"] = float(found["confidence"])
                row[f"{kind}_evidence"] = " | ".join(e["text"] for e in found["evidence"])


def scores(rows: list[dict[str, Any]], kind: str) -> str:
    tp = sum(r[kind] and r[f"{kind}_pred"] for r in rows)
    fp = sum(not r[kind] and r[f"{kind}_pred"] for r in rows)
    fn = sum(r[kind] and not r[f"{kind}_pred"] for r in rows)
    p = tp / (tp + fp) if tp + fp else float("nan")
    rec = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * p * rec / (p + rec) if tp else 0.0
    counts = f"support {tp + fn:3d}  flagged {tp + fp:3d}  (tp {tp} fp {fp} fn {fn})"
    return f"P {p:.2f}  R {rec:.2f}  F1 {f1:.2f}  {counts}"


def _pool(row: dict[str, Any]) -> str:
    """The row's selection pool (the real sets) or, for the probe, its length band."""
    return str(row.get("pool") or row.get("length") or "all")


def report(rows: list[dict[str, Any]]) -> None:
    pools = sorted({_pool(r) for r in rows})
    print(f"model {get_model().version}; {len(rows)} rows ({', '.join(f'{p} {_n(rows, p)}' for p in pools)})")
    for kind in THREAT_KINDS:
        print(f"{kind:7s} all     {scores(rows, kind)}")
        for pool in pools:
            print(f"{'':7s} {pool[:6]:6s}  {scores([r for r in rows if _pool(r) == pool], kind)}")
    strong = [{**r, "legal_pred": int(r["legal_conf"] >= LEGAL_CONFIDENCE)} for r in rows]
    print(f"legal at {LEGAL_CONFIDENCE} (legal review required, P11): {scores(strong, 'legal')}")
    clean = [r for r in rows if not any(r[k] for k in THREAT_KINDS)]
    alarmed = sum(any(r[f"{k}_pred"] for k in THREAT_KINDS) for r in clean)
    print(f"rows with no threat: {len(clean)}, of which {alarmed} get at least one threat flag")


def _n(rows: list[dict[str, Any]], pool: str) -> int:
    return sum(_pool(r) == pool for r in rows)


def show(rows: list[dict[str, Any]], n: int) -> None:
    """Misses (text start) and false alarms (the evidence the app would show), strongest first."""
    for kind in THREAT_KINDS:
        conf = f"{kind}_conf"
        misses = sorted((r for r in rows if r[kind] and not r[f"{kind}_pred"]), key=lambda r: -r[conf])
        alarms = sorted((r for r in rows if not r[kind] and r[f"{kind}_pred"]), key=lambda r: -r[conf])
        for title, found, field in (("misses", misses, "text"), ("false alarms", alarms, f"{kind}_evidence")):
            print(f"\n== {kind}: {title} ({len(found)}) ==")
            for r in found[:n]:
                snippet = " ".join(str(r[field]).split())[:260]
                print(f"  {r['id']} p={r[f'{kind}_conf']:.2f} {snippet}")


def main() -> None:
    a = _args()
    rows = load(a.texts, a.labels, a.rebuild)
    judge(rows)
    report(rows)
    if a.show:
        show(rows, a.show)


if __name__ == "__main__":
    main()
