"""Choose a long message's threat thresholds on the development set (`data/triage/dev/dev.jsonl`).

Why: the threat heads learnt short messages and chose their thresholds there; a message of several chunks is
scored by a different number (half its highest chunk, half its highest sentence: `model.LONG_SENTENCE_SHARE`),
whose scale the short thresholds do not fit (the probe's long emails drew most of its churn false alarms). The
development set is helper-written realistic client mail, written without reading the corpus or the probe and
labelled by the corpus' rules; unlike the probe it may be tuned on. This scores its multi-chunk messages with
the shipped model exactly as the app reads them, but with every threshold at 0.5 so the printed score is the
raw long mix, and prints each threat's F1 at thresholds 0.30-0.80 next to the one in use.
The choice rule (README, "Twenty-first session") averages these with `triage_long_oof.py --grid`.

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
from accord.triage.model import get_model
from accord.triage.signals import THREAT_KINDS

DEV = Path(__file__).resolve().parent.parent / "data" / "triage" / "dev" / "dev.jsonl"
GRID = np.round(np.arange(0.30, 0.8001, 0.025), 3)
BATCH = 16


def _args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEV, help="labelled messages, one JSON object a line")
    return ap.parse_args()


def long_rows(path: Path) -> list[dict[str, Any]]:
    """The file's messages that the app reads as several chunks (the ones a long threshold would judge)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        row["clean"] = clean_text(row["text"], field="text", max_chars=MAX_CHARS)
    return [r for r in rows if len(chunks(r["clean"])) > 1]


def raw_mix(rows: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    """Each threat's long mix before any threshold (every threshold set to 0.5, where the mix reads as is)."""
    corpus = get_model().corpus
    if corpus is None:
        raise SystemExit("the corpus heads are missing: run `accord triage train` first")
    saved = dict(corpus.judging)
    corpus.judging = {k: (share, 0.5) for k, (share, _) in saved.items()}
    try:
        scores = []
        for start in range(0, len(rows), BATCH):
            scores += _score_batch([r["clean"] for r in rows[start : start + BATCH]])
    finally:
        corpus.judging = saved
    return {k: np.array([s["threats"][k] for s in scores]) for k in THREAT_KINDS}


def f1(pred: np.ndarray, truth: np.ndarray) -> float:
    return 2 * int((pred & truth).sum()) / max(int(pred.sum() + truth.sum()), 1)


def main() -> None:
    rows = long_rows(_args().data)
    mix = raw_mix(rows)
    judging = get_model().corpus.judging  # type: ignore[union-attr]
    print(f"{len(rows)} multi-chunk messages")
    for kind in THREAT_KINDS:
        truth = np.array([bool(r[kind]) for r in rows])
        at = judging.get(kind, (0.0, 0.5))[1]
        pred = mix[kind] >= at
        tp, fp = int((pred & truth).sum()), int((pred & ~truth).sum())
        print(
            f"{kind:6s} support {int(truth.sum())}  at {at:.3f}: F1 {f1(pred, truth):.4f} (tp {tp} fp {fp})"
        )
        cells = " ".join(f"{t:.3f}:{f1(mix[kind] >= t, truth):.4f}" for t in GRID)
        print(f"{kind:6s} dev grid {cells}")


if __name__ == "__main__":
    main()
