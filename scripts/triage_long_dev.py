"""Choose a long message's threat thresholds on the development set (`data/triage/dev/dev.jsonl`).

Why: the threat heads learnt short messages and chose their thresholds there; a message of several chunks is
scored by a different number (half its highest chunk, half its highest sentence: `model.LONG_SENTENCE_SHARE`),
whose scale the short thresholds do not fit (the probe's long emails drew most of its churn false alarms). The
development set is helper-written realistic client mail, written without reading the corpus or the probe and
labelled by the corpus' rules; unlike the probe it may be tuned on. This scores its multi-chunk messages with
the shipped model exactly as the app reads them, but with every threshold at 0.5 so the printed score is the
raw long mix, and prints each threat's F1 at thresholds 0.30-0.80 next to the one in use, per file and pooled
(`dev.jsonl` and `dev2.jsonl` by default).
The choice rules (docs/triage-history.md, "Twenty-first session"): first averaged with
`triage_long_oof.py --grid`, then on the two development sets pooled.

    OPENBLAS_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python scripts/triage_long_dev.py
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np

from accord.text import clean_text
from accord.triage.engine import MAX_CHARS, _score_batch, chunks
from accord.triage.model import LONG_THRESHOLD, get_model
from accord.triage.signals import THREAT_KINDS

DEV_DIR = Path(__file__).resolve().parent.parent / "data" / "triage" / "dev"
DEVS = [DEV_DIR / "dev.jsonl", DEV_DIR / "dev2.jsonl"]
GRID = np.round(np.arange(0.30, 0.8001, 0.025), 3)
BATCH = 16


def _args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--data", type=Path, nargs="+", default=DEVS, help="labelled messages, one JSON object a line"
    )
    return ap.parse_args()


def long_rows(path: Path) -> list[dict[str, Any]]:
    """The file's messages that the app reads as several chunks (the ones a long threshold would judge)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        row["clean"] = clean_text(row["text"], field="text", max_chars=MAX_CHARS)
    return [r for r in rows if len(chunks(r["clean"])) > 1]


def raw_mix(rows: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    """Each threat's long mix before any threshold (every threshold set to 0.5, where the mix reads as is, and
    LONG_THRESHOLD emptied for the run)."""
    corpus = get_model().corpus
    if corpus is None:
        raise SystemExit("the corpus heads are missing: run `accord triage train` first")
    saved, saved_long = dict(corpus.judging), dict(LONG_THRESHOLD)
    corpus.judging = {k: (share, 0.5) for k, (share, _) in saved.items()}
    LONG_THRESHOLD.clear()
    try:
        scores = []
        for start in range(0, len(rows), BATCH):
            scores += _score_batch([r["clean"] for r in rows[start : start + BATCH]])
    finally:
        corpus.judging = saved
        LONG_THRESHOLD.update(saved_long)
    return {k: np.array([s["threats"][k] for s in scores]) for k in THREAT_KINDS}


def f1(pred: np.ndarray, truth: np.ndarray) -> float:
    return 2 * int((pred & truth).sum()) / max(int(pred.sum() + truth.sum()), 1)


def main() -> None:
    files = _args().data
    rows = [dict(r, file=path.stem) for path in files for r in long_rows(path)]
    mix = raw_mix(rows)
    judging = get_model().corpus.judging  # type: ignore[union-attr]
    print(
        f"{len(rows)} multi-chunk messages ({', '.join(f'{p.stem} {_count(rows, p.stem)}' for p in files)})"
    )
    for kind in THREAT_KINDS:
        at = LONG_THRESHOLD.get(kind, judging.get(kind, (0.0, 0.5))[1])
        for name in [p.stem for p in files] + (["pooled"] if len(files) > 1 else []):
            keep = np.array([name in ("pooled", r["file"]) for r in rows])
            truth, score = np.array([bool(r[kind]) for r in rows])[keep], mix[kind][keep]
            pred = score >= at
            tp, fp = int((pred & truth).sum()), int((pred & ~truth).sum())
            head = f"{kind:6s} {name:7s} support {int(truth.sum())}"
            print(f"{head}  at {at:.3f}: F1 {f1(pred, truth):.4f} (tp {tp} fp {fp})")
            print(
                f"{kind:6s} {name:7s} grid " + " ".join(f"{t:.3f}:{f1(score >= t, truth):.4f}" for t in GRID)
            )


def _count(rows: list[dict[str, Any]], name: str) -> int:
    return sum(r["file"] == name for r in rows)


if __name__ == "__main__":
    main()
