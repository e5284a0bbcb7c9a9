"""Does the reply heads' out-of-fold choice hold on replies the whole choice never saw? (issue 19)

Why: the thresholds and the clean-alarm cap are chosen on out-of-fold probabilities of models fitted on
four fifths of train+val, and the shipped heads are then fitted on all of it with the same C. A logistic
fit on more rows at the same C is less regularised, so its probabilities spread further and a threshold
chosen out of fold may fire more often on new replies (fifteenth session: clean alarms 0.080 out of fold,
0.124 on the test split). This script repeats the whole choice inside train+val: each outer group fold is
held out in turn, the choice (`coach_reply.choose`) is made out of fold on the rest, heads are fitted on
the rest with C scaled by each of --scales, and the held-out fold is scored at the chosen thresholds. The
test split is never read. Language families only (the completeness checks' share is left out).

    OPENBLAS_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python scripts/coach_nested.py --corpus data/coach \\
        --cache /work/coach_cache.npz [--outer 5] [--scales 1,0.8]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import GroupKFold

from accord.coach import judge
from accord_training import coach_reply as cr


def held_out_scores(
    evs: list, labels: dict[str, np.ndarray], clean: np.ndarray, groups: list[str], fixed: cr.Fixed,
    held: np.ndarray, scales: list[float],
) -> dict:  # fmt: skip
    """Choose on the rows outside `held` (out of fold), fit there at each C scale, score `held`."""
    rest = np.setdiff1d(np.arange(len(evs)), held)
    sub = [evs[i] for i in rest]
    sub_labels = {f: y[rest] for f, y in labels.items()}
    oof = cr.with_tuned(cr.out_of_fold(sub, sub_labels, [groups[i] for i in rest], fixed), sub)
    chosen, warn_at, conf = cr.choose(oof, sub_labels, clean[rest])
    out: dict[str, Any] = {"out_of_fold": cr.report(conf, sub_labels, warn_at, clean[rest])}
    vec = fixed.vocabulary(sub)
    x_fit, x_held = cr.matrix(sub + fixed.evs, vec), cr.matrix([evs[i] for i in held], vec)
    logits = np.array([evs[i].tuned for i in held]) if cr.tuned_families() else np.zeros((len(held), 0))
    trusted = cr.trusted_patterns(sub, sub_labels, clean[rest])
    trusted_hits = np.array(
        [any(k in evs[i].patterns for keys in trusted.values() for k in keys) for i in held]
    )
    out["held_trusted_hit_clean_rate"] = round(
        float((trusted_hits & clean[held]).sum() / clean[held].sum()), 3
    )
    for scale in scales:
        held_conf = {}
        for f, y in sub_labels.items():
            y_fit = np.concatenate([y, fixed.labels[f]])
            model = cr._fit(cr.own_columns(x_fit, f), y_fit, chosen[f][0] * scale, fixed.weights(len(sub), f))
            p = model.predict_proba(cr.own_columns(x_held, f))[:, 1]
            held_conf[f] = cr._blended(p, logits, cr.tuned_families(), f, chosen[f][1])
        held_labels = {f: y[held] for f, y in labels.items()}
        out[f"held_c_x{scale}"] = cr.report(held_conf, held_labels, warn_at, clean[held], trusted_hits)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--outer", type=int, default=5, help="outer folds to run (of 5)")
    ap.add_argument("--scales", default="1,0.8", help="C multipliers for the heads fitted on the rest")
    args = ap.parse_args(argv)
    examples, written = cr.load_featurized(args.corpus, args.cache)
    dev = [e for e in examples if e.split in ("train", "val")]
    evs = [cr.reply_evidence(e) for e in dev]
    labels = {f: np.array([f in e.labels for e in dev]) for f in judge.LANGUAGE}
    clean = np.array([not e.labels for e in dev])
    groups = [e.group for e in dev]
    fixed = cr.Fixed.of(cr.draft_evidence(), written, judge.LANGUAGE)
    scales = [float(s) for s in args.scales.split(",")]
    folds = list(GroupKFold(n_splits=5).split(evs, groups=groups))[: args.outer]
    for k, (_, held) in enumerate(folds):
        scores = held_out_scores(evs, labels, clean, groups, fixed, held, scales)
        print(json.dumps({"outer_fold": k, **scores}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
