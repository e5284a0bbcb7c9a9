"""Out-of-fold judgement of the coach's reply heads with and without the team's written replies (issue 19).

Why: written replies (`data/coach/written/`) may teach the heads paraphrases the real corpus has too few
of, or teach them our own style instead. They are kept only if they help on real replies the heads did
not see: the same 5 group folds over the real train+val rows are scored with the written rows in every
fold's training or not; the test split is never read. Prints, per family, the out-of-fold recall at
precision >= 0.8 (the best C of the grid) and the report at the thresholds training would choose (the
clean-alarm cap and missing_next_step included).

    OPENBLAS_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python scripts/coach_oof.py --corpus data/coach \\
        --cache /tmp/coach_cache.npz
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from accord.coach import judge
from accord_training import coach_reply as cr
from accord_training.coach_data import Example, featurize, load_cache, load_corpus, save_cache


def _scores(dev: list[Example], written: list[Example], share: float, used_by: frozenset[str]) -> dict:
    evs = [cr.reply_evidence(e) for e in dev]
    labels = {f: np.array([f in e.labels for e in dev]) for f in judge.LANGUAGE}
    clean = np.array([not e.labels for e in dev])
    fixed = cr.Fixed.of(cr.draft_evidence(), written, judge.LANGUAGE, share, used_by)
    oof = cr.out_of_fold(evs, labels, [e.group for e in dev], fixed)
    at_target = {f: max(cr.threshold(oof[c][f], y)[0] for c in cr.C_GRID) for f, y in labels.items()}
    step, other = cr.step_confidences(dev)
    flagged = np.array(["missing_next_step" in e.labels for e in dev])
    picked = cr.choose_with_step(oof, labels, clean, step, flagged, other)
    shipped = cr.report(picked.conf, labels, picked.warn_at, clean, picked.already)
    return {"recall_at_p08": {f: round(v, 3) for f, v in at_target.items()}, "chosen": shipped}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("data/coach"))
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--share", type=float, default=cr.WRITTEN_SHARE, help="sample weight of a written reply")
    ap.add_argument("--skip-without", action="store_true", help="score only the run with written replies")
    ap.add_argument(
        "--used-by",
        default=",".join(sorted(cr.WRITTEN_USED_BY)),
        help="comma-separated families whose heads the written rows teach (the others give them weight 0)",
    )
    args = ap.parse_args()
    judge.set_cache_size(1_000_000)
    load_cache(args.cache)
    dev = [e for e in load_corpus(args.corpus) if e.split in ("train", "val")]
    written = cr.load_written(args.corpus / cr.WRITTEN)
    for ex in dev + written:
        featurize(ex)
    save_cache(args.cache)
    print(f"{len(dev)} real train+val replies, {len(written)} written")
    runs: list[tuple[str, list[Example]]] = [] if args.skip_without and written else [("without", [])]
    runs += [("with", written)] if written else []
    used_by = frozenset(args.used_by.split(","))
    for name, rows in runs:
        print(name, json.dumps(_scores(dev, rows, args.share, used_by)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
